"""The incident stage's two agents, thin around the pure clustering, and the state they share.

1. :func:`route` - an article's records gathered until complete, turned into members, sent to
   the members topic at the partition of their coarse key; retractions and copy markings copied
   to every partition.
2. :func:`cluster` - each member applied to its key's :class:`~wirestream.core.incidents.KeyState`
   (kept in the tables), the incident records that changed published.

The steps are :class:`IncidentService`'s methods (:mod:`.app` explains the whole stage).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import faust
import orjson

import wirestream
from wirestream.core import jsonio
from wirestream.core.incidents import KeyState, Policy, members_of_article
from wirestream.core.incidents.routing import Pending, member_partition
from wirestream.core.incidents.state import Changes
from wirestream.incidents.metrics import IncidentMetrics
from wirestream.incidents.settings import IncidentSettings
from wirestream.incidents.topics import AckedTable
from wirestream.streaming.topics import INCIDENT_MEMBERS
from wirestream_contracts import headers as wire_headers
from wirestream_contracts.incidents import IncidentMember, IncidentRecord

logger = logging.getLogger(__name__)


SEP = "\x1f"
ALL_KEYS = "*"
DAY = 86_400.0
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
    loaded: set[str] = field(default_factory=set)
    swept: dict[int, int] = field(default_factory=dict)
    """Per partition: the day (of message time) of the last sweep of its expired notes."""
    """The keys rebuilt from the tables during the current message (checked after it,
    :meth:`KeyState.repair`)."""
    barrier: Callable[[], Awaitable[None]] | None = None
    """Waits until every table write so far is acknowledged; default :meth:`_settle` (tests
    give their own)."""
    route_failure: BaseException | None = None
    """A ``pending`` write of an earlier message that failed (:meth:`ack_when_written`)."""
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
        """Step 1 for one article, event, retraction or copy record; returns the members sent.
        Its ``pending`` writes are made, not awaited: :meth:`ack_when_written` acks the message
        once they are acknowledged (docs/DELIVERY.md, "Incidents")."""
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

    def ack_when_written(self, event: Any) -> None:
        """Ack ``event`` (faust may then commit its offset) once the ``pending`` writes made so
        far are acknowledged (:meth:`on_record` does not wait for them); at once when there are
        none. A failed write leaves it unacked, so it is replayed after a restart; the failure is
        raised at the next message (:meth:`raise_route_failure`)."""
        writes = list(getattr(self.pending, "unacked", ()))
        if not writes:
            event.ack()
            return
        self.pending.unacked.clear()

        def written(done: asyncio.Future[Any]) -> None:
            failure = asyncio.CancelledError() if done.cancelled() else done.exception()
            if failure is None:
                event.ack()
            else:
                logger.error("a pending write failed; its message stays unacked: %r", failure)
                self.route_failure = failure

        asyncio.gather(*writes).add_done_callback(written)

    def raise_route_failure(self) -> None:
        """Raise the failure of an earlier message's ``pending`` write, if one failed."""
        if self.route_failure is not None:
            failure, self.route_failure = self.route_failure, None
            raise failure

    async def on_member(
        self, value: bytes, partition: int, timestamp: float | None = None
    ) -> list[IncidentRecord]:
        """Step 2 for one member, retraction or copy marking (``timestamp``: its message's, in
        seconds; the clock of the notes' expiry, none without); returns the incident records
        published.

        The records are sent and their acknowledgements awaited *before* any table is written
        (docs/DELIVERY.md, "Incidents"): a change the changelogs restore after a crash is one whose
        records the broker already has, and a change whose records were lost is not in the tables,
        so its message, replayed (its offset was not committed), makes and sends them again.
        """
        member = IncidentMember.model_validate_json(value)
        changes: dict[str, tuple[KeyState, Changes]] = {}
        out: list[IncidentRecord] = []
        try:
            for key, state in self._concerned(member, partition, timestamp):
                out.extend(state.apply(member, self.policy, self.settings.horizon_days))
                changes[key] = (state, state.changed)
            for key in sorted(self.loaded):  # after the message: see KeyState.repair
                state = self.cache[key]
                out.extend(state.repair(self.policy))
                if state.changed != Changes():
                    logger.warning("incident state of %s rebuilt from torn tables", key)
                changes[key] = (state, changes.get(key, (state, Changes()))[1] | state.changed)
            self.loaded.clear()
            await self._publish(out)
            await self._persist(member, partition, changes, timestamp)
        except BaseException:
            # The memory is ahead of the tables: rebuild it from them when next needed.
            for key in [*changes, *self.loaded]:
                self.cache.pop(key, None)
            self.loaded.clear()
            raise
        return out

    def _concerned(
        self, member: IncidentMember, partition: int, now: float | None
    ) -> list[tuple[str, KeyState]]:
        """The keys (with their states) a message applies to: a member's own key, with the
        retractions and copy marking of its article seen before it (within the horizon of
        ``now``); for a retraction or a copy marking, every key of ``partition`` that holds a
        member of its article."""
        tag = f"{partition}{SEP}{member.article_id}"
        if member.op in ("retract", "copy"):
            states = [(key, self._state(key)) for key in self._keys_of(partition)]
            return [
                (key, state)
                for key, state in states
                if any(m.article_id == member.article_id for m in state.members.values())
            ]
        state = self._state(member.partition_key)
        horizon = self.settings.horizon_days * DAY
        for earlier in _live(self.retracted.get(tag), now, horizon):
            state.remember(IncidentMember.model_validate(earlier))
        for marking in _live(self.copied.get(tag), now, horizon)[-1:]:
            state.note_copy(IncidentMember.model_validate(marking))
        return [(member.partition_key, state)]

    async def _publish(self, records: list[IncidentRecord]) -> None:
        """Send the records, then wait until the broker acknowledged every one (raises if not)."""
        acks = []
        for record in records:
            self.published += 1
            self.metrics.records.labels(record.status).inc()
            acks.append(
                await self.sinks["incidents"].send(
                    key=record.id.encode(), value=jsonio.dumps(record), headers=_headers(record)
                )
            )
        await asyncio.gather(*acks)

    async def _settle(self, *tables: Any) -> None:
        """Until every write made so far to ``tables`` (default: those of ``cluster``; ``route``
        acks by :meth:`ack_when_written` instead) is acknowledged
        (:meth:`~wirestream.incidents.topics.AckedTable.settle`): faust acks the message when the
        step returns and commits its offset after."""
        own = (self.retracted, self.copied, self.marks, self.members, self.incidents)
        for table in tables or own:
            if isinstance(table, AckedTable):
                await table.settle()

    def _note(self, member: IncidentMember, partition: int, now: float | None) -> None:
        """Keep a retraction or copy marking for the members of its article that come later:
        ``{"at": now, "entries": [...]}`` (every retraction; the latest copy marking)."""
        tag = f"{partition}{SEP}{member.article_id}"
        entry = member.model_dump(mode="json")
        if member.op == "retract":
            seen = _entries(self.retracted.get(tag))
            if entry not in seen:  # a replay adds nothing
                self.retracted[tag] = {"at": now, "entries": [*seen, entry]}
        elif member.op == "copy":
            self.copied[tag] = {"at": now, "entries": [entry]}

    def _sweep(self, partition: int, now: float | None) -> None:
        """Once per day of message time and partition: delete the notes of ``partition`` older
        than the horizon (lookups already ignore them; this bounds the tables)."""
        if now is None or self.swept.get(partition) == int(now // DAY):
            return
        self.swept[partition] = int(now // DAY)
        prefix, horizon = f"{partition}{SEP}", self.settings.horizon_days * DAY
        for table in (self.retracted, self.copied):
            for tag in [t for t in table if t.startswith(prefix)]:
                if not _live(table[tag], now, horizon):
                    del table[tag]

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
            self.loaded.add(key)
        return state

    async def _persist(
        self,
        member: IncidentMember,
        partition: int,
        changes: dict[str, tuple[KeyState, Changes]],
        now: float | None = None,
    ) -> None:
        """Write what one message changed to the tables: the retraction or marking noted and the
        keys' marks first; when marks changed, :attr:`barrier` (their changelog writes
        acknowledged) before the members and incidents, so a member's removal is never restored
        without the mark that keeps it out; and :attr:`barrier` again at the end, so the message
        is acked (and its offset committed) only once all its writes are on the broker
        (docs/DELIVERY.md, "Incidents")."""
        self._note(member, partition, now)
        self._sweep(partition, now)
        for key, (state, changed) in sorted(changes.items()):
            if changed.marks:
                self.marks[key] = state.marks()
        if any(changed.marks for _, changed in changes.values()):
            await (self.barrier or self._settle)()
        for key, (state, changed) in sorted(changes.items()):
            # In each table the additions and updates before the removals: one changelog
            # partition keeps their order, so a removal (a replaced revision, an absorbed
            # incident) is never restored without what takes its place.
            _write(self.members, key, changed.members, state.members)
            _write(self.incidents, key, changed.incidents, state.published)
        # Acknowledged before the message is: faust commits its offset once it is acked.
        await (self.barrier or self._settle)()


def _entries(note: Any) -> list[dict[str, Any]]:
    """The entries of a note (``retracted``/``copied`` value; before the notes were dated, a
    list of retractions or one copy marking)."""
    if note is None:
        return []
    if isinstance(note, list):
        return list(note)
    return list(note["entries"]) if "entries" in note else [note]


def _live(note: Any, now: float | None, horizon: float) -> list[dict[str, Any]]:
    """The entries of a note noted within ``horizon`` seconds before ``now`` (all of them when
    either time is unknown)."""
    at = note.get("at") if isinstance(note, dict) else None
    if now is not None and at is not None and at < now - horizon:
        return []
    return _entries(note)


def _write(table: Any, key: str, changed: set[str], current: Mapping[str, Any]) -> None:
    """The ``changed`` names of ``key`` written to ``table``: those still in ``current`` first,
    then the removals."""
    kept = sorted(name for name in changed if name in current)
    for name in kept:
        table[f"{key}{SEP}{name}"] = current[name].model_dump(mode="json")
    for name in sorted(changed - set(kept)):
        if f"{key}{SEP}{name}" in table:
            del table[f"{key}{SEP}{name}"]


async def route(svc: IncidentService, stream: Any) -> None:
    """Step 1, acking each message by hand once its table writes are acknowledged, without
    waiting for them before the next message (the writes of a burst share produce requests)."""
    async for event in stream.noack().events():
        svc.raise_route_failure()
        await svc.on_record(event.value)
        svc.ack_when_written(event)


async def cluster(svc: IncidentService, stream: Any) -> None:
    """Step 2, acking each message by hand once its step has returned: faust's own ack sits in a
    ``finally`` and so also acks a message whose step a stop cancelled or an error ended, which
    a graceful stop then commits (docs/DELIVERY.md, "What faust drops")."""
    async for event in stream.noack().events():
        await svc.on_member(event.value, event.message.partition, event.message.timestamp)
        event.ack()


async def forget(svc: IncidentService, sender: Any, /, *args: Any, **kwargs: Any) -> None:
    """On every rebalance: drop the states held in memory (rebuilt from the tables)."""
    svc.cache.clear()
    svc.loaded.clear()
