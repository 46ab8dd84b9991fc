"""``wirestream worker incidents``: two thin faust agents around the pure incident clustering.

1. ``route`` reads the articles, events and retractions topics (keyed by article id,
   co-partitioned, so one worker sees an article's records together). It gathers an article's
   records in the ``pending`` table until complete (:class:`~wirestream.core.incidents.routing.
   Pending`), turns them into members and sends each to the members topic
   (``incidents.members``) at the partition of its coarse key (country|type), so one partition
   owns every candidate of a key. A retraction is copied to every partition. It also reads the
   copies topic (the copies stage's markings across all workers, keyed by article id): each
   marking is copied to every partition too (``op: "copy"``), like a retraction.
2. ``cluster`` reads the members topic and keeps one :class:`~wirestream.core.incidents.KeyState`
   per key, persisted in parts: the ``members`` table (per key and event id), ``incidents`` (per
   key and incident id: the last active record), ``marks`` (per key: retracted ids) and
   ``retracted`` (per partition and article id: the retractions seen), ``copied`` (per partition
   and article id: the latest copy marking, taken by members that arrive after it). Each member updates its
   key's state (held in memory between rebalances) and the incident records that changed go to
   the compacted ``incidents`` topic, keyed by incident id. A copy marking that arrives after
   its article's members re-publishes the incidents holding them, their independent outlets
   counted again.

Both tables are changelogged (recovered on restart and rebalance). Delivery is at-least-once
(faust commits acked offsets): a crash replays messages onto state that already holds them. The
state is a set of members plus sticky retractions and the incidents are a pure function of it,
so a replay changes nothing and republishes the same records under the same ids (the topic is
compacted; consumers keep the latest per id). See docs/DELIVERY.md ("Incidents").

Web views on ``WIRESTREAM_INCIDENTS_WEB_PORT`` (default 6071): ``/health``, ``/ready`` (assigned,
tables recovered, not rebalancing), ``/metrics``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import faust
import orjson
from aiokafka.admin import NewTopic

import wirestream
from wirestream.core import jsonio
from wirestream.core.incidents import KeyState, Policy, members_of_article
from wirestream.core.incidents.routing import Pending, member_partition
from wirestream.incidents.metrics import IncidentMetrics
from wirestream.incidents.settings import IncidentSettings
from wirestream.logs import configure
from wirestream.streaming.faustapp import build_app, run_worker, serve_views
from wirestream.streaming.provision import ensure_new_topics, ensure_topics
from wirestream.streaming.readiness import group_readiness
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    COPIES,
    EVENTS,
    INCIDENT_MEMBERS,
    INCIDENTS,
    RETRACTIONS,
)
from wirestream_contracts import headers as wire_headers
from wirestream_contracts.incidents import IncidentMember, IncidentRecord

logger = logging.getLogger(__name__)

SEP = "\x1f"
ALL_KEYS = "*"
"""The partition key of a retraction: it concerns every key of the partition it lands in."""


def _headers(value: IncidentRecord | IncidentMember) -> list[wire_headers.Header]:
    producer = f"incidents/{wirestream.__version__}"
    return wire_headers.produced_headers(value.kind, value.schema_version, producer, [])


@dataclass
class IncidentService:
    """The built app and what tests reach: tables, sinks, counters."""

    app: faust.App
    settings: IncidentSettings
    sinks: dict[str, Any]
    pending: Any
    members: Any
    incidents: Any
    marks: Any
    retracted: Any
    copied: Any
    cache: dict[str, KeyState] = field(default_factory=dict)
    """Per partition key: its state in memory, dropped at every rebalance (rebuilt from the
    tables, which the changelogs restore, when the key is next needed)."""
    route_agent: Any = None
    cluster_agent: Any = None
    published: int = 0
    skipped: int = 0
    metrics: IncidentMetrics = field(default_factory=IncidentMetrics)

    @property
    def policy(self) -> Policy:
        s = self.settings
        return Policy(event_days=s.event_days, report_days=s.report_days, fine_km=s.fine_km)

    async def _send_member(self, member: IncidentMember, partition: int) -> None:
        self.metrics.members.labels(member.op).inc()
        await self.sinks["members"].send(
            key=member.partition_key.encode(),
            value=jsonio.dumps(member),
            partition=partition,
            headers=_headers(member),
        )

    async def on_record(self, value: bytes | None) -> int:
        """Step 1 for one article, event, retraction or copy record; returns the members sent."""
        try:
            record = orjson.loads(value or b"")
        except orjson.JSONDecodeError:
            record = None
        if not isinstance(record, dict) or not isinstance(record.get("article_id"), str):
            self.skipped += 1
            self.metrics.skipped.inc()
            return 0
        article_id: str = record["article_id"]
        partitions = INCIDENT_MEMBERS.partitions
        if record.get("kind") in ("retraction", "copy"):
            dup = record.get("duplicate_of")
            broadcast = IncidentMember(
                op="retract" if record["kind"] == "retraction" else "copy",
                partition_key=ALL_KEYS,
                article_id=article_id,
                revision=record.get("revision"),
                record_ids=list(record.get("record_ids") or []),
                duplicate_of=dup if isinstance(dup, str) else None,
            )
            for partition in range(partitions):
                await self._send_member(broadcast, partition)
            return partitions
        pending = Pending.from_dict(self.pending.get(article_id))
        pending.add(record)
        complete = pending.complete()
        if complete is None:
            self.pending[article_id] = pending.to_dict()
            return 0
        members = members_of_article(*complete)
        for member in members:
            await self._send_member(member, member_partition(member.partition_key, partitions))
        self.pending.pop(article_id, None)
        return len(members)

    async def on_member(self, value: bytes, partition: int) -> list[IncidentRecord]:
        """Step 2 for one member or retraction; returns the incident records published."""
        member = IncidentMember.model_validate_json(value)
        out: list[IncidentRecord] = []
        tag = f"{partition}{SEP}{member.article_id}"
        if member.op in ("retract", "copy"):
            if member.op == "retract":
                seen = [*(self.retracted.get(tag) or []), member.model_dump(mode="json")]
                self.retracted[tag] = seen
            else:
                self.copied[tag] = member.model_dump(mode="json")
            for key in self._keys_of(partition):
                state = self._state(key)
                if any(m.article_id == member.article_id for m in state.members.values()):
                    out.extend(self._apply(key, state, member))
        else:
            key = member.partition_key
            state = self._state(key)
            for earlier in self.retracted.get(tag) or []:
                state.remember(IncidentMember.model_validate(earlier))
            marking = self.copied.get(tag)
            if marking is not None:
                state.note_copy(IncidentMember.model_validate(marking))
            out.extend(self._apply(key, state, member))
        for record in out:
            self.published += 1
            self.metrics.records.labels(record.status).inc()
            await self.sinks["incidents"].send(
                key=record.id.encode(), value=jsonio.dumps(record), headers=_headers(record)
            )
        return out

    def _keys_of(self, partition: int) -> list[str]:
        """The partition keys this worker holds state of in ``partition``."""
        keys = {k.split(SEP, 1)[0] for k in self.members} | set(self.marks)
        return sorted(
            k for k in keys if member_partition(k, INCIDENT_MEMBERS.partitions) == partition
        )

    def _state(self, key: str) -> KeyState:
        """The key's state: cached, else rebuilt from the tables (after a start or rebalance)."""
        state = self.cache.get(key)
        if state is None:
            prefix = key + SEP
            state = KeyState.from_parts(
                [v for k, v in self.members.items() if k.startswith(prefix)],
                [v for k, v in self.incidents.items() if k.startswith(prefix)],
                self.marks.get(key),
            )
            self.cache[key] = state
        return state

    def _apply(self, key: str, state: KeyState, member: IncidentMember) -> list[IncidentRecord]:
        records = state.apply(member, self.policy, self.settings.horizon_days)
        changed = state.changed
        for event_id in sorted(changed.members):
            name = f"{key}{SEP}{event_id}"
            if event_id in state.members:
                self.members[name] = state.members[event_id].model_dump(mode="json")
            elif name in self.members:
                del self.members[name]
        for incident_id in sorted(changed.incidents):
            name = f"{key}{SEP}{incident_id}"
            if incident_id in state.published:
                self.incidents[name] = state.published[incident_id].model_dump(mode="json")
            elif name in self.incidents:
                del self.incidents[name]
        if changed.marks:
            self.marks[key] = state.marks()
        return records


TABLES = {
    "pending": (EVENTS.partitions, "Per article id: its records so far."),
    "members": (INCIDENT_MEMBERS.partitions, "Per key and event id: a member."),
    "incidents": (INCIDENT_MEMBERS.partitions, "Per key and incident id: the last active record."),
    "marks": (INCIDENT_MEMBERS.partitions, "Per key: the retracted event ids and revisions."),
    "retracted": (INCIDENT_MEMBERS.partitions, "Per partition and article: retractions seen."),
    "copied": (INCIDENT_MEMBERS.partitions, "Per partition and article: its latest copy marking."),
}
"""The changelogged tables: name -> (partitions, what they hold)."""


def _tables(app: faust.App) -> dict[str, Any]:
    # No key_type/value_type: plain JSON data (see the alerter's note on changelog recovery).
    return {
        name: app.Table(name, partitions=partitions, help=text)
        for name, (partitions, text) in TABLES.items()
    }


def create_service(settings: IncidentSettings, kafka: KafkaSettings) -> IncidentService:
    """Build the faust app and its agents (not started)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(settings.group_id, kafka, data_dir=settings.data_dir / settings.group_id)
    inputs = app.topic(
        ARTICLES.name(kafka),
        EVENTS.name(kafka),
        RETRACTIONS.name(kafka),
        COPIES.name(kafka),
        value_serializer="raw",
        key_serializer="raw",
    )
    members = app.topic(INCIDENT_MEMBERS.name(kafka), key_serializer="raw", value_serializer="raw")
    incidents = app.topic(INCIDENTS.name(kafka), key_serializer="raw", value_serializer="raw")
    tables = _tables(app)
    svc = IncidentService(
        app=app,
        settings=settings,
        sinks={"members": members, "incidents": incidents},
        **tables,
    )

    async def forget(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        svc.cache.clear()

    app.on_partitions_revoked.connect(forget)
    app.on_partitions_assigned.connect(forget)

    async def route(stream: Any) -> None:
        async for value in stream:
            await svc.on_record(value)

    async def cluster(stream: Any) -> None:
        async for event in stream.events():
            await svc.on_member(event.value, event.message.partition)

    svc.route_agent = app.agent(inputs, name="route")(route)
    svc.cluster_agent = app.agent(members, name="cluster")(cluster)
    served = {*inputs.topics, *members.topics}

    def health() -> tuple[bool, dict[str, Any]]:
        return True, {"status": "ok"}

    def ready() -> tuple[bool, dict[str, Any]]:
        ok, body = group_readiness(app, served)
        return ok, {**body, "published": svc.published, "skipped": svc.skipped}

    serve_views(
        app,
        health=health,
        ready=ready,
        metrics=svc.metrics.render,
        bind=settings.web_bind,
        port=settings.web_port,
    )
    return svc


def internal_topics(svc: IncidentService, kafka: KafkaSettings) -> list[NewTopic]:
    """The tables' changelogs as faust would declare them, created up front (see the alerter's
    :func:`wirestream.alerter.app.internal_topics` for why)."""
    out = []
    for table in (svc.pending, svc.members, svc.incidents, svc.marks, svc.retracted, svc.copied):
        topic = table.changelog_topic
        out.append(
            NewTopic(
                name=topic.get_topic_name(),
                num_partitions=topic.partitions or svc.app.conf.topic_partitions,
                replication_factor=topic.replicas or kafka.replication_factor,
                topic_configs={"cleanup.policy": "compact"},
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the incident stage until stopped."""
    parser = argparse.ArgumentParser(prog="wirestream worker incidents")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--web-port", type=int, help="overrides WIRESTREAM_INCIDENTS_WEB_PORT")
    args = parser.parse_args(argv or [])
    configure(args.log_level, json=True)
    settings = IncidentSettings.from_env()
    if args.web_port is not None:
        settings = settings.model_copy(update={"web_port": args.web_port})
    kafka = KafkaSettings.from_env()
    logger.info(
        "starting the incident stage",
        extra={"settings": str(settings), "kafka": kafka.describe()},
    )
    asyncio.run(
        ensure_topics(kafka, [ARTICLES, EVENTS, RETRACTIONS, COPIES, INCIDENT_MEMBERS, INCIDENTS])
    )
    svc = create_service(settings, kafka)
    asyncio.run(ensure_new_topics(kafka, internal_topics(svc, kafka)))
    return run_worker(svc.app, log_level=args.log_level)
