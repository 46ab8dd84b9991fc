"""The topics the extractor reads and writes (declared in :mod:`wirestream_contracts.topics`).

It reads :data:`READS` (the raw articles) and, on assignment, :data:`STATE`; each transaction writes to :data:`OUTPUT_TOPICS`: the
records, retractions, dead letters, its fingerprint and story-version state, and the fingerprints
the copies stage reads. At start-up it creates every declared topic that is missing
(:data:`PROVISIONED`, ``WIRESTREAM_EXTRACTOR_PROVISION_TOPICS``).
"""

from __future__ import annotations

from wirestream.streaming.topics import (
    ALL_TOPICS,
    ARTICLES,
    COPY_FINGERPRINTS,
    ENTITIES,
    EVENTS,
    EXTRACTOR_FINGERPRINTS,
    EXTRACTOR_STORIES,
    QUOTES,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
    RETRACTIONS,
    TopicSpec,
)

READS: tuple[TopicSpec, ...] = (RAW_ARTICLES,)
STATE: tuple[TopicSpec, ...] = (EXTRACTOR_FINGERPRINTS, EXTRACTOR_STORIES)
"""Its near-duplicate and story-version state, read back on assignment."""
OUTPUT_TOPICS: tuple[TopicSpec, ...] = (
    ARTICLES,
    ENTITIES,
    QUOTES,
    EVENTS,
    RETRACTIONS,
    RAW_DEAD_LETTERS,
    EXTRACTOR_FINGERPRINTS,
    EXTRACTOR_STORIES,
    COPY_FINGERPRINTS,
)
PROVISIONED: tuple[TopicSpec, ...] = tuple(ALL_TOPICS)

__all__ = [
    "EXTRACTOR_FINGERPRINTS",
    "EXTRACTOR_STORIES",
    "OUTPUT_TOPICS",
    "PROVISIONED",
    "RAW_ARTICLES",
    "READS",
    "STATE",
]
