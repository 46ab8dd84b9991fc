"""Downstream readers see committed records only: an aborted transaction's records never show."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from fixtures.kafka import CreateTopic

pytestmark = pytest.mark.integration


async def produce_aborted_then_committed(bootstrap: str, topic: str, transactional_id: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, transactional_id=transactional_id)
    await producer.start()
    try:
        await producer.begin_transaction()
        await producer.send_and_wait(topic, b'{"kind": "entity", "id": "aborted"}', key=b"a1")
        await producer.abort_transaction()
        await producer.begin_transaction()
        await producer.send_and_wait(topic, b'{"kind": "entity", "id": "committed"}', key=b"a1")
        await producer.commit_transaction()
        await producer.begin_transaction()
        await producer.send_and_wait(topic, b'{"kind": "entity", "id": "second"}', key=b"a2")
        await producer.commit_transaction()
    finally:
        await producer.stop()


async def read_uncommitted(bootstrap: str, topic: str, expected: int) -> list[bytes]:
    """Every value in ``topic`` as a read_uncommitted consumer sees it (waits up to 30 s)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, isolation_level="read_uncommitted")
    await consumer.start()
    values: list[bytes] = []
    try:
        consumer.assign([TopicPartition(topic, 0)])
        await consumer.seek_to_beginning()
        deadline = asyncio.get_running_loop().time() + 30
        while len(values) < expected and asyncio.get_running_loop().time() < deadline:
            for messages in (await consumer.getmany(timeout_ms=500)).values():
                values.extend(m.value or b"" for m in messages)
    finally:
        await consumer.stop()
    return values


def test_tail_shows_committed_records_and_not_aborted_ones(
    kafka_bootstrap: str, create_topic: CreateTopic, unique_name: Callable[[str], str]
) -> None:
    topic = create_topic()
    asyncio.run(produce_aborted_then_committed(kafka_bootstrap, topic, unique_name("txn")))
    # The aborted record is in the log: a read_uncommitted reader sees it.
    everything = asyncio.run(read_uncommitted(kafka_bootstrap, topic, 3))
    assert b'{"kind": "entity", "id": "aborted"}' in everything
    env = {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap}
    command = [sys.executable, "-m", "wirestream.cli", "tail", topic, "--from-beginning", "--json"]
    done = subprocess.run(
        [*command, "--timeout", "10", "--max", "5"],
        env=env,
        capture_output=True,
        timeout=90,
        check=True,
    )
    assert done.stdout.splitlines() == [
        b'{"kind": "entity", "id": "committed"}',
        b'{"kind": "entity", "id": "second"}',
    ]
