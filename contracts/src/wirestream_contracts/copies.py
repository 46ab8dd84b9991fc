"""Copy markings: which article is a syndicated or re-sent copy of which, across all workers.

The extractor's ``duplicate_of`` on an article record only knows the articles the worker that
extracted it had seen. The copies stage (``wirestream worker copies``) sees every article's
fingerprint in one place and publishes a :class:`CopyRecord` per article to the compacted
``copies`` topic, keyed by article id: the latest record of an article is its marking. It is
deterministic: the original of an article is the earliest, by (Kafka timestamp of the raw
message, article id), of the articles before it whose SimHash similarity reaches the threshold
within the window - whatever the number of workers and whatever order the fingerprints arrive
in; when an earlier copy arrives late, the marking of the articles it precedes is published
again. See ``docs/CONSUMERS.md`` ("Copies across workers").
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wirestream_contracts.base import ReadingModel


class CopyRecord(ReadingModel):
    """One article's copy marking (the latest per article id stands)."""

    kind: Literal["copy"] = "copy"
    schema_version: Literal[1] = 1
    article_id: str
    duplicate_of: str | None = Field(
        description="The earliest earlier near-identical article; null: this article is an "
        "original (no earlier copy within the window)."
    )
    similarity: float | None = Field(
        default=None, description="SimHash similarity to duplicate_of (0..1)."
    )
    fingerprint: str = Field(description="64-bit SimHash of the article's cleaned text.")
    timestamp: float = Field(
        description="The article's raw message Kafka timestamp, seconds (the order of copies)."
    )
