"""The copies stage: syndicated-copy marking across every extractor worker (``wirestream worker
copies``).

The shape every service has (README "Layout"): :mod:`.settings` (``WIRESTREAM_COPIES_``),
:mod:`.topics`, :mod:`.loop` (its agent: the exactly-once aiokafka loop), :mod:`.web`
(``/health``, ``/ready``), :mod:`.metrics`, :mod:`.app` (``main``); :mod:`.marking` is the pure
part.
"""
