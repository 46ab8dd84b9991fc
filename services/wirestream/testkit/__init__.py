"""Wirestream's one kit for tests and benchmarks: ports, waiting with a timeout, worker processes,
publishing and collecting records, a webhook receiver, and recording stand-ins for topics.

Used by the test suite (``tests/``), ``wirestream bench --kafka``, ``wirestream chaos`` and
``wirestream demo``; it belongs to no service (nothing under ``extractor/``, ``archiver/`` or
``alerter/`` imports it).

- :mod:`.net` — :func:`~.net.free_port`.
- :mod:`.waiting` — :func:`~.waiting.wait_until` / :func:`~.waiting.async_wait_until`: poll a
  condition until it holds or a timeout runs out (never a fixed sleep).
- :mod:`.workers` — ``wirestream worker <service>`` as real processes: start, ``/ready``, memory,
  SIGTERM/SIGKILL.
- :mod:`.records` — publish raw articles; :class:`~.records.RecordCollector` reads what the
  extractor published and knows when an article is complete.
- :mod:`.webhooks` — :class:`~.webhooks.WebhookReceiver`, a real local HTTP server for alerts.
- :mod:`.recording` — :class:`~.recording.RecordingTopic`, a topic stand-in for agent tests.
"""
