"""The incident stage's two agents, thin around the pure clustering, and the state they share.

1. :func:`route` - an article's records gathered until complete, turned into members, sent to
   the members topic at the partition of their coarse key; retractions and copy markings copied
   to every partition.
2. :func:`cluster` - each member applied to its key's :class:`~wirestream.core.incidents.KeyState`
   (kept in the tables), the incident records that changed published.

The steps are :class:`IncidentService`'s methods (:mod:`.app` explains the whole stage).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import faust
import orjson

import wirestream
from wirestream.core import jsonio
from wirestream.core.incidents import KeyState, Policy, members_of_article
from wirestream.core.incidents.routing import Pending, member_partition
from wirestream.incidents.metrics import IncidentMetrics
from wirestream.incidents.settings import IncidentSettings
from wirestream.streaming.topics import INCIDENT_MEMBERS
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


async def route(svc: IncidentService, stream: Any) -> None:
    async for value in stream:
        await svc.on_record(value)


async def cluster(svc: IncidentService, stream: Any) -> None:
    async for event in stream.events():
        await svc.on_member(event.value, event.message.partition)


async def forget(svc: IncidentService, sender: Any, /, *args: Any, **kwargs: Any) -> None:
    """On every rebalance: drop the states held in memory (rebuilt from the tables)."""
    svc.cache.clear()
