"""Dead letters: what could not be processed, with the original bytes and where they came from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SourcePosition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: str
    partition: int
    offset: int
    key_b64: str | None = Field(default=None, description="The original key, base64.")
    timestamp_ms: int | None = Field(default=None, description="The original message's timestamp.")


DeadLetterStage = Literal["decode", "validate", "extract", "encode", "publish", "deliver"]
"""Where a message failed; see :attr:`DeadLetter.stage`."""


class DeadLetter(BaseModel):
    """One message that failed, and why. Nothing is lost: ``original_b64`` is the exact bytes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["dead_letter"] = "dead_letter"
    schema_version: Literal[1] = 1
    stage: DeadLetterStage = Field(
        description="decode: not UTF-8 JSON; validate: not an article; extract: extraction raised; "
        "publish: the broker refused its records for good (not a passing outage); "
        "deliver: a downstream delivery (webhook) gave up."
    )
    error_type: str = Field(description="Exception class name, e.g. 'ValidationError'.")
    error_message: str
    source: SourcePosition
    original_b64: str = Field(description="The message value exactly as received, base64.")
    original_size: int
    failed_at: str = Field(description="RFC 3339 UTC time of the failure.")
    service: str = Field(description="Which worker dead-lettered it (extractor, alerter).")
