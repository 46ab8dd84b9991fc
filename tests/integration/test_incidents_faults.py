"""The incident stage's ``cluster`` step under faults mid-stream (issue 16): a stream of members
across four keys on the four partitions, three retractions, and while the worker works through it
either the broker is stopped and started or the worker is SIGKILLed and started again. The active
incidents end as the pure clustering of what stands (every member in exactly one, the same ids),
and a replay of the same stream under a new group gives the same incidents.

The members are produced straight to the members topic (the contract between ``route`` and
``cluster``), synthetic, so the stream can be long without running the extractor.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.kafka import SessionBroker
from integration.test_incidents import Incidents, start_worker, until, wait_ready
from wirestream.chaos.incidentcheck import contents
from wirestream.chaos.incidentio import prepare, produce_members
from wirestream.chaos.members import MemberStream, member_stream
from wirestream.streaming.settings import KafkaSettings
from wirestream_contracts.incidents import IncidentRecord

HAPPENINGS = 48
REPORTS = 4
RETRACTED = ("a005-1", "a017-0", "a030-3")
SHUFFLE_SEED = 16


def stream() -> MemberStream:
    """``REPORTS`` reports of each of ``HAPPENINGS`` happenings (:mod:`wirestream.chaos.members`:
    a place and a day each, far from the others) in a shuffled order, then three retractions:
    incidents grow, and merge when a report published earlier than their founder arrives after
    it."""
    return member_stream(SHUFFLE_SEED, HAPPENINGS, REPORTS, RETRACTED)


def groups(records: dict[str, IncidentRecord]) -> dict[str, tuple[str, ...]]:
    return {i: tuple(r.event_ids) for i, r in records.items() if r.status == "active"}


def difference(reader: Incidents, expected: dict[str, tuple[str, ...]]) -> str:
    """What the active incidents lack and have too many of, against ``expected``."""
    got = groups(reader.latest)
    missing = {i: g for i, g in expected.items() if got.get(i) != g}
    extra = {i: g for i, g in got.items() if expected.get(i) != g}
    held = {e for g in got.values() for e in g}
    unheld = sorted(e for g in expected.values() for e in g if e not in held)
    return (
        f"{reader.progress()}; expected but not active: {missing}; active but not expected: "
        f"{extra}; unheld: {unheld}"
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    "fault",
    [
        "broker restart",
        "worker SIGKILL",
    ],
)
async def test_a_fault_while_members_stream_in_loses_none_and_replays_the_same(
    fault: str, broker: SessionBroker, unique_name: Callable[[str], str], tmp_path: Path
) -> None:
    members = stream()
    expected = members.expected()
    assert len(expected) == HAPPENINGS and len(members.members) == HAPPENINGS * REPORTS
    first, second = list(members.order[:120]), list(members.order[120:])
    kafka = KafkaSettings(
        bootstrap_servers=broker.bootstrap_servers, topic_prefix=unique_name("incf") + "."
    )
    await prepare(kafka)
    group = unique_name("incidents")
    process, port, log = start_worker(kafka, tmp_path, group)
    reader = Incidents(kafka)
    await reader.consumer.start()
    try:
        await asyncio.to_thread(wait_ready, process, port, log)
        await produce_members(kafka, first)
        # Mid-stream: the worker has published some of the first part's incidents (about a fifth
        # when this was written), and is working through the rest.
        await until(lambda: reader.count >= 10, reader, process, log)
        if fault == "broker restart":
            await reader.consumer.stop()
            await broker.astop()
            await broker.astart()
            reader = Incidents(kafka)
            await reader.consumer.start()
        else:  # no graceful commit, no table flush; the next worker replays and recovers
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            process, port, log = start_worker(kafka, tmp_path, group)
            await asyncio.to_thread(wait_ready, process, port, log)
        await produce_members(kafka, second)
        await until(
            lambda: groups(reader.latest) == expected,
            reader,
            process,
            log,
            lambda: difference(reader, expected),
        )
        first_run = contents(reader.latest)
    finally:
        await reader.consumer.stop()
        process.terminate()
        process.wait(60)

    # The same stream under a new prefix and group, without a fault: the same incidents.
    replay = KafkaSettings(
        bootstrap_servers=broker.bootstrap_servers, topic_prefix=unique_name("incr") + "."
    )
    await prepare(replay)
    process, port, log = start_worker(replay, tmp_path, unique_name("replay"))
    reader = Incidents(replay)
    await reader.consumer.start()
    try:
        await asyncio.to_thread(wait_ready, process, port, log)
        await produce_members(replay, [*first, *second])
        await until(lambda: groups(reader.latest) == expected, reader, process, log)
        assert contents(reader.latest) == first_run
    finally:
        await reader.consumer.stop()
        process.terminate()
        process.wait(60)
