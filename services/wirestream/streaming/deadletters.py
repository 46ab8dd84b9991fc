"""Dead letters: build them from (bytes, error, stage, source position, service) and send them.

Generic on purpose: the extractor dead-letters raw articles, the alerter dead-letters alerts whose
webhook gave up. Nothing here knows about articles.

>>> letter = build_dead_letter(b"not json", ValueError("bad"), "decode",
...                            SourcePosition(topic="t", partition=0, offset=3), "extractor")
>>> letter.stage, letter.error_type, letter.original_size
('decode', 'ValueError', 8)
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from wirestream.core import jsonio
from wirestream.core.contracts import DeadLetter, SourcePosition
from wirestream.core.contracts.deadletter import DeadLetterStage as Stage

MAX_ERROR_MESSAGE_CHARS = 2_000
"""Error messages longer than this are cut (a pydantic error can quote the whole input)."""


def source_position(
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None = None,
    timestamp: float | None = None,
) -> SourcePosition:
    """Where a message came from; ``timestamp`` in seconds (faust's ``message.timestamp``)."""
    return SourcePosition(
        topic=topic,
        partition=partition,
        offset=offset,
        key_b64=base64.b64encode(key).decode("ascii") if key is not None else None,
        timestamp_ms=int(timestamp * 1000) if timestamp is not None else None,
    )


def position_of_message(message: Any) -> SourcePosition:
    """The :class:`SourcePosition` of a faust ``Message`` (``event.message``)."""
    key = message.key
    if isinstance(key, str):
        key = key.encode("utf-8")
    return source_position(message.topic, message.partition, message.offset, key, message.timestamp)


def build_dead_letter(
    original: bytes,
    error: BaseException,
    stage: Stage,
    source: SourcePosition,
    service: str,
    *,
    now: datetime | None = None,
) -> DeadLetter:
    """A :class:`DeadLetter` carrying the exact original bytes (base64) and why they failed.

    ``now`` (default: the current UTC time) is ``failed_at``.
    """
    message = str(error) or type(error).__name__
    if len(message) > MAX_ERROR_MESSAGE_CHARS:
        message = message[:MAX_ERROR_MESSAGE_CHARS] + f"… ({len(message)} characters)"
    when = (now or datetime.now(UTC)).astimezone(UTC)
    return DeadLetter(
        stage=stage,
        error_type=type(error).__name__,
        error_message=message,
        source=source,
        original_b64=base64.b64encode(original).decode("ascii"),
        original_size=len(original),
        failed_at=when.isoformat().replace("+00:00", "Z"),
        service=service,
    )


def dead_letter_key(source: SourcePosition) -> bytes | None:
    """The dead letter's key: the original message's key, unchanged."""
    return base64.b64decode(source.key_b64) if source.key_b64 is not None else None


def encode(letter: DeadLetter) -> bytes:
    """Canonical JSON bytes of a dead letter (sorted keys), as published."""
    return jsonio.dumps(letter)


def original_bytes(letter: DeadLetter) -> bytes:
    """The failed message's value, decoded from base64."""
    return base64.b64decode(letter.original_b64)
