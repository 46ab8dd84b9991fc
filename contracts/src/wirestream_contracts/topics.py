"""Every topic Wirestream reads or writes, declared once: names, keys, values, compatibility.

A :class:`TopicSpec` says the topic's name (suffix after the deployment's topic prefix, default
``wirestream.``), key, value record and schema version (major), partitions, retention, compaction,
dead-letter topic and compatibility mode. The service provisions topics from these declarations
only, and ``schemas/asyncapi.yaml`` is generated from them. Consumers use them for names and keys::

    from wirestream_contracts.topics import EVENTS
    EVENTS.name()                 # 'wirestream.events'
    EVENTS.name("staging.ws.")    # 'staging.ws.events' (WIRESTREAM_KAFKA_TOPIC_PREFIX)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import BaseModel

from wirestream_contracts.alerts import AlertRecord
from wirestream_contracts.article import MAX_RAW_MESSAGE_BYTES, Article
from wirestream_contracts.copies import CopyRecord
from wirestream_contracts.deadletter import DeadLetter
from wirestream_contracts.incidents import IncidentMember, IncidentRecord
from wirestream_contracts.records import ArticleRecord, EntityRecord, EventRecord, QuoteRecord
from wirestream_contracts.retractions import RetractionRecord
from wirestream_contracts.state import FingerprintEntry, StoryState

DEFAULT_TOPIC_PREFIX = "wirestream."
"""The topic prefix of a deployment that sets none (``WIRESTREAM_KAFKA_TOPIC_PREFIX``)."""

Compatibility = Literal["FULL_TRANSITIVE", "BACKWARD_TRANSITIVE"]
"""Confluent Schema Registry's names for the guarantee between the versions of one major:
``FULL_TRANSITIVE`` (records Wirestream writes: any reader of any version of the major reads any
writer's data) or ``BACKWARD_TRANSITIVE`` (the raw input, which Wirestream reads: the current
reader reads data written for every earlier version). See ``docs/CONSUMERS.md``."""


class HasTopicPrefix(Protocol):
    """Anything with a ``topic_prefix`` (the service's ``KafkaSettings``)."""

    @property
    def topic_prefix(self) -> str: ...


DAY_MS = 24 * 3600 * 1000
MAX_MESSAGE_BYTES = MAX_RAW_MESSAGE_BYTES
"""Largest message any topic accepts (``max.message.bytes``, 8 MiB): the raw topic's limit is the
article contract's :data:`~wirestream_contracts.article.MAX_RAW_MESSAGE_BYTES` (its docstring
relates it to the body and metadata limits), and the record topics take as much (an article record
repeats the body)."""
REQUEST_HEADROOM = 1024 * 1024
"""Bytes added to MAX_MESSAGE_BYTES for the producer request and consumer fetch sizes."""
MAX_REQUEST_BYTES = MAX_MESSAGE_BYTES + REQUEST_HEADROOM
"""Producers' ``max_request_size`` and consumers' fetch size per partition: a message the topics
accept can be sent and fetched."""


@dataclass(frozen=True)
class TopicSpec:
    """One topic, as declared. ``name(prefix)`` gives the deployed name."""

    key: str
    suffix: str
    description: str
    message_key: str
    value: type[BaseModel]
    schema_version: int
    partitions: int
    retention_ms: int
    compacted: bool = False
    expires: bool = False
    """With ``compacted``: also delete entries older than ``retention_ms`` (``compact,delete``)."""
    dead_letter: str | None = None
    raw_bytes_in: bool = False
    """True when producers may send anything: the consumer validates and dead-letters."""
    compatibility: Compatibility = "FULL_TRANSITIVE"
    """What changes within one major version guarantee (see :data:`Compatibility`)."""

    def name(self, prefix: str | HasTopicPrefix = DEFAULT_TOPIC_PREFIX) -> str:
        """The deployed name: ``prefix`` (a string, or settings with ``topic_prefix``) + suffix."""
        return (prefix if isinstance(prefix, str) else prefix.topic_prefix) + self.suffix

    def config(self) -> dict[str, str]:
        """Topic-level configuration for provisioning."""
        return {
            "cleanup.policy": (
                ("compact,delete" if self.expires else "compact") if self.compacted else "delete"
            ),
            "retention.ms": str(self.retention_ms),
            "max.message.bytes": str(MAX_MESSAGE_BYTES),
        }


RAW_ARTICLES = TopicSpec(
    key="raw",
    suffix="articles.raw",
    description="Raw articles from publishers. Anything may arrive; the extractor validates.",
    message_key="story id (the article's story_id, else its id), so that every version of a "
    "story reaches one partition (optional; any bytes)",
    value=Article,
    schema_version=1,
    partitions=4,
    retention_ms=7 * DAY_MS,
    dead_letter="raw_dlq",
    raw_bytes_in=True,
    compatibility="BACKWARD_TRANSITIVE",
)
RAW_DEAD_LETTERS = TopicSpec(
    key="raw_dlq",
    suffix="articles.raw.dlq",
    description="Raw messages the extractor could not decode, validate or extract, with the reason.",
    message_key="the original key",
    value=DeadLetter,
    schema_version=1,
    partitions=1,
    retention_ms=30 * DAY_MS,
)
ARTICLES = TopicSpec(
    key="articles",
    suffix="articles",
    description="Normalised article records (latest per article id). A null value (a "
    "tombstone, without headers) under an article id: that article no longer stands (a newer "
    "version of its story under another article id replaced it, or the story was killed); the "
    "retractions topic says which and why.",
    message_key="article id",
    value=ArticleRecord,
    schema_version=1,
    partitions=4,
    retention_ms=30 * DAY_MS,
    compacted=True,
)
ENTITIES = TopicSpec(
    key="entities",
    suffix="entities",
    description="Entity records, all of an article's keyed by its id.",
    message_key="article id",
    value=EntityRecord,
    schema_version=1,
    partitions=4,
    retention_ms=30 * DAY_MS,
)
QUOTES = TopicSpec(
    key="quotes",
    suffix="quotes",
    description="Quote records, all of an article's keyed by its id.",
    message_key="article id",
    value=QuoteRecord,
    schema_version=1,
    partitions=4,
    retention_ms=30 * DAY_MS,
)
EVENTS = TopicSpec(
    key="events",
    suffix="events",
    description="Event records, all of an article's keyed by its id.",
    message_key="article id",
    value=EventRecord,
    schema_version=1,
    partitions=4,
    retention_ms=30 * DAY_MS,
)
RETRACTIONS = TopicSpec(
    key="retractions",
    suffix="retractions",
    description="Records that no longer stand: an older version of a story (reason "
    "'superseded'), or a killed story (reason 'killed'), published in the same transaction as "
    "the newer version's records. Drop the listed record_ids (or every record of article_id "
    "with revision when the list is empty). Headers as on the record topics (kind "
    "'retraction').",
    message_key="article id (of the retracted records)",
    value=RetractionRecord,
    schema_version=1,
    partitions=4,
    retention_ms=30 * DAY_MS,
)
INCIDENTS = TopicSpec(
    key="incidents",
    suffix="incidents",
    description="Incidents: one record per real-world happening, every report of it, counts "
    "reconciled (latest per incident id; absorbed incidents end with status 'merged').",
    message_key="incident id",
    value=IncidentRecord,
    schema_version=1,
    partitions=4,
    retention_ms=90 * DAY_MS,
    compacted=True,
)
INCIDENT_MEMBERS = TopicSpec(
    key="incident_members",
    suffix="incidents.members",
    description="Internal: event summaries and retractions re-keyed by the incident stage's coarse "
    "key (country and event type), so one partition owns all candidates of a key; retractions are "
    "copied to every partition.",
    message_key="partition key (country and event type)",
    value=IncidentMember,
    schema_version=1,
    partitions=4,
    retention_ms=7 * DAY_MS,
)
ALERTS = TopicSpec(
    key="alerts",
    suffix="alerts",
    description="Alerts fired by the alerter's rules.",
    message_key="rule name",
    value=AlertRecord,
    schema_version=1,
    partitions=1,
    retention_ms=90 * DAY_MS,
    dead_letter="alerts_dlq",
)
ALERT_DEAD_LETTERS = TopicSpec(
    key="alerts_dlq",
    suffix="alerts.dlq",
    description="Alerts whose webhook delivery failed after every retry.",
    message_key="rule name",
    value=DeadLetter,
    schema_version=1,
    partitions=1,
    retention_ms=30 * DAY_MS,
)

EXTRACTOR_FINGERPRINTS = TopicSpec(
    key="fingerprints",
    suffix="extractor.fingerprints",
    description="Internal: the extractor's near-duplicate state (one fingerprint per article), "
    "written in the same transaction as the article's records to the raw message's partition, "
    "read back when a worker is assigned that partition.",
    message_key="article id",
    value=FingerprintEntry,
    schema_version=1,
    partitions=RAW_ARTICLES.partitions,
    retention_ms=2 * DAY_MS,
    compacted=True,
    expires=True,
)

EXTRACTOR_STORIES = TopicSpec(
    key="stories",
    suffix="extractor.stories",
    description="Internal: the extractor's story-version state (the standing version of each "
    "story), written in the same transaction as the records to the raw message's partition, "
    "read back when a worker is assigned that partition.",
    message_key="story id",
    value=StoryState,
    schema_version=1,
    partitions=RAW_ARTICLES.partitions,
    retention_ms=30 * DAY_MS,
    compacted=True,
    expires=True,
)
COPY_FINGERPRINTS = TopicSpec(
    key="copy_fingerprints",
    suffix="copies.fingerprints",
    description="Internal: every article's fingerprint, from all extractor workers, in one "
    "partition (written in the same transaction as the article's records), for the copies "
    "stage.",
    message_key="article id",
    value=FingerprintEntry,
    schema_version=1,
    partitions=1,
    retention_ms=3 * DAY_MS,
)
COPIES = TopicSpec(
    key="copies",
    suffix="copies",
    description="Copy markings across all workers (latest per article id): duplicate_of is the "
    "earliest earlier near-identical article, null for an original. Deterministic under replay "
    "and with any number of workers.",
    message_key="article id",
    value=CopyRecord,
    schema_version=1,
    partitions=4,
    retention_ms=30 * DAY_MS,
    compacted=True,
)

ALL_TOPICS: tuple[TopicSpec, ...] = (
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
    ARTICLES,
    ENTITIES,
    QUOTES,
    EVENTS,
    RETRACTIONS,
    INCIDENTS,
    INCIDENT_MEMBERS,
    ALERTS,
    ALERT_DEAD_LETTERS,
    EXTRACTOR_FINGERPRINTS,
    EXTRACTOR_STORIES,
    COPY_FINGERPRINTS,
    COPIES,
)
BY_KEY: dict[str, TopicSpec] = {t.key: t for t in ALL_TOPICS}
RECORD_TOPICS: dict[str, TopicSpec] = {
    "article": ARTICLES,
    "entity": ENTITIES,
    "quote": QUOTES,
    "event": EVENTS,
}
"""Which topic each record kind is published to."""
