"""The topics the alerter reads and writes (declared in :mod:`wirestream_contracts.topics`).

- reads :data:`RULE_TOPICS` - the article, entity, quote, event and incident topics, only those
  some rule is about;
- the internal topic ``<app id>-hits`` (:data:`HITS_PARTITIONS` partitions), keyed by
  ``rule\x1fgroup``: each rule+group is owned by one partition; the tables' changelogs;
- writes :data:`ALERTS` and :data:`ALERT_DEAD_LETTERS`.

:func:`declare` makes them faust topics of the app; :func:`provisioned` are the declared topics
created at start-up when missing (``WIRESTREAM_ALERTER_PROVISION_TOPICS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import faust

from wirestream.alerter.rules import Rule
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ALERT_DEAD_LETTERS,
    ALERTS,
    INCIDENTS,
    RECORD_TOPICS,
    TopicSpec,
)

RULE_TOPICS = {**RECORD_TOPICS, "incident": INCIDENTS}
"""The topic of each record kind a rule can be about (incidents from the incident stage)."""
HITS_PARTITIONS = 4
"""Partitions of the internal hits topic (and so of the tables' changelogs)."""


@dataclass(frozen=True)
class AlerterTopics:
    """The alerter's faust topics (raw bytes keys and values)."""

    records: Any
    hits: Any
    alerts: Any
    dead_letters: Any

    def served(self) -> set[str]:
        """The topics whose partitions make the worker ready."""
        return {*self.records.topics, self.hits.get_topic_name(), self.alerts.get_topic_name()}


def provisioned() -> list[TopicSpec]:
    return [*RULE_TOPICS.values(), ALERTS, ALERT_DEAD_LETTERS]


def declare(app: faust.App, kafka: KafkaSettings, rules: Sequence[Rule]) -> AlerterTopics:
    """The topics of ``app`` for ``rules`` (the record topics only of the kinds they match)."""
    raw: dict[str, Any] = {"key_serializer": "raw", "value_serializer": "raw"}
    kinds = sorted({r.match.kind for r in rules})
    return AlerterTopics(
        records=app.topic(*[RULE_TOPICS[k].name(kafka) for k in kinds], **raw),
        hits=app.topic(f"{app.conf.id}-hits", internal=True, partitions=HITS_PARTITIONS, **raw),
        alerts=app.topic(ALERTS.name(kafka), **raw),
        dead_letters=app.topic(ALERT_DEAD_LETTERS.name(kafka), **raw),
    )
