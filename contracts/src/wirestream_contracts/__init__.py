"""Wirestream's contracts: the models of every message, the topics, headers and schema files.

Install this package alone (``pip install wirestream-contracts``; dependencies pydantic and orjson)
to read Wirestream's topics::

    from wirestream_contracts import EventRecord, topics
    event = EventRecord.model_validate_json(message.value)   # unknown (newer) fields ignored

Models are the source of truth; ``schemas/`` (see :mod:`wirestream_contracts.schemas`) is generated
from them. Spans are offsets in Unicode code points (see :class:`Span`); ``docs/CONSUMERS.md`` in
the Wirestream repository is the consumer guide.
"""

from wirestream_contracts import compat, headers, schemas, topics
from wirestream_contracts.alerts import AlertRecord
from wirestream_contracts.article import (
    MAX_BODY_CHARS,
    MAX_METADATA_DEPTH,
    MAX_RAW_MESSAGE_BYTES,
    Article,
)
from wirestream_contracts.base import ReadingModel
from wirestream_contracts.copies import CopyRecord
from wirestream_contracts.deadletter import DeadLetter, OriginalHeader, SourcePosition
from wirestream_contracts.incidents import (
    CountReport,
    IncidentCasualties,
    IncidentDate,
    IncidentMember,
    IncidentPlace,
    IncidentRecord,
    IncidentSources,
    IncidentStatus,
    ReconciledCount,
)
from wirestream_contracts.records import (
    SCHEMA_VERSION,
    ArticleCounts,
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
from wirestream_contracts.retractions import RetractionReason, RetractionRecord
from wirestream_contracts.state import FingerprintEntry, StoryState

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_METADATA_DEPTH",
    "MAX_RAW_MESSAGE_BYTES",
    "SCHEMA_VERSION",
    "AlertRecord",
    "Article",
    "ArticleCounts",
    "ArticleRecord",
    "Casualties",
    "Claim",
    "CopyRecord",
    "Count",
    "CountReport",
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
    "IncidentCasualties",
    "IncidentDate",
    "IncidentMember",
    "IncidentPlace",
    "IncidentRecord",
    "IncidentSources",
    "IncidentStatus",
    "NoiseSpan",
    "OriginalHeader",
    "Participant",
    "Quantity",
    "QuoteRecord",
    "ReadingModel",
    "ReconciledCount",
    "Record",
    "RetractionReason",
    "RetractionRecord",
    "Role",
    "SourcePosition",
    "Span",
    "Speaker",
    "StoryState",
    "VersionTag",
    "compat",
    "headers",
    "schemas",
    "topics",
]
