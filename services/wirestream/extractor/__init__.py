"""The extractor service: raw article bytes in, article/entity/quote/event records out.

- :mod:`.settings` — the one settings object (env prefix ``WIRESTREAM_EXTRACTOR_``);
- :mod:`.processing` — decode, validate, extract, mark duplicates, build messages (no Kafka);
- :mod:`.dedup` — near-duplicate index over SimHash bands; :mod:`.fingerprints` reads its
  changelog back;
- :mod:`.loop` — consume, extract, produce: one Kafka transaction per raw partition per batch;
  :mod:`.transactions` — the transactional producer of one raw partition;
- :mod:`.progress` — what ``/health`` and ``/ready`` say; :mod:`.metrics` — Prometheus metrics;
- :mod:`.faults` — injected faults for fault runs (off unless configured);
- :mod:`.app` — builds the service, serves the web views, ``main()`` for ``wirestream worker``;
- (the test and benchmark kit that starts workers and collects records is :mod:`wirestream.testkit`).
"""
