"""The alerter: rules over records, alerts to a topic and to webhooks.

The shape every service has (README "Layout"): :mod:`.settings` (``WIRESTREAM_ALERTER_``),
:mod:`.topics`, :mod:`.agents` (three module-level faust agents, thin around the engine),
:mod:`.web` (``/health``, ``/ready``), :mod:`.metrics`, :mod:`.app` (``create_service``,
``main``). Pure modules (no faust): :mod:`.rules` (the YAML rules file, validated with line
numbers), :mod:`.engine` (matching, windows, suppression), :mod:`.webhooks` (allow-listing,
signing, delivery with retries).
"""
