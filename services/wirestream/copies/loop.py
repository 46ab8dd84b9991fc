"""The copies stage: every article's fingerprint in one place → copy markings, exactly once.

The extractor writes each article's :class:`~wirestream_contracts.state.FingerprintEntry` to
:data:`~wirestream.streaming.topics.COPY_FINGERPRINTS` (one partition) in the same transaction as
the article's records, whichever worker extracted it. This loop, in the consumer group
``<prefix><app id>`` (``read_committed``, no auto-commit), owns that partition - any number of
instances may run; one is active, the others take over on a rebalance. For each fingerprint it
updates a :class:`~wirestream.copies.marking.CopyIndex` and publishes the markings that changed
to the compacted :data:`~wirestream.streaming.topics.COPIES` topic, keyed by article id, in one
Kafka transaction with the consumed offset (the transactional id belongs to the partition, so a
new owner fences the previous one, as in the extractor).

State: on assignment (and after any failure) the index is rebuilt by reading the partition from
its beginning: fingerprints before the committed offset are taken in silently (their markings
were published), the ones after it publish. The markings depend only on the set of fingerprints
(:mod:`.marking`), so a rebuilt index gives the markings already published and a replay the same
markings. The partition's retention (3 days) bounds the rebuild.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError
from pydantic import ValidationError

import wirestream
from wirestream.copies.marking import CopyIndex, Mark
from wirestream.copies.metrics import CopiesMetrics
from wirestream.copies.settings import CopiesSettings
from wirestream.copies.topics import COPIES, COPY_FINGERPRINTS
from wirestream.core import jsonio
from wirestream.extractor.processing import Outgoing
from wirestream.extractor.transactions import PartitionWriter
from wirestream.streaming.leave import stop_consumer
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.transactional import group_consumer, transactional_producer
from wirestream_contracts import headers as wire_headers
from wirestream_contracts.copies import CopyRecord
from wirestream_contracts.state import FingerprintEntry

logger = logging.getLogger(__name__)

RETRY_DELAY = 2.0
"""Seconds before the loop goes on after a failure (the partition is rebuilt first)."""


def encode(mark: Mark) -> Outgoing:
    """The ``copies`` topic message of ``mark``."""
    record = CopyRecord(
        article_id=mark.entry.article_id,
        duplicate_of=mark.duplicate_of,
        similarity=mark.similarity,
        fingerprint=mark.entry.fingerprint,
        timestamp=mark.entry.timestamp,
    )
    producer = f"copies/{wirestream.__version__}"
    headers = wire_headers.produced_headers(record.kind, record.schema_version, producer)
    return Outgoing(
        COPIES.key,
        record.article_id.encode("utf-8"),
        jsonio.dumps(record),
        headers=tuple(headers),
    )


@dataclass
class CopiesLoop:
    """One instance of the copies stage; see the module docstring."""

    settings: CopiesSettings
    kafka: KafkaSettings
    metrics: CopiesMetrics = field(default_factory=CopiesMetrics)
    index: CopyIndex = field(default_factory=CopyIndex)
    consumer: AIOKafkaConsumer | None = None
    writer: PartitionWriter | None = None
    replay_until: int = 0
    """Offsets below this were committed: taken in without publishing."""
    position: int = -1
    generation: int = 0
    owning: bool = False
    """True once the partition is taken and the index set up (never during :meth:`rebuild`)."""
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def group_id(self) -> str:
        return self.kafka.topic_prefix + self.settings.group_id

    @property
    def tp(self) -> TopicPartition:
        return TopicPartition(COPY_FINGERPRINTS.name(self.kafka), 0)

    def new_index(self) -> CopyIndex:
        return CopyIndex(threshold=self.settings.threshold, window=self.settings.window)

    def make_producer(self, transactional_id: str) -> AIOKafkaProducer:
        return transactional_producer(
            self.kafka, transactional_id, self.settings.transaction_timeout
        )

    async def run(self) -> None:
        """Consume until :meth:`stop`."""
        self.consumer = group_consumer(self.kafka, self.group_id, self.settings.session_timeout)
        self.consumer.subscribe([self.tp.topic], listener=_Listener(self))
        await self.consumer.start()
        try:
            while not self.stopping.is_set():
                try:
                    await self.step()
                except Exception:
                    logger.exception("the copies stage failed; rebuilding its index")
                    self.metrics.failures.inc()
                    await self.rebuild()
                    await asyncio.sleep(RETRY_DELAY)
        finally:
            await self.release()
            await stop_consumer(self.consumer)

    async def step(self) -> None:
        """One fetch: take the fingerprints in, publish changed markings with the offset."""
        assert self.consumer is not None
        if not self.owning and not self.lock.locked() and self.tp in self.consumer.assignment():
            await self.rebuild()  # taking the partition failed before: try again
        generation = self.generation
        batches = await self.consumer.getmany(timeout_ms=500, max_records=self.settings.batch_size)
        if generation != self.generation or not self.owning or self.writer is None:
            # Assigned, revoked or rebuilt meanwhile: these may be from before or after the
            # seek; drop them and fetch again from where the index is.
            if self.owning and self.tp in self.consumer.assignment():
                await self.seek_to_position()
            return
        out: list[Outgoing] = []
        last: int | None = None
        for message in batches.get(self.tp, ()):
            if message.offset <= self.position:
                continue
            self.position = message.offset
            live = message.offset >= self.replay_until
            marks = self.take(message.value)
            self.metrics.fingerprints.labels("live" if live else "rebuild").inc()
            if live:
                out.extend(encode(mark) for mark in marks)
                last = message.offset
                for mark in marks:
                    self.metrics.marks.labels("copy" if mark.duplicate_of else "original").inc()
        got = batches.get(self.tp, [])
        if got:
            logger.debug(
                "fingerprints fetched",
                extra={
                    "offsets": [got[0].offset, got[-1].offset],
                    "position": self.position,
                    "replay_until": self.replay_until,
                    "publishing": len(out),
                },
            )
        if last is not None:
            await self.writer.commit(out, last + 1)
            self.replay_until = last + 1

    async def seek_to_position(self) -> None:
        """Fetch next from just after the last fingerprint taken in (the beginning if none)."""
        assert self.consumer is not None
        if self.position < 0:
            await self.consumer.seek_to_beginning(self.tp)
        else:
            self.consumer.seek(self.tp, self.position + 1)

    def take(self, value: bytes | None) -> list[Mark]:
        if not value:
            return []
        try:
            entry = FingerprintEntry.model_validate_json(value)
        except ValidationError:
            logger.warning("skipping an unreadable fingerprint entry")
            return []
        return self.index.add(entry.article_id, entry.fingerprint, entry.timestamp)

    async def rebuild(self) -> None:
        """Settle the partition's transactions, read its committed offset, start over.

        Nothing is taken in or published meanwhile (``owning`` is false until the end, and the
        generation changes at both ends, so a fetch that straddles it is dropped)."""
        assert self.consumer is not None
        async with self.lock:
            self.owning = False
            self.generation += 1
            if self.tp not in self.consumer.assignment():
                return
            if self.writer is None:
                self.writer = PartitionWriter(
                    tp=self.tp,
                    transactional_id=f"{self.group_id}-{self.tp.topic}-0",
                    group_id=self.group_id,
                    topic_names={COPIES.key: COPIES.name(self.kafka)},
                    factory=self.make_producer,
                )
            await self.writer.reset()
            await self.writer.start()  # fences the previous owner, settles its transaction
            committed = await self.consumer.committed(self.tp)
            self.replay_until = committed or 0
            self.index = self.new_index()
            self.position = -1
            self.generation += 1
            await self.seek_to_position()
            self.owning = True
        self.metrics.active.set(1)
        logger.info("copies partition taken", extra={"committed": self.replay_until})

    async def release(self) -> None:
        self.owning = False
        self.generation += 1
        writer, self.writer = self.writer, None
        self.index = self.new_index()
        self.metrics.active.set(0)
        if writer is not None:
            await writer.stop()

    def stop(self) -> None:
        self.stopping.set()


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, loop: CopiesLoop) -> None:
        self.loop = loop

    async def on_partitions_revoked(self, revoked: Sequence[TopicPartition]) -> None:
        try:
            await self.loop.release()
        except (KafkaError, OSError, TimeoutError):
            logger.exception("releasing the copies partition failed")

    async def on_partitions_assigned(self, assigned: Sequence[TopicPartition]) -> None:
        if self.loop.tp not in assigned:
            return
        try:
            await self.loop.rebuild()
        except Exception:
            logger.exception("taking the copies partition failed; retrying on the next step")
