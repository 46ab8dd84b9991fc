"""The alerter: rules over records, alerts to a topic and to webhooks.

Pure modules (no faust): :mod:`.settings`, :mod:`.rules` (the YAML rules file, validated with line
numbers), :mod:`.engine` (matching, windows, suppression), :mod:`.webhooks` (allow-listing,
signing, delivery with retries). :mod:`.app` is the faust worker: thin agents around them.
"""
