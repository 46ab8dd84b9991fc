"""One transactional producer per raw partition: records and consumed offsets committed together.

A :class:`PartitionWriter` owns the transactional id ``<group>-<raw topic>-<partition>``. Every
batch of that partition is one Kafka transaction: its records, its dead letters, its fingerprint
entries and the consumed offset (``send_offsets_to_transaction``) become visible together to
``read_committed`` consumers, or not at all.

Fencing: the transactional id belongs to the partition, not to the worker. When a partition moves,
its new owner starts a producer with the same id; the broker bumps the producer epoch, aborts the
transaction the previous owner left open (a worker killed mid-batch) and refuses anything the
previous owner still tries to send or commit (a worker that was paused and does not know yet that
it lost the partition). That is the classic exactly-once design of Kafka Streams before KIP-447;
aiokafka's ``TxnOffsetCommit`` carries no group generation, so fencing by partition is the one
that holds here.

A writer whose transaction failed is thrown away: :meth:`PartitionWriter.reset` stops its producer,
and the next :meth:`commit` starts a new one, whose initialisation aborts whatever was left open.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError

from wirestream.extractor.processing import Outgoing

logger = logging.getLogger(__name__)

STOP_TIMEOUT = 5.0
"""Seconds a failed or revoked writer's producer gets to stop before it is abandoned."""


def is_transient(exc: BaseException) -> bool:
    """A broker error that may pass by itself (unreachable, timed out, leader moving)."""
    if isinstance(exc, KafkaConnectionError | KafkaTimeoutError | asyncio.TimeoutError):
        return True
    return isinstance(exc, KafkaError) and bool(getattr(exc, "retriable", False))


ProducerFactory = Callable[[str], AIOKafkaProducer]
"""Makes a (not started) transactional producer for a transactional id."""


@dataclass
class PartitionWriter:
    """Commits one raw partition's batches as transactions (see the module docstring)."""

    tp: TopicPartition
    transactional_id: str
    group_id: str
    topic_names: dict[str, str]
    """Declared topic key → deployed topic name."""
    factory: ProducerFactory
    producer: AIOKafkaProducer | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def start(self) -> None:
        """:meth:`_start` under the writer's lock (never two producers for one partition)."""
        async with self.lock:
            await self._start()

    async def _start(self) -> None:
        """Start the producer and wait until its transactional id is initialised.

        Initialising fences the previous owner and *settles* its last transaction: the broker
        answers only once that transaction is aborted (still open) or its commit is complete
        (markers written). ``AIOKafkaProducer.start()`` returns before that, so an empty
        transaction is begun (which waits for the producer id) and aborted (locally: nothing was
        sent). Only after this may the partition's committed offset and changelog be read: read
        earlier, they can miss a commit of the previous owner that completes a moment later, and
        its records would be produced twice.
        """
        if self.producer is None:
            producer = self.factory(self.transactional_id)
            try:
                await producer.start()
                await producer.begin_transaction()
                await producer.abort_transaction()
            except BaseException:
                await _stop(producer)
                raise
            self.producer = producer

    async def commit(self, messages: Sequence[Outgoing], next_offset: int) -> None:
        """Send ``messages`` and commit the partition's offset ``next_offset`` in one transaction.

        On any failure the transaction is abandoned (aborted by the next producer's
        initialisation), the producer thrown away, and the error raised: nothing of the batch is
        visible and the offset did not move.
        """
        async with self.lock:
            await self._start()
            producer = self.producer
            assert producer is not None
            try:
                await producer.begin_transaction()
                futures: list[Any] = []
                for message in messages:
                    futures.append(
                        await producer.send(
                            self.topic_names[message.topic],
                            message.value,
                            key=message.key,
                            partition=message.partition,
                            headers=list(message.headers) or None,
                        )
                    )
                await asyncio.gather(*futures)
                await producer.send_offsets_to_transaction({self.tp: next_offset}, self.group_id)
                await producer.commit_transaction()
                logger.debug(
                    "transaction committed",
                    extra={"partition": self.tp.partition, "next_offset": next_offset},
                )
            except BaseException:
                await self._discard()
                raise

    async def reset(self) -> None:
        """Throw the producer away (the next commit starts a new one)."""
        async with self.lock:
            await self._discard()

    async def stop(self) -> None:
        """Throw the producer away once the commit in progress ends, or after
        :data:`STOP_TIMEOUT` seconds without waiting for it (the partition's next owner fences
        this producer and aborts what it left open)."""
        try:
            await asyncio.wait_for(self.lock.acquire(), STOP_TIMEOUT)
        except TimeoutError:
            logger.warning(
                "a commit did not end in time; abandoning the partition's producer",
                extra={"partition": self.tp.partition},
            )
            await self._discard()
            return
        try:
            await self._discard()
        finally:
            self.lock.release()

    async def _discard(self) -> None:
        producer, self.producer = self.producer, None
        if producer is not None:
            await _stop(producer)


async def _stop(producer: AIOKafkaProducer) -> None:
    try:
        await asyncio.wait_for(producer.stop(), STOP_TIMEOUT)
    except (TimeoutError, KafkaError, OSError) as exc:
        logger.warning("a producer did not stop cleanly (%s: %s)", type(exc).__name__, exc)
