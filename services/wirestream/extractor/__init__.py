"""The extractor service: raw article bytes in, article/entity/quote/event records out.

The shape every service has (README "Layout"):

- :mod:`.settings` — the one settings object (env prefix ``WIRESTREAM_EXTRACTOR_``);
- :mod:`.topics` — the declared topics it reads, writes and creates at start-up;
- :mod:`.loop` — its agent: consume, extract, produce, one Kafka transaction per raw partition
  per batch; :mod:`.transactions` — the transactional producer of one raw partition;
  :mod:`.fetching` — a fetched batch; :mod:`.fingerprints`, :mod:`.stories` read its state back;
- :mod:`.web` — ``/health`` and ``/ready`` (from :mod:`.progress`); :mod:`.metrics` — Prometheus;
- :mod:`.app` — builds the service (``create_service``), ``main()`` for ``wirestream worker``;

and its own parts: :mod:`.processing` — decode, validate, extract, mark duplicates, build messages
(no Kafka); :mod:`.dedup` — the near-duplicate index over SimHash bands; :mod:`.faults` — injected
faults for fault runs (off unless configured). The test and benchmark kit that starts workers
and collects records is :mod:`wirestream.testkit`.
"""
