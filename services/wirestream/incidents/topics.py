"""The topics the incident stage reads and writes (declared in :mod:`wirestream_contracts.topics`).

- ``route`` reads :data:`INPUTS`: the articles, events and retractions topics (keyed by article
  id, co-partitioned) and the copies topic (the copies stage's markings);
- it writes :data:`INCIDENT_MEMBERS` (keyed by the coarse key country|type), which ``cluster``
  reads, and ``cluster`` writes :data:`INCIDENTS` (compacted, keyed by incident id);
- the tables' changelogs are faust's own (:data:`TABLES`).

:func:`declare` makes them faust topics of the app; :data:`PROVISIONED` are the declared topics
created at start-up when missing (``WIRESTREAM_INCIDENTS_PROVISION_TOPICS``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import faust

from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    COPIES,
    EVENTS,
    INCIDENT_MEMBERS,
    INCIDENTS,
    RETRACTIONS,
    TopicSpec,
)

INPUTS: tuple[TopicSpec, ...] = (ARTICLES, EVENTS, RETRACTIONS, COPIES)
PROVISIONED: tuple[TopicSpec, ...] = (*INPUTS, INCIDENT_MEMBERS, INCIDENTS)

TABLES = {
    "pending": (EVENTS.partitions, "Per article id: its records so far."),
    "members": (INCIDENT_MEMBERS.partitions, "Per key and event id: a member."),
    "incidents": (INCIDENT_MEMBERS.partitions, "Per key and incident id: the last active record."),
    "marks": (INCIDENT_MEMBERS.partitions, "Per key: retracted ids, copy markings, their days."),
    "retracted": (INCIDENT_MEMBERS.partitions, "Per partition and article: retractions, dated."),
    "copied": (INCIDENT_MEMBERS.partitions, "Per partition and article: latest copy marking."),
}
"""The changelogged tables: name -> (partitions, what they hold)."""


@dataclass(frozen=True)
class IncidentTopics:
    """The stage's faust topics (raw bytes keys and values)."""

    inputs: Any
    members: Any
    incidents: Any

    def served(self) -> set[str]:
        """The topics whose partitions make the worker ready."""
        return {*self.inputs.topics, *self.members.topics}


def declare(app: faust.App, kafka: KafkaSettings) -> IncidentTopics:
    raw: dict[str, Any] = {"key_serializer": "raw", "value_serializer": "raw"}
    return IncidentTopics(
        inputs=app.topic(*[spec.name(kafka) for spec in INPUTS], **raw),
        members=app.topic(INCIDENT_MEMBERS.name(kafka), **raw),
        incidents=app.topic(INCIDENTS.name(kafka), **raw),
    )


class AckedTable(faust.Table[Any, Any]):
    """A table that keeps the futures of its changelog writes (:attr:`unacked`), so the agent
    that writes it can wait until they are acknowledged (:meth:`settle`) before its message is
    acked.

    faust flushes its producer before it commits offsets, but its flush gives up on its send
    buffer after 0.1 s without a send; a table write still in that buffer when the offset is
    committed is lost to a SIGKILL, and its message is not replayed (issue 16)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.unacked: list[Any] = []

    def send_changelog(self, *args: Any, **kwargs: Any) -> Any:
        fut = super().send_changelog(*args, **kwargs)
        self.unacked.append(fut)
        return fut

    async def settle(self) -> None:
        """Wait until every changelog write made so far is acknowledged (raises if one fails)."""
        while self.unacked:
            pending, self.unacked = self.unacked, []
            await asyncio.gather(*pending)


def tables(app: faust.App) -> dict[str, Any]:
    """The tables, each an :class:`AckedTable`."""
    # No key_type/value_type: plain JSON data (see the alerter's note on changelog recovery).
    out: dict[str, Any] = {}
    for name, (partitions, text) in TABLES.items():
        table = AckedTable(
            app, name=name, beacon=app.tables.beacon, partitions=partitions, help=text
        )
        out[name] = app.tables.add(table)
    return out
