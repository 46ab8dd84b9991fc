"""The incident stage's ``cluster`` step on :class:`IncidentService` (no broker), one message at
a time: a worker killed after some of a message's effects reached Kafka replays the message, and
the incidents topic must end where a run without the kill ends.

The sink acknowledges a send only when told to (a killed worker's unacknowledged records are
lost); the tables are dicts that keep every write (a changelog write that reached Kafka is
restored on restart). The integration tests run the real worker, broker and changelogs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError

from fixtures.incidents import KEY, member
from wirestream.core import jsonio
from wirestream.core.incidents.routing import member_partition
from wirestream.incidents.agents import IncidentService
from wirestream.incidents.app import create_service
from wirestream.incidents.settings import IncidentSettings
from wirestream.incidents.topics import TABLES
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import INCIDENT_MEMBERS
from wirestream_contracts.incidents import IncidentMember, IncidentRecord

PARTITION = member_partition(KEY, INCIDENT_MEMBERS.partitions)


def broadcast(op: str, article_id: str, **fields: Any) -> IncidentMember:
    return IncidentMember(op=op, partition_key="*", article_id=article_id, **fields)


# Two places 11 km apart, then a report of the city between them: the third merges the first two.
WEST = member("e1", "a1", place_name="Port", lon=30.55, feature="place")
EAST = member(
    "e2", "a2", place_name="Airfield", lon=30.70, feature="place", published_at="2024-07-24T11Z"
)
BRIDGE = member("e3", "a3", lon=30.625, published_at="2024-07-24T12:00:00Z")

STREAMS: dict[str, list[IncidentMember]] = {
    "a member that merges two incidents": [WEST, EAST, BRIDGE],
    "a retraction that splits an incident": [WEST, EAST, BRIDGE, broadcast("retract", "a3")],
    "a retraction that dissolves an incident": [WEST, broadcast("retract", "a1")],
    "a copy marking after its article's member": [
        WEST,
        member("e4", "a4", place_name="Port", lon=30.55, feature="place"),
        broadcast("copy", "a4", duplicate_of="a1"),
    ],
    "a newer revision of an article": [WEST, EAST, member("e5", "a1", revision="r2")],
}


@dataclass
class AckingSink:
    """A faust topic's stand-in whose sends return the acknowledgement's future. ``lose`` fails
    them (the worker is killed before the broker has them); ``acked`` holds the records the
    broker has, in order."""

    lose: bool = False
    acked: list[IncidentRecord] = field(default_factory=list)

    async def send(self, *, key: bytes | None, value: bytes, headers: Any = None) -> Any:
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.lose:
            ack.set_exception(KafkaTimeoutError("killed before the broker acknowledged"))
        else:
            self.acked.append(IncidentRecord.model_validate_json(value))
            ack.set_result(None)
        return ack

    def latest(self) -> dict[str, IncidentRecord]:
        """What a consumer of the compacted topic holds: the last record per incident id."""
        return {r.id: r for r in self.acked}


def new_service(data_dir: Path) -> IncidentService:
    """The service with dicts for tables, an :class:`AckingSink` and a barrier that returns."""
    settings = IncidentSettings(data_dir=data_dir, web_port=6997)
    svc = create_service(settings, KafkaSettings(topic_prefix="test-incidents."))
    for name in TABLES:
        setattr(svc, name, {})
    svc.sinks = {"incidents": AckingSink()}

    async def barrier() -> None:
        return None

    svc.barrier = barrier
    return svc


@pytest.fixture
def service(tmp_path: Path) -> IncidentService:
    return new_service(tmp_path / "service")


def sink(svc: IncidentService) -> AckingSink:
    out = svc.sinks["incidents"]
    assert isinstance(out, AckingSink)
    return out


async def deliver(svc: IncidentService, messages: list[IncidentMember]) -> None:
    for m in messages:
        await svc.on_member(jsonio.dumps(m), PARTITION)


async def fault_free(svc: IncidentService, messages: list[IncidentMember]) -> dict[str, Any]:
    await deliver(svc, messages)
    return sink(svc).latest()


@pytest.mark.parametrize("name", sorted(STREAMS))
async def test_a_message_whose_records_were_lost_is_published_when_replayed(
    name: str, service: IncidentService, tmp_path: Path
) -> None:
    messages = STREAMS[name]
    expected = await fault_free(new_service(tmp_path / "clean"), messages)
    *before, last = messages
    await deliver(service, before)
    assert sink(service).latest() != expected  # the last message changes the topic
    # The worker is killed while the last message's records wait for the broker's ack: they are
    # lost, and whatever the tables hold then is what the changelogs restore.
    sink(service).lose = True
    with contextlib.suppress(KafkaTimeoutError):
        await deliver(service, [last])
    # Restart: the in-memory states are gone, the tables are restored, the uncommitted message
    # is delivered again.
    sink(service).lose = False
    service.cache.clear()
    await deliver(service, [last])
    assert sink(service).latest() == expected


FOLLOW = member("e9", "a9", published_at="2024-07-24T13:00:00Z")
"""A report after the replay, of the city, that joins what stands."""

BARRIER = ("", "", None)
Write = tuple[str, str, Any]
"""A table write as its changelog record: (table, key, value; None deletes)."""


class LoggedTable(dict[str, Any]):
    """A table that logs its writes (each a changelog record of its own)."""

    def __init__(self, name: str, log: list[Write], data: dict[str, Any]) -> None:
        super().__init__(data)
        self.name, self.log = name, log

    def __setitem__(self, key: str, value: Any) -> None:
        self.log.append((self.name, key, value))
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.log.append((self.name, key, None))
        super().__delitem__(key)


def landings(log: list[Write]) -> Iterator[list[Write]]:
    """Every set of a message's writes a kill can leave in the changelogs: the writes before a
    barrier all landed when any after it did; between barriers, each table's writes land in
    order (one changelog partition) and independently of the other tables' (topics of their
    own), so a prefix of each."""
    segments: list[list[Write]] = [[]]
    for write in log:
        if write == BARRIER:
            segments.append([])
        else:
            segments[-1].append(write)
    for i, segment in enumerate(segments):
        done = [w for s in segments[:i] for w in s]
        per_table = [[w for w in segment if w[0] == t] for t in sorted({w[0] for w in segment})]
        for ends in itertools.product(*(range(len(ws) + 1) for ws in per_table)):
            yield [*done, *(w for ws, end in zip(per_table, ends, strict=True) for w in ws[:end])]


def tables_of(svc: IncidentService) -> dict[str, dict[str, Any]]:
    return {name: dict(getattr(svc, name)) for name in TABLES}


@pytest.mark.parametrize("name", sorted(STREAMS))
async def test_a_replay_onto_tables_torn_by_a_kill_ends_where_a_clean_run_ends(
    name: str, tmp_path: Path
) -> None:
    messages = STREAMS[name]
    clean = new_service(tmp_path / "clean")
    await deliver(clean, [*messages, FOLLOW])
    *before, last = messages
    first = new_service(tmp_path / "first")
    await deliver(first, before)
    snapshot = tables_of(first)
    log: list[Write] = []

    async def barrier() -> None:
        log.append(BARRIER)

    first.barrier = barrier
    for table, data in snapshot.items():
        setattr(first, table, LoggedTable(table, log, data))
    await deliver(first, [last])
    cases = list(landings(log))
    assert len(cases) > 2
    for landed in cases:
        # Killed after the records were acknowledged, while the table writes were on their way:
        # the changelogs restore the tables before the message plus the writes that landed.
        svc = new_service(tmp_path / "torn")
        tables = {table: dict(data) for table, data in snapshot.items()}
        for table, key, value in landed:
            if value is None:
                tables[table].pop(key, None)
            else:
                tables[table][key] = value
        for table, data in tables.items():
            setattr(svc, table, data)
        sink(svc).acked = [*sink(first).acked]
        await deliver(svc, [last, FOLLOW])
        assert sink(svc).latest() == sink(clean).latest(), landed
        for table in ("members", "incidents", "marks"):
            assert getattr(svc, table) == getattr(clean, table), (table, landed)
        # A late replay of the whole stream changes nothing (no retracted member comes back).
        await deliver(svc, messages)
        assert sink(svc).latest() == sink(clean).latest(), landed


async def test_notes_of_retractions_and_copies_expire_with_the_horizon(
    service: IncidentService,
) -> None:
    """A retraction or copy marking seen before its article's members is kept for them, within
    the horizon of message time; a day's sweep deletes the older ones from the tables."""
    day, horizon = 86_400.0, service.settings.horizon_days * 86_400.0
    t0 = 1_720_000_000.0
    tag = f"{PARTITION}\x1fa9"

    async def at(t: float, m: IncidentMember) -> list[IncidentRecord]:
        return await service.on_member(jsonio.dumps(m), PARTITION, t)

    for article in ("a9", "a7"):
        await at(t0, broadcast("retract", article))
    await at(t0, broadcast("copy", "a8", duplicate_of="a1"))
    assert tag in service.retracted and f"{PARTITION}\x1fa8" in service.copied
    # Within the horizon the noted retraction keeps the article's member out.
    assert await at(t0 + day, member("e9", "a9")) == []
    # Past it, the note is ignored (and swept): a member of that article is an ordinary one.
    [record] = await at(t0 + horizon + day, member("e7", "a7"))
    assert record.event_ids == ["e7"]
    assert not service.retracted and not service.copied


async def test_notes_written_before_they_were_dated_are_still_read(
    service: IncidentService,
) -> None:
    service.retracted[f"{PARTITION}\x1fa1"] = [broadcast("retract", "a1").model_dump(mode="json")]
    assert await service.on_member(jsonio.dumps(WEST), PARTITION, 1_720_000_000.0) == []
