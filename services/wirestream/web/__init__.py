"""The live view (``wirestream worker web``): a read-only web service that streams events,
incidents, quotes and articles from the record topics to the browser (server-sent events).

The shape every service has (README "Layout"): :mod:`.settings` (``WIRESTREAM_WEB_``),
:mod:`.topics` (what it reads; it writes and creates none), :mod:`.consumer` (its agent: a
group-less aiokafka consumer), :mod:`.web` (``/health``, ``/ready``, ``/metrics``),
:mod:`.metrics`, :mod:`.app` (``main``); and its own parts: :mod:`.store` (what it keeps),
:mod:`.hub` (the connected pages), :mod:`.routes` (the page, its files, the stream, the API),
:mod:`.feed`, :mod:`.filters`, :mod:`.stats`.
"""
