"""Dead letters: what could not be processed, with the original bytes and where they came from.

A dead letter always fits its topic: the original value is kept whole up to a cap and cut to a
prefix beyond it (``original_truncated``), with its full size and sha256 kept either way; see
``wirestream.streaming.deadletters`` for the caps.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wirestream_contracts.base import ReadingModel


class SourcePosition(ReadingModel):
    topic: str
    partition: int
    offset: int
    key_b64: str | None = Field(
        default=None,
        description="The original key, base64 (its first 64 KiB when key_truncated is true).",
    )
    timestamp_ms: int | None = Field(default=None, description="The original message's timestamp.")


class OriginalHeader(ReadingModel):
    """One header of the original message (Kafka headers: a string key, bytes value)."""

    key: str
    value_b64: str = Field(description="The header's value, base64.")


DeadLetterStage = Literal["decode", "validate", "extract", "encode", "publish", "deliver"]
"""Where a message failed; see :attr:`DeadLetter.stage`."""


class DeadLetter(ReadingModel):
    """One message that failed, and why.

    Nothing is lost silently: ``original_b64`` is the exact bytes when ``original_truncated`` is
    false, else their first bytes only, and ``original_size`` / ``original_sha256`` always describe
    the whole original (fetch it from ``source`` while the source topic retains it). The
    ``original_sha256``, ``original_truncated``, ``headers``, ``headers_truncated`` and
    ``key_truncated`` fields were added compatibly (schema version 1): older dead letters lack them
    and read as not truncated, without headers.
    """

    kind: Literal["dead_letter"] = "dead_letter"
    schema_version: Literal[1] = 1
    stage: DeadLetterStage = Field(
        description="decode: not UTF-8 JSON; validate: not an article; extract: extraction raised; "
        "encode: building or serialising the records raised; "
        "publish: the broker refused its records for good (not a passing outage); "
        "deliver: a downstream delivery (webhook) gave up."
    )
    error_type: str = Field(description="Exception class name, e.g. 'ValidationError'.")
    error_message: str
    source: SourcePosition
    original_b64: str = Field(
        description="The message value as received, base64: all of it, or only its first bytes "
        "when original_truncated is true."
    )
    original_size: int = Field(description="Size of the whole original value in bytes.")
    original_sha256: str | None = Field(
        default=None, description="sha256 of the whole original value, 64 hex digits."
    )
    original_truncated: bool = Field(
        default=False,
        description="True when original_b64 holds only a prefix (the original was over the cap).",
    )
    headers: list[OriginalHeader] = Field(
        default_factory=list, description="The original message's headers, in order."
    )
    headers_truncated: bool = Field(
        default=False,
        description="True when the original's headers were over the cap: some are left out.",
    )
    key_truncated: bool = Field(
        default=False, description="True when source.key_b64 holds only a prefix of the key."
    )
    failed_at: str = Field(description="RFC 3339 UTC time of the failure.")
    service: str = Field(description="Which worker dead-lettered it (extractor, alerter).")
