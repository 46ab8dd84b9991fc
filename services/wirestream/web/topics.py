"""The topics the live view reads, from the contracts' declarations (no name is redeclared).

:data:`STREAMED` maps each record kind to its topic: ``RECORD_TOPICS`` (article, entity, quote,
event) and ``incident`` (the incident stage's compacted topic, keyed by incident id).
The raw topic and its dead letters are not consumed: the stream strip reads their offsets only.
"""

from __future__ import annotations

from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    INCIDENTS,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
    RECORD_TOPICS,
    TopicSpec,
)

STREAMED: dict[str, TopicSpec] = {**RECORD_TOPICS, "incident": INCIDENTS}
"""Record kind -> topic, for every kind the service consumes."""

LAG_TOPIC = RAW_ARTICLES
"""The topic whose lag (of the extractor's group) the stream strip shows, per partition."""
DEAD_LETTER_TOPIC = RAW_DEAD_LETTERS
"""The topic whose message count the stream strip shows as dead letters."""


BACKLOG_FACTOR: dict[str, int] = {"entity": 10}
"""How many times ``backlog`` records of a kind are read back on start: an article has about ten
times as many entities as events, and the article view of a backlog article needs them all."""


def topic_kinds(kafka: KafkaSettings) -> dict[str, str]:
    """Deployed topic name -> record kind."""
    return {spec.name(kafka): kind for kind, spec in STREAMED.items()}


PROVISIONED: tuple[TopicSpec, ...] = ()
"""Read-only: the live view creates no topic at start-up."""
