"""faust-streaming 0.15.3 on the Kafka 4.x broker: consume, produce, consumer group, commit.

The evidence behind the Kafka version choice (docs/KAFKA.md): a real faust worker, built the way
the services build theirs, runs as its own process against the session's broker.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from fixtures.kafka import CreateTopic
from wirestream.testkit.net import free_port

PROBE = Path(__file__).with_name("faust_probe.py")
COUNT = 12


async def read_all(bootstrap: str, topic: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    got: list[bytes] = []
    try:
        while len(got) < count:
            batch = await consumer.getmany(timeout_ms=20_000)
            if not batch:
                break
            got.extend(m.value for messages in batch.values() for m in messages)
    finally:
        await consumer.stop()
    return got


async def committed(bootstrap: str, group: str) -> dict[TopicPartition, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {tp: meta.offset for tp, meta in offsets.items()}


@pytest.mark.integration
def test_a_faust_worker_consumes_produces_and_commits(
    kafka_bootstrap: str,
    create_topic: CreateTopic,
    unique_name: Callable[[str], str],
    tmp_path: Path,
) -> None:
    source = create_topic(partitions=2)
    sink = create_topic(partitions=2)
    group = unique_name("faust")
    values = [f"wire-{i}".encode() for i in range(COUNT)]

    async def produce() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            for i, value in enumerate(values):
                await producer.send(source, value=value, key=str(i % 3).encode())
            await producer.flush()
        finally:
            await producer.stop()

    asyncio.run(produce())
    env = {
        **os.environ,
        "PROBE_BOOTSTRAP": kafka_bootstrap,
        "PROBE_SOURCE": source,
        "PROBE_SINK": sink,
        "PROBE_GROUP": group,
        "PROBE_COUNT": str(COUNT),
        "PROBE_WEB_PORT": str(free_port()),
        "PROBE_DATA_DIR": str(tmp_path / "faust"),
    }
    done = subprocess.run(
        [sys.executable, str(PROBE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert f"probe consumed {COUNT}" in done.stdout, done.stderr[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]

    assert sorted(asyncio.run(read_all(kafka_bootstrap, sink, COUNT))) == sorted(
        v.upper() for v in values
    )
    offsets = asyncio.run(committed(kafka_bootstrap, group))
    assert sum(o for tp, o in offsets.items() if tp.topic == source) == COUNT
