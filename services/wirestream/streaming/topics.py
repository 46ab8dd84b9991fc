"""Every topic Wirestream reads or writes, declared once in the contracts package
(:mod:`wirestream_contracts.topics`, which consumers install alone); re-exported here for the
service. ``topic.name(settings)`` gives the deployed name for a ``KafkaSettings``.
"""

from wirestream_contracts.topics import (
    ALERT_DEAD_LETTERS,
    ALERTS,
    ALL_TOPICS,
    ARTICLES,
    BY_KEY,
    COPIES,
    COPY_FINGERPRINTS,
    DAY_MS,
    DEFAULT_TOPIC_PREFIX,
    ENTITIES,
    EVENTS,
    EXTRACTOR_FINGERPRINTS,
    EXTRACTOR_STORIES,
    INCIDENT_MEMBERS,
    INCIDENTS,
    MAX_MESSAGE_BYTES,
    MAX_REQUEST_BYTES,
    QUOTES,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
    RECORD_TOPICS,
    REQUEST_HEADROOM,
    RETRACTIONS,
    TopicSpec,
)

__all__ = [
    "ALERTS",
    "ALERT_DEAD_LETTERS",
    "ALL_TOPICS",
    "ARCHIVED_TOPICS",
    "ARTICLES",
    "BY_KEY",
    "COPIES",
    "COPY_FINGERPRINTS",
    "DAY_MS",
    "DEFAULT_TOPIC_PREFIX",
    "ENTITIES",
    "EVENTS",
    "EXTRACTOR_FINGERPRINTS",
    "EXTRACTOR_STORIES",
    "INCIDENTS",
    "INCIDENT_MEMBERS",
    "MAX_MESSAGE_BYTES",
    "MAX_REQUEST_BYTES",
    "QUOTES",
    "RAW_ARTICLES",
    "RAW_DEAD_LETTERS",
    "RECORD_TOPICS",
    "REQUEST_HEADROOM",
    "RETRACTIONS",
    "TopicSpec",
]

ARCHIVED_TOPICS: dict[str, TopicSpec] = {
    **RECORD_TOPICS,
    "retraction": RETRACTIONS,
    "copy": COPIES,
    "incident": INCIDENTS,
}
"""What the archiver keeps, by record kind: the records, retractions, copy markings and every
published state of every incident (the archive keeps their history)."""
