"""The incident stage: event records of many articles grouped into real-world happenings.

``wirestream worker incidents`` runs it. The shape every service has (README "Layout"):
:mod:`.settings` (``WIRESTREAM_INCIDENTS_``), :mod:`.topics` (its topics and tables),
:mod:`.agents` (``route`` and ``cluster``, module-level faust agents), :mod:`.web` (``/health``,
``/ready``), :mod:`.metrics`, :mod:`.app` (``create_service``, ``main``). The clustering itself is
pure (:mod:`wirestream.core.incidents`).
"""
