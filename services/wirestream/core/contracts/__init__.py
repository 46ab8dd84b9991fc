"""Contracts: the pydantic models that are the source of truth for every message.

``schemas/`` holds the JSON Schema generated from these models (``make schemas``); a test fails
when the committed files drift from them.
"""

from wirestream.core.contracts.alerts import AlertRecord
from wirestream.core.contracts.article import (
    MAX_BODY_CHARS,
    MAX_METADATA_DEPTH,
    MAX_RAW_MESSAGE_BYTES,
    Article,
)
from wirestream.core.contracts.deadletter import DeadLetter, SourcePosition
from wirestream.core.contracts.records import (
    SCHEMA_VERSION,
    ArticleRecord,
    Casualties,
    Claim,
    Count,
    Credit,
    Cue,
    Dateline,
    EntityRecord,
    EntityType,
    Envelope,
    EnvelopePart,
    EventDate,
    EventLocation,
    EventRecord,
    Geo,
    NoiseSpan,
    Participant,
    Quantity,
    QuoteRecord,
    Record,
    Role,
    Span,
    Speaker,
    VersionTag,
)
from wirestream.core.contracts.state import FingerprintEntry

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_METADATA_DEPTH",
    "MAX_RAW_MESSAGE_BYTES",
    "SCHEMA_VERSION",
    "AlertRecord",
    "Article",
    "ArticleRecord",
    "Casualties",
    "Claim",
    "Count",
    "Credit",
    "Cue",
    "Dateline",
    "DeadLetter",
    "EntityRecord",
    "EntityType",
    "Envelope",
    "EnvelopePart",
    "EventDate",
    "EventLocation",
    "EventRecord",
    "FingerprintEntry",
    "Geo",
    "NoiseSpan",
    "Participant",
    "Quantity",
    "QuoteRecord",
    "Record",
    "Role",
    "SourcePosition",
    "Span",
    "Speaker",
    "VersionTag",
]
