"""The archiver's Kafka edge: an aiokafka consumer with manual commits.

Why not a faust agent: faust commits the offsets of *acked* events on a timer
(``broker_commit_every`` / ``broker_commit_interval``), and an event is acked when the agent moves
past it - not when a file holding it is on disk. Its gap handling has had off-by-one bugs that
commit past in-flight messages (faust-streaming/faust#312, #606, #596). The archiver needs "commit
``last + 1`` only after the file with ``first..last`` has been renamed into place", so it owns its
consumer: ``enable_auto_commit=False``, explicit ``commit({tp: offset})`` after each write, and on
every assignment the uncommitted leftovers of a crashed predecessor are discarded before reading.
The faust worker (:mod:`.app`) hosts this loop as a service (lifecycle, signals, web/health).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from wirestream.archiver.batches import Batcher, discard_uncommitted
from wirestream.archiver.parquet import Message, safe
from wirestream.archiver.settings import ArchiverSettings
from wirestream.archiver.store import ArchiveStore
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import RECORD_TOPICS

logger = logging.getLogger(__name__)

POLL_MS = 500


def topic_kinds(kafka: KafkaSettings) -> dict[str, str]:
    """Deployed topic name -> record kind, for the four record topics."""
    return {spec.name(kafka): kind for kind, spec in RECORD_TOPICS.items()}


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, archiver: Archiver) -> None:
        self.archiver = archiver

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self.archiver.flush_all()
        for tp in revoked:
            self.archiver.batcher.drop(tp.topic, tp.partition)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self.archiver.on_assigned(assigned)


class Archiver:
    """Consume the record topics, write Parquet files, commit after each durable write."""

    def __init__(
        self,
        kafka: KafkaSettings,
        settings: ArchiverSettings,
        store: ArchiveStore,
        *,
        on_written: Callable[[list[str]], Awaitable[None]] | None = None,
    ) -> None:
        self.kafka = kafka
        self.settings = settings
        self.store = store
        self.kinds = topic_kinds(kafka)
        self.batcher = Batcher(store, self.kinds, settings.flush_records, settings.flush_seconds)
        self.on_written = on_written
        self.consumer: AIOKafkaConsumer | None = None
        self._stopping = asyncio.Event()
        self.files_written = 0
        self.records_written = 0

    async def on_assigned(self, assigned: set[TopicPartition]) -> None:
        assert self.consumer is not None
        for tp in sorted(assigned):
            committed = await self.consumer.committed(tp)
            if committed is None:
                committed = (await self.consumer.beginning_offsets([tp]))[tp]
            removed = await asyncio.to_thread(
                discard_uncommitted,
                self.store,
                tp.topic,
                tp.partition,
                self.kinds[tp.topic],
                committed,
            )
            if removed:
                logger.warning(
                    "discarded files written but never committed; they are rewritten now",
                    extra={"topic": tp.topic, "partition": tp.partition, "files": removed},
                )
            self.consumer.seek(tp, committed)

    async def flush_all(self) -> None:
        for buf in list(self.batcher.buffers.values()):
            if buf.rows:
                await self._flush(buf)

    async def _flush(self, buf: object) -> None:
        from wirestream.archiver.batches import PartitionBuffer

        assert isinstance(buf, PartitionBuffer) and self.consumer is not None
        count = len(buf.rows)
        tp = TopicPartition(buf.topic, buf.partition)
        written, next_offset = await asyncio.to_thread(self.batcher.flush, buf)
        if self.settings.exit_after_write:
            logger.warning("WIRESTREAM_ARCHIVER_EXIT_AFTER_WRITE: dying before the commit")
            os.kill(os.getpid(), signal.SIGKILL)
        await self.consumer.commit({tp: next_offset})
        self.files_written += len(written)
        self.records_written += count
        logger.info(
            "archived",
            extra={"files": written, "records": count, "topic": tp.topic, "committed": next_offset},
        )
        if self.on_written is not None:
            await self.on_written(written)

    async def run(self) -> None:
        """Consume until :meth:`stop`; flushes what is buffered before returning."""
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=self.kafka.bootstrap_servers,
            group_id=self.settings.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_poll_records=min(self.settings.flush_records, 2000),
        )
        await self.consumer.start()
        try:
            self.consumer.subscribe(sorted(self.kinds), listener=_Rebalance(self))
            while not self._stopping.is_set():
                batches = await self.consumer.getmany(timeout_ms=POLL_MS)
                for tp, messages in batches.items():
                    for m in messages:
                        self.batcher.add(
                            Message(tp.topic, tp.partition, m.offset, m.timestamp, m.value)
                        )
                for buf in self.batcher.due(time.monotonic()):
                    await self._flush(buf)
            await self.flush_all()
        finally:
            await self.consumer.stop()
            self.consumer = None

    def stop(self) -> None:
        self._stopping.set()


async def committed_offsets(kafka: KafkaSettings, group_id: str) -> dict[tuple[str, int], int]:
    """The archiver group's committed offsets, keyed by (topic as in file names, partition)."""
    from aiokafka.admin import AIOKafkaAdminClient

    from wirestream.errors import EnvironmentNotReadyError

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
    try:
        await admin.start()
        offsets = await admin.list_consumer_group_offsets(group_id)
    except Exception as exc:
        raise EnvironmentNotReadyError(
            f"cannot read the committed offsets of group {group_id!r} from "
            f"{kafka.bootstrap_servers}: {exc}. Set WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS, or pass "
            "--offline when no archiver writes to this archive"
        ) from exc
    finally:
        await admin.close()
    return {(safe(tp.topic), tp.partition): meta.offset for tp, meta in offsets.items()}
