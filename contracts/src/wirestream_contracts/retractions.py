"""Retractions: records a consumer must drop because a story moved on or was withdrawn.

A wire story is re-sent as it develops (``UPDATE 1``, a write-through, a correction) and is
sometimes killed. The entity, quote and event topics are not compacted, so a newer version
cannot overwrite an older one there: the extractor publishes a :class:`RetractionRecord` to the
``retractions`` topic (keyed by article id, in the same Kafka transaction as the newer version's
records) naming the article and revision whose records no longer stand, and the ids of those
records. On the compacted ``articles`` topic a killed article, and an article superseded by a
version under another article id, also gets a tombstone (a null value under its key). See
``docs/CONSUMERS.md`` ("Story versions and retractions").
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wirestream_contracts.base import ReadingModel

RetractionReason = Literal["superseded", "killed"]
"""``superseded``: a newer version of the story replaces these records; ``killed``: the story was
withdrawn (a kill or withdrawal notice) and nothing of it stands."""


class RetractionRecord(ReadingModel):
    """The records of one article revision that no longer stand."""

    kind: Literal["retraction"] = "retraction"
    schema_version: Literal[1] = 1
    id: str = Field(description="Deterministic: the same retraction replayed has the same id.")
    article_id: str = Field(description="The article whose records are retracted.")
    revision: str | None = Field(
        description="The retracted revision of that article; null: every revision of it."
    )
    story_id: str = Field(description="The story the article is a version of.")
    reason: RetractionReason
    superseded_by: str | None = Field(
        default=None,
        description="The article id of the version that replaces it (reason 'superseded').",
    )
    record_ids: list[str] = Field(
        default_factory=list,
        description="Ids of the retracted entity, quote and event records (and the article "
        "record's). Empty when they are not known: then drop every record of article_id "
        "(with revision, when given).",
    )
    retracted_at: str = Field(
        description="The Kafka timestamp of the superseding (or kill) message (RFC 3339), so "
        "that a replay gives the same record."
    )
