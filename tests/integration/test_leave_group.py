"""A graceful stop during a rebalance that waits on a dead member: aiokafka's ``stop()`` waited
for the JoinGroup the broker holds until the dead member's session expires (the incident
worker's hanging SIGTERM, issue 16). :func:`~wirestream.streaming.leave.leave_group` leaves at
once, and the group's next generation does not hold the stopped member — checked on a real broker
with a real SIGKILLed member process."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from fixtures.kafka import CreateTopic
from wirestream.streaming.leave import LEAVE_GRACE, LEAVE_TIMEOUT, leave_group

pytestmark = pytest.mark.integration

DEAD_SESSION_MS = 25_000
"""The SIGKILLed member's session: the held rebalance lasts until it expires."""

MEMBER = """
import asyncio, sys
from aiokafka import AIOKafkaConsumer

async def main() -> None:
    bootstrap, topic, group, session = sys.argv[1:5]
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
        session_timeout_ms=int(session), heartbeat_interval_ms=1000,
    )
    await consumer.start()
    while not consumer.assignment():
        await consumer.getmany(timeout_ms=200)
    print("assigned", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


class Revocations(ConsumerRebalanceListener):  # type: ignore[misc]
    """Counts the rebalances that reached this member (aiokafka calls it before its join)."""

    def __init__(self) -> None:
        self.count = 0

    async def on_partitions_revoked(self, revoked: object) -> None:
        self.count += 1

    async def on_partitions_assigned(self, assigned: object) -> None:
        pass


def consumer(
    bootstrap: str, topic: str, group: str, listener: Revocations | None = None
) -> AIOKafkaConsumer:
    made = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        session_timeout_ms=60_000,  # longer than the dead member's: only a leave removes it
        heartbeat_interval_ms=1000,
    )
    made.subscribe([topic], listener=listener or Revocations())
    return made


async def until(what: str, condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f}s"
        await asyncio.sleep(0.1)


def start_member(bootstrap: str, topic: str, group: str) -> subprocess.Popen[str]:
    member = subprocess.Popen(
        [sys.executable, "-c", MEMBER, bootstrap, topic, group, str(DEAD_SESSION_MS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert member.stdout is not None
    line = member.stdout.readline()  # the member prints once it holds a partition
    assert line.strip() == "assigned", f"the member process did not join (exit {member.poll()})"
    return member


@pytest.mark.timeout(180)
async def test_a_stop_during_a_held_rebalance_leaves_at_once(
    kafka_bootstrap: str, create_topic: CreateTopic, unique_name: Callable[[str], str]
) -> None:
    topic = create_topic(unique_name("leave"), partitions=2)
    group = unique_name("leave-group")
    revocations = Revocations()
    stopping = consumer(kafka_bootstrap, topic, group, revocations)
    await stopping.start()
    newcomer = consumer(kafka_bootstrap, topic, group)
    member = await asyncio.to_thread(start_member, kafka_bootstrap, topic, group)
    joining: asyncio.Task[None] | None = None
    try:
        await until("two members", lambda: len(stopping.assignment()) == 1, 60)
        before = revocations.count
        member.kill()  # a dead member: the broker waits for its session in the next rebalance
        member.wait(10)
        # a join starts the next rebalance (start() returns once the newcomer has joined)
        joining = asyncio.create_task(newcomer.start())
        await until(
            "the rebalance reaches the stopping member", lambda: revocations.count > before, 30
        )

        began = time.monotonic()
        held = await leave_group(stopping)
        await stopping.stop()
        took = time.monotonic() - began

        assert held, "the stopping member's join was not held: the rebalance was not waiting"
        assert took < LEAVE_GRACE + LEAVE_TIMEOUT + 2, f"the stop took {took:.1f}s"
        assert not joining.done(), "the rebalance ended before the dead session expired"
        await asyncio.wait_for(joining, DEAD_SESSION_MS / 1000 + 30)
        everything = {TopicPartition(topic, p) for p in range(2)}
        await until(
            "the newcomer owns every partition (the stopped member left the group)",
            lambda: newcomer.assignment() == everything,
            30,
        )
    finally:
        if member.poll() is None:
            member.kill()
        if joining is not None:
            await asyncio.wait_for(joining, 60)
        await newcomer.stop()
        await stopping.stop()


async def test_a_consumer_without_a_group_or_already_closing_is_left_alone(
    kafka_bootstrap: str, create_topic: CreateTopic, unique_name: Callable[[str], str]
) -> None:
    topic = create_topic(unique_name("leave-assigned"), partitions=1)
    assigned = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap,
        group_id=unique_name("leave-none"),
        enable_auto_commit=False,
    )
    await assigned.start()
    try:
        assigned.assign([TopicPartition(topic, 0)])
        assert await leave_group(assigned) is False
    finally:
        await assigned.stop()
    grouped = consumer(kafka_bootstrap, topic, unique_name("leave-twice"))
    await grouped.start()
    try:
        await until("assigned", lambda: bool(grouped.assignment()), 30)
        assert await leave_group(grouped) is False  # nothing held: the routine ends at once
        assert await leave_group(grouped) is False  # already closing
    finally:
        await grouped.stop()
