"""Dead letters: build them from (bytes, error, stage, source position, service) and send them.

Generic on purpose: the extractor dead-letters raw articles, the alerter dead-letters alerts whose
webhook gave up. Nothing here knows about articles.

>>> letter = build_dead_letter(b"not json", ValueError("bad"), "decode",
...                            SourcePosition(topic="t", partition=0, offset=3), "extractor")
>>> letter.stage, letter.error_type, letter.original_size
('decode', 'ValueError', 8)

A dead letter always fits its topic (``max.message.bytes``
:data:`~wirestream.streaming.topics.MAX_MESSAGE_BYTES`, 8 MiB): the original value is kept whole up
to :data:`MAX_ORIGINAL_BYTES` and cut to its first :data:`ORIGINAL_PREFIX_BYTES` beyond that; the
headers and the key have caps of their own. Worst case, every cap reached, the encoded dead letter
and its key come to about 6.0 MB.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from wirestream.core import jsonio
from wirestream.core.contracts import DeadLetter, SourcePosition
from wirestream.errors import TruncatedDeadLetterError
from wirestream_contracts.deadletter import DeadLetterStage as Stage
from wirestream_contracts.deadletter import OriginalHeader

MAX_ERROR_MESSAGE_CHARS = 2_000
"""Error messages longer than this are cut (a pydantic error can quote the whole input)."""
MAX_ORIGINAL_BYTES = 4 * 1024 * 1024
"""Largest original value a dead letter carries whole (4 MiB, 5.6 MB in base64); a larger one is
cut to :data:`ORIGINAL_PREFIX_BYTES` and marked ``original_truncated``."""
ORIGINAL_PREFIX_BYTES = 64 * 1024
"""How much of an original over :data:`MAX_ORIGINAL_BYTES` a dead letter keeps (64 KiB)."""
MAX_HEADERS_BYTES = 64 * 1024
"""Budget for the original's headers (key + value bytes, plus :data:`HEADER_OVERHEAD_BYTES` each):
headers are kept in order while they fit, the rest left out and ``headers_truncated`` set."""
HEADER_OVERHEAD_BYTES = 32
"""What one header costs in the JSON besides its key and value (``{"key":..,"value_b64":..}``)."""
MAX_KEY_BYTES = 64 * 1024
"""Longest original key kept whole (64 KiB); a longer one is cut and ``key_truncated`` set. The
dead letter's own Kafka key is the kept (possibly cut) key."""

Header = tuple[str, bytes]
"""A Kafka header as aiokafka gives it: ``(key, value)``."""


def source_position(
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None = None,
    timestamp: float | None = None,
    *,
    timestamp_ms: int | None = None,
) -> SourcePosition:
    """Where a message came from; ``timestamp`` in seconds (faust's ``message.timestamp``), or
    ``timestamp_ms`` as Kafka gives it (aiokafka's ``record.timestamp``, taken as is)."""
    if timestamp_ms is None and timestamp is not None:
        timestamp_ms = int(timestamp * 1000)
    return SourcePosition(
        topic=topic,
        partition=partition,
        offset=offset,
        key_b64=base64.b64encode(key).decode("ascii") if key is not None else None,
        timestamp_ms=timestamp_ms,
    )


def position_of_message(message: Any) -> SourcePosition:
    """The :class:`SourcePosition` of a faust ``Message`` (``event.message``)."""
    key = message.key
    if isinstance(key, str):
        key = key.encode("utf-8")
    return source_position(message.topic, message.partition, message.offset, key, message.timestamp)


def headers_of_message(message: Any) -> list[Header]:
    """The headers of a faust ``Message`` (or an aiokafka ``ConsumerRecord``) as ``(str, bytes)``
    pairs, for :func:`build_dead_letter`; faust may hold them as a list of pairs or a mapping."""
    headers = message.headers or ()
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(key), bytes(value or b"")) for key, value in pairs]


def build_dead_letter(
    original: bytes,
    error: BaseException,
    stage: Stage,
    source: SourcePosition,
    service: str,
    *,
    headers: Sequence[Header] = (),
    now: datetime | None = None,
) -> DeadLetter:
    """A :class:`DeadLetter` carrying the original bytes (base64), its headers and why it failed.

    The original is kept whole up to :data:`MAX_ORIGINAL_BYTES`, else its first
    :data:`ORIGINAL_PREFIX_BYTES` with ``original_truncated=True``; ``original_size`` and
    ``original_sha256`` are always the whole original's. ``headers`` (default none) are the
    original message's, as aiokafka gives them (``(str, bytes)`` pairs; faust's ``message.headers``).
    ``now`` (default: the current UTC time) is ``failed_at``.
    """
    message = str(error) or type(error).__name__
    if len(message) > MAX_ERROR_MESSAGE_CHARS:
        message = message[:MAX_ERROR_MESSAGE_CHARS] + f"… ({len(message)} characters)"
    when = (now or datetime.now(UTC)).astimezone(UTC)
    truncated = len(original) > MAX_ORIGINAL_BYTES
    kept = original[:ORIGINAL_PREFIX_BYTES] if truncated else original
    kept_headers, headers_truncated = _kept_headers(headers)
    source, key_truncated = _capped_key(source)
    return DeadLetter(
        stage=stage,
        error_type=type(error).__name__,
        error_message=message,
        source=source,
        original_b64=base64.b64encode(kept).decode("ascii"),
        original_size=len(original),
        original_sha256=hashlib.sha256(original).hexdigest(),
        original_truncated=truncated,
        headers=kept_headers,
        headers_truncated=headers_truncated,
        key_truncated=key_truncated,
        failed_at=when.isoformat().replace("+00:00", "Z"),
        service=service,
    )


def _kept_headers(headers: Sequence[Header]) -> tuple[list[OriginalHeader], bool]:
    kept: list[OriginalHeader] = []
    budget = MAX_HEADERS_BYTES
    for key, value in headers:
        value = value or b""
        cost = len(key.encode("utf-8")) + len(value) + HEADER_OVERHEAD_BYTES
        if cost > budget:
            return kept, True
        budget -= cost
        kept.append(OriginalHeader(key=key, value_b64=base64.b64encode(value).decode("ascii")))
    return kept, False


def _capped_key(source: SourcePosition) -> tuple[SourcePosition, bool]:
    key = base64.b64decode(source.key_b64) if source.key_b64 is not None else b""
    if len(key) <= MAX_KEY_BYTES:
        return source, False
    cut = base64.b64encode(key[:MAX_KEY_BYTES]).decode("ascii")
    return source.model_copy(update={"key_b64": cut}), True


def dead_letter_key(source: SourcePosition) -> bytes | None:
    """The dead letter's key: the original message's key, unchanged."""
    return base64.b64decode(source.key_b64) if source.key_b64 is not None else None


def encode(letter: DeadLetter) -> bytes:
    """Canonical JSON bytes of a dead letter (sorted keys), as published."""
    return jsonio.dumps(letter)


def original_bytes(letter: DeadLetter) -> bytes:
    """The failed message's whole value, decoded from base64.

    Raises :class:`~wirestream.errors.TruncatedDeadLetterError` when the dead letter holds only a
    prefix (``original_truncated``): use :func:`original_prefix` for what it holds, and the source
    position for the whole message.
    """
    if letter.original_truncated:
        src = letter.source
        raise TruncatedDeadLetterError(
            f"the dead letter of {src.topic}[{src.partition}]@{src.offset} holds only the first "
            f"{len(original_prefix(letter)):,} of {letter.original_size:,} bytes (the original was "
            f"over the {MAX_ORIGINAL_BYTES:,}-byte cap): read the whole message from that position "
            f"while the topic retains it (sha256 {letter.original_sha256}), or use original_prefix()"
        )
    return base64.b64decode(letter.original_b64)


def original_prefix(letter: DeadLetter) -> bytes:
    """The bytes of the original the dead letter holds: all of it, or a prefix when truncated."""
    return base64.b64decode(letter.original_b64)


def header_pairs(letter: DeadLetter) -> list[Header]:
    """The kept headers of the original, back as aiokafka ``(key, value)`` pairs."""
    return [(h.key, base64.b64decode(h.value_b64)) for h in letter.headers]
