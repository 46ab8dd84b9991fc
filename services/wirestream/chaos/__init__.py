"""``wirestream chaos``: extractor workers under randomly timed faults, every raw offset reconciled.

Pure parts (no processes, no Kafka), unit-tested in ``tests/chaos/``:

- :mod:`.plan` — :class:`ChaosConfig` (the options and their defaults) and :func:`plan_run`: from
  one seed, which articles are sent, where the poison messages sit, which faults happen when.
- :mod:`.inputs` — the messages: load articles (``../shared/data/load``) or generated ones, and
  the poison kinds (metadata nested 300 deep, a 7,000,000-byte non-JSON value, an article whose
  extraction raises through ``WIRESTREAM_EXTRACTOR_FAULT_MARKER``, small malformed ones).
- :mod:`.reconcile` — every raw (partition, offset) against the article records and dead letters a
  ``read_committed`` consumer sees: lost, visible duplicates, dead letters by stage.
- :mod:`.timeline` — from sampled group offsets and health polls: time to recover per fault, the
  longest stall, health transitions.
- :mod:`.report` — the human table and the JSON document.

Edges: :mod:`.kafkaio` (publisher, readers, group-offset sampler) and :mod:`.runner` (broker,
workers, fault execution, one run end to end).
"""
