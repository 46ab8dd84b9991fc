"""The extractor service: raw article bytes in, article/entity/quote/event records out.

- :mod:`.settings` — the one settings object (env prefix ``WIRESTREAM_EXTRACTOR_``);
- :mod:`.processing` — decode, validate, extract, mark duplicates, build messages (no faust);
- :mod:`.dedup` — near-duplicate index over SimHash bands, stored in a faust table;
- :mod:`.metrics` — Prometheus metrics;
- :mod:`.app` — the faust app, its agent and web views, and ``main()`` for ``wirestream worker``;
- :mod:`.harness` — start workers and collect records, for integration tests and benchmarks.
"""
