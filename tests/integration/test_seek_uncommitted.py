"""After a rebalance, faust drops the records it fetched for partitions that were not yet active and
seeks to the committed offsets to fetch them again; aiokafka does not seek a partition whose
committed offset is missing or 0, so those records were skipped (issue 16's SIGKILL loss).
:func:`~wirestream.streaming.fausthooks.seek_uncommitted` seeks them too — checked here on a real
broker against real positions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from fixtures.kafka import CreateTopic
from wirestream.streaming.fausthooks import seek_uncommitted

pytestmark = pytest.mark.integration

PER_PARTITION = 4


async def read_to_end(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
    """Fetch until every partition's position is at its end (what a dropped batch leaves)."""
    deadline = asyncio.get_running_loop().time() + 30
    while [await consumer.position(tp) for tp in partitions] != [PER_PARTITION] * len(partitions):
        assert asyncio.get_running_loop().time() < deadline, "the records never arrived"
        await consumer.getmany(timeout_ms=200)


async def fetched_past_everything(
    bootstrap: str, topic: str, group: str
) -> AsyncIterator[tuple[AIOKafkaConsumer, list[TopicPartition]]]:
    """A group consumer on three partitions: partition 0 never committed, 1 committed at 2, 2
    committed at 0; every record fetched (positions at the end), none processed."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for partition in range(3):
            for i in range(PER_PARTITION):
                await producer.send_and_wait(
                    topic, f"{partition}-{i}".encode(), partition=partition
                )
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    partitions = [TopicPartition(topic, p) for p in range(3)]
    try:
        consumer.assign(partitions)
        await consumer.commit(
            {partitions[1]: OffsetAndMetadata(2, ""), partitions[2]: OffsetAndMetadata(0, "")}
        )
        await consumer.seek_to_beginning(*partitions)
        await read_to_end(consumer, partitions)
        yield consumer, partitions
    finally:
        await consumer.stop()


async def positions(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> list[int]:
    return [await consumer.position(tp) for tp in partitions]


@pytest.mark.parametrize(
    ("reset", "skip", "expected"),
    [
        ("earliest", False, [0, 2, 0]),
        ("latest", False, [PER_PARTITION, 2, 0]),
        ("earliest", True, [PER_PARTITION, 2, PER_PARTITION]),  # a changelog: recovery seeks it
    ],
)
async def test_partitions_without_a_committed_offset_are_sought_too(
    kafka_bootstrap: str,
    create_topic: CreateTopic,
    unique_name: Callable[[str], str],
    reset: str,
    skip: bool,
    expected: list[int],
) -> None:
    topic = create_topic(partitions=3)
    async for consumer, partitions in fetched_past_everything(
        kafka_bootstrap, topic, unique_name("seek")
    ):
        committed = await consumer.seek_to_committed()
        # aiokafka alone: only the partition committed above 0 went back; the others stay past
        # records that were fetched and never processed.
        assert await positions(consumer, partitions) == [PER_PARTITION, 2, PER_PARTITION]
        sought = await seek_uncommitted(consumer, committed, [topic] if skip else [], reset)
        assert sorted(tp.partition for tp in sought) == ([] if skip else [0, 2])
        assert await positions(consumer, partitions) == expected
