"""Kafka headers on every message Wirestream produces.

Every record, alert, dead letter and state entry carries:

========================== ================================================================
``content-type``           ``application/json`` (UTF-8 JSON, keys sorted)
``wirestream-kind``        the value's ``kind``: ``article``, ``entity``, ``quote``, ``event``,
                           ``alert``, ``dead_letter``, ``fingerprint``
``wirestream-schema-version`` the value's major schema version (``1``): the schema file is
                           ``schemas/json/<Model>.v<version>.json``
``wirestream-producer``    the producing service and its version: ``extractor/0.1.0``
========================== ================================================================

and the *carried* headers of the raw message it was derived from (:func:`carried`): the W3C trace
context (``traceparent``, ``tracestate``, ``baggage``) and every header whose name starts with
``x-`` (a publisher's own, e.g. ``x-correlation-id``), in their original order, up to
:data:`MAX_CARRIED_BYTES`. Header values are UTF-8 text; names of Wirestream's own headers are
lower case. A dead letter carries the carried headers too, and keeps *all* the original headers in
its body (``headers``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

Header = tuple[str, bytes]
"""One Kafka header: a string key, a bytes value (aiokafka's and faust's shape)."""

CONTENT_TYPE = "content-type"
KIND = "wirestream-kind"
SCHEMA_VERSION = "wirestream-schema-version"
PRODUCER = "wirestream-producer"
JSON = "application/json"

OWN: tuple[str, ...] = (CONTENT_TYPE, KIND, SCHEMA_VERSION, PRODUCER)
"""The headers Wirestream sets on every message, in this order."""
TRACE_CONTEXT: tuple[str, ...] = ("traceparent", "tracestate", "baggage")
"""W3C Trace Context and Baggage headers, carried from the raw message to what derives from it."""
CARRIED_PREFIX = "x-"
"""Any raw message header whose (lower-cased) name starts with this is carried as well."""
MAX_CARRIED_BYTES = 16 * 1024
"""Budget of carried headers (name + value bytes): headers past it are not carried (they stay in
a dead letter's body). Records keep 64 KiB below the topics' message limit for framing."""


def is_carried(name: str) -> bool:
    """True for a header name Wirestream carries from a raw message to its records."""
    lowered = name.lower()
    if lowered in OWN:
        return False
    return lowered in TRACE_CONTEXT or lowered.startswith(CARRIED_PREFIX)


def carried(headers: Iterable[Header]) -> list[Header]:
    """The headers of a raw message that are carried onto every message derived from it."""
    out: list[Header] = []
    used = 0
    for name, value in headers:
        if not is_carried(name):
            continue
        size = len(name.encode("utf-8")) + len(value)
        if used + size > MAX_CARRIED_BYTES:
            break
        used += size
        out.append((name, bytes(value)))
    return out


def produced_headers(
    kind: str,
    schema_version: int,
    producer: str,
    carried_headers: Sequence[Header] = (),
) -> list[Header]:
    """Wirestream's own headers for a message of ``kind``, then ``carried_headers`` (already
    filtered with :func:`carried`). ``producer`` is ``<service>/<version>``."""
    own: list[Header] = [
        (CONTENT_TYPE, JSON.encode()),
        (KIND, kind.encode()),
        (SCHEMA_VERSION, str(schema_version).encode()),
        (PRODUCER, producer.encode()),
    ]
    return own + list(carried_headers)


def as_text(
    headers: Iterable[tuple[str, bytes | None]] | Mapping[str, bytes] | None,
) -> dict[str, str]:
    """Headers as ``{name: text}`` (the last of a repeated name wins), for reading: accepts
    aiokafka's list of pairs, confluent-kafka's list (or None) and a mapping."""
    if not headers:
        return {}
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return {name: (value or b"").decode("utf-8", "replace") for name, value in pairs}
