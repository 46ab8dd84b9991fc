"""The chaos harness's Kafka edges (aiokafka): a paced publisher, the raw topic read back in full,
the outputs read with ``isolation_level="read_committed"``, and group-offset samples."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from typing import Any

from wirestream.chaos.messages import Message
from wirestream.chaos.reconcile import OutputIndex, RawMessage
from wirestream.chaos.timeline import OffsetSample
from wirestream.errors import EnvironmentNotReadyError
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    ENTITIES,
    EVENTS,
    MAX_REQUEST_BYTES,
    QUOTES,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
)

log = logging.getLogger(__name__)

OUTPUT_TOPICS = (ARTICLES, ENTITIES, QUOTES, EVENTS, RAW_DEAD_LETTERS)
PRODUCER_REQUEST_TIMEOUT_MS = 120_000
"""Long enough for a send to wait out a broker stop/start fault instead of failing."""
ADMIN_TIMEOUT = 5.0


def idempotent_producer(kafka: KafkaSettings, **options: Any) -> Any:
    """An idempotent aiokafka producer (acks=all), patient through a broker stop."""
    from aiokafka import AIOKafkaProducer

    return AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=PRODUCER_REQUEST_TIMEOUT_MS,
        **options,
    )


async def pace(t0: float, index: int, rate: float | None) -> None:
    """Wait until message ``index`` of a stream at ``rate`` per second from ``t0`` (monotonic
    clock) is due; at once without a rate."""
    if rate:
        delay = t0 + index / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


class Publisher:
    """One idempotent producer (acks=all) for the raw topic, shared by the paced stream and the
    poison bursts."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self.topic = RAW_ARTICLES.name(kafka)
        self._producer = idempotent_producer(kafka, max_request_size=MAX_REQUEST_BYTES)
        self.sent = 0

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def send_all(self, messages: Sequence[Message], *, rate: float | None, t0: float) -> None:
        """Send ``messages`` (message i at ``t0 + i / rate``, monotonic clock) and wait until the
        broker acknowledged every one."""
        pending = []
        for index, (key, value) in enumerate(messages):
            await pace(t0, index, rate)
            pending.append(await self._producer.send(self.topic, value=value, key=key))
            self.sent += 1
        await asyncio.gather(*pending)


def _consumer(kafka: KafkaSettings, **options: Any) -> Any:
    from aiokafka import AIOKafkaConsumer

    return AIOKafkaConsumer(
        bootstrap_servers=kafka.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        max_partition_fetch_bytes=MAX_REQUEST_BYTES,
        **options,
    )


async def _assign_all(consumer: Any, names: Sequence[str], timeout: float = 30.0) -> list[Any]:
    from aiokafka import TopicPartition

    tps: list[Any] = []
    deadline = time.monotonic() + timeout
    for name in names:
        while not (partitions := consumer.partitions_for_topic(name)):
            if time.monotonic() > deadline:
                raise EnvironmentNotReadyError(
                    f"topic {name} does not exist after {timeout:.0f} s: were the topics created?"
                )
            await consumer._client.force_metadata_update()
            await asyncio.sleep(0.25)
        tps.extend(TopicPartition(name, p) for p in sorted(partitions))
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    return tps


async def read_raw(kafka: KafkaSettings, timeout: float = 120.0) -> list[RawMessage]:
    """Every message of the raw topic, from the beginning to the end offsets at call time."""
    consumer = _consumer(kafka)
    await consumer.start()
    try:
        tps = await _assign_all(consumer, [RAW_ARTICLES.name(kafka)])
        ends = await consumer.end_offsets(tps)
        found: list[RawMessage] = []
        deadline = time.monotonic() + timeout
        while await _behind(consumer, tps, ends):
            if time.monotonic() > deadline:
                raise EnvironmentNotReadyError(f"the raw topic was not read in {timeout:.0f} s")
            batches = await consumer.getmany(timeout_ms=500, max_records=1000)
            for tp, messages in batches.items():
                found.extend(
                    RawMessage.read(tp.partition, m.offset, m.key, m.value or b"")
                    for m in messages
                    if m.offset < ends[tp]
                )
        return sorted(found, key=lambda m: (m.partition, m.offset))
    finally:
        await consumer.stop()


async def _behind(consumer: Any, tps: Sequence[Any], ends: dict[Any, int]) -> bool:
    for tp in tps:
        if await consumer.position(tp) < ends[tp]:
            return True
    return False


class OutputReader:
    """The record and dead-letter topics from the beginning, ``read_committed``, no group."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self.kafka = kafka
        self.index = OutputIndex(RAW_ARTICLES.name(kafka))
        self.last_arrival: float | None = None
        self._keys = {t.name(kafka): t.key for t in OUTPUT_TOPICS}
        self._consumer = _consumer(kafka, isolation_level="read_committed")

    async def start(self) -> None:
        await self._consumer.start()
        await _assign_all(self._consumer, list(self._keys))

    async def stop(self) -> None:
        await self._consumer.stop()

    async def poll(self, timeout: float = 0.5) -> int:
        """Read what arrived (waiting up to ``timeout`` s); returns how many messages."""
        from aiokafka.errors import KafkaError

        try:
            batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000), max_records=2000)
        except KafkaError as exc:  # the broker is down for a fault: try again later
            log.debug("output poll failed: %s", exc)
            await asyncio.sleep(timeout)
            return 0
        count = 0
        for tp, messages in batches.items():
            for message in messages:
                self.index.add(self._keys[tp.topic], message.value or b"")
                count += 1
        if count:
            self.last_arrival = time.monotonic()
        return count


class OffsetSampler:
    """The consumer group's committed offsets and the end offsets, per partition of ``topic``
    (default: the raw topic)."""

    def __init__(self, kafka: KafkaSettings, group: str, topic: str | None = None) -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        self.kafka = kafka
        self.group = group
        self.topic = topic or RAW_ARTICLES.name(kafka)
        self._admin = AIOKafkaAdminClient(
            bootstrap_servers=kafka.bootstrap_servers, request_timeout_ms=int(ADMIN_TIMEOUT * 1000)
        )
        self._consumer = _consumer(kafka, request_timeout_ms=int(ADMIN_TIMEOUT * 1000))
        self._tps: list[Any] = []

    async def start(self) -> None:
        await self._admin.start()
        await self._consumer.start()
        self._tps = await _assign_all(self._consumer, [self.topic])

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self._admin.close()
        await self._consumer.stop()

    async def sample(self, t: float) -> OffsetSample | None:
        """One sample labelled ``t``; None while the broker does not answer."""
        try:
            offsets = await asyncio.wait_for(
                self._admin.list_consumer_group_offsets(self.group), ADMIN_TIMEOUT
            )
            ends = await asyncio.wait_for(self._consumer.end_offsets(self._tps), ADMIN_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - any failure here only means "no sample now"
            log.debug("offset sample failed: %s", exc)
            return None
        committed = {
            tp.partition: int(meta.offset)
            for tp, meta in offsets.items()
            if tp.topic == self.topic and meta.offset >= 0
        }
        return OffsetSample(t, committed, {tp.partition: int(end) for tp, end in ends.items()})
