"""Internal state records: what a service keeps on a changelog topic to rebuild its memory."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wirestream_contracts.base import ReadingModel


class FingerprintEntry(ReadingModel):
    """One article's SimHash fingerprint, as the extractor remembers it for near-duplicate
    marking. Written in the same transaction as the article's records, to the partition of the
    raw message it came from, keyed by article id (a compacted topic: the latest per article)."""

    kind: Literal["fingerprint"] = "fingerprint"
    schema_version: Literal[1] = 1
    article_id: str
    fingerprint: str = Field(description="64-bit SimHash of the cleaned text, 16 hex digits.")
    timestamp: float = Field(
        description="The raw message's Kafka timestamp, seconds since the epoch (the order "
        "copies are compared in)."
    )
