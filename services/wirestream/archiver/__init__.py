"""The archiver: records from the article, entity, quote and event topics into Parquet files.

The shape every service has (README "Layout"): :mod:`.settings` (``WIRESTREAM_ARCHIVER_``),
:mod:`.topics` (what it archives), :mod:`.consumer` (its agent: an aiokafka consumer with manual
commits, hosted by the faust worker), :mod:`.web` (``/health``, ``/ready``), :mod:`.metrics`,
:mod:`.app` (``create_service``, ``main``). Pure modules (no faust): :mod:`.store`,
:mod:`.parquet`, :mod:`.batches`, :mod:`.compaction`, :mod:`.query`.
"""
