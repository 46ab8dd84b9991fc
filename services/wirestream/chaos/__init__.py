"""``wirestream chaos``: extractor (or incident) workers under randomly timed faults, checked.

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

``--stage incidents`` (incident workers on a synthetic member stream): pure :mod:`.members` (the
stream), :mod:`.incidentplan` (stream and faults from one seed), :mod:`.incidentcheck` (the
incidents against the pure clustering, a replay against a run), :mod:`.incidentreport`; edges
:mod:`.incidentio` (members published as ``route`` sends them, the incidents topic read
``read_committed``) and :mod:`.incidentrun` (workers, faults, the replay).
"""
