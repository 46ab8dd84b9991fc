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


class StoryState(ReadingModel):
    """The standing version of one story, as the extractor remembers it to order versions.

    Written in the same transaction as the records of the message that changed it, to the
    partition of the raw message it came from, keyed by story id (a compacted topic: the latest
    per story). ``order`` is the version's place in the story: ``[version, published_at
    (seconds since the epoch, or null), Kafka timestamp (seconds)]``, compared in that order; a
    message whose order is not above the standing one's changes nothing."""

    kind: Literal["story"] = "story"
    schema_version: Literal[1] = 1
    story_id: str
    article_id: str = Field(description="The article id of the standing version.")
    revision: str = Field(description="Its revision.")
    version: int = Field(description="Its version number (given, or from the wire tag).")
    published: float | None = Field(description="Its published_at, seconds since the epoch.")
    timestamp: float = Field(description="Its raw message's Kafka timestamp, seconds.")
    killed: bool = Field(default=False, description="The story was withdrawn: nothing stands.")
    record_ids: list[str] = Field(
        default_factory=list, description="Ids of the standing version's records (all kinds)."
    )
