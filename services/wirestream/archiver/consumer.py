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
from aiokafka.errors import CommitFailedError, KafkaError

from wirestream.archiver.batches import Batcher, PartitionBuffer, discard_uncommitted, write_rows
from wirestream.archiver.metrics import ArchiverMetrics
from wirestream.archiver.parquet import Message, safe
from wirestream.archiver.settings import ArchiverSettings
from wirestream.archiver.store import ArchiveStore
from wirestream.archiver.topics import ARCHIVED_TOPICS
from wirestream.streaming.isolation import ISOLATION_LEVEL
from wirestream.streaming.leave import stop_consumer
from wirestream.streaming.settings import KafkaSettings

logger = logging.getLogger(__name__)

POLL_MS = 500


def topic_kinds(kafka: KafkaSettings) -> dict[str, str]:
    """Deployed topic name -> record kind, for the four record topics."""
    return {spec.name(kafka): kind for kind, spec in ARCHIVED_TOPICS.items()}


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, archiver: Archiver) -> None:
        self.archiver = archiver

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self.archiver.on_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self.archiver.on_assigned(assigned)


class Archiver:
    """Consume the record topics, write Parquet files, commit after each durable write.

    One lock serialises flushes and rebalance callbacks: a partition is never re-assigned (its
    leftovers discarded, its position reset) while a file of it is being written or committed.
    A commit that fails (the group rebalanced under it) leaves the file in place uncommitted; the
    partition's next owner discards it and writes those records again.
    """

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
        self.metrics = ArchiverMetrics()
        self.consumer: AIOKafkaConsumer | None = None
        self._stopping = asyncio.Event()
        self._lock = asyncio.Lock()
        self._next: dict[TopicPartition, int] = {}
        self.files_written = 0
        self.records_written = 0

    async def on_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self._lock:
            for tp in sorted(revoked):
                buf = self.batcher.buffers.get((tp.topic, tp.partition))
                if buf is not None and buf.rows:
                    await self._flush(buf)
                self.batcher.drop(tp.topic, tp.partition)
                self._next.pop(tp, None)

    async def on_assigned(self, assigned: set[TopicPartition]) -> None:
        assert self.consumer is not None
        async with self._lock:
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
                    self.metrics.discarded.inc(len(removed))
                    logger.warning(
                        "discarded files written but never committed; they are rewritten now",
                        extra={"topic": tp.topic, "partition": tp.partition, "files": removed},
                    )
                self.batcher.drop(tp.topic, tp.partition)
                self._next[tp] = committed
                self.consumer.seek(tp, committed)

    async def flush_all(self) -> None:
        async with self._lock:
            for buf in list(self.batcher.buffers.values()):
                if buf.rows:
                    await self._flush(buf)

    async def _flush(self, buf: PartitionBuffer) -> None:
        """Write and commit one buffer (the caller holds the lock)."""
        assert self.consumer is not None
        rows = buf.take()
        if not rows:
            return
        tp = TopicPartition(buf.topic, buf.partition)
        next_offset = rows[-1].message.offset + 1
        written = await asyncio.to_thread(write_rows, self.store, rows)
        if self.settings.exit_after_write:
            logger.warning("WIRESTREAM_ARCHIVER_EXIT_AFTER_WRITE: dying before the commit")
            os.kill(os.getpid(), signal.SIGKILL)
        try:
            await self.consumer.commit({tp: next_offset})
        except (CommitFailedError, KafkaError) as exc:
            self.metrics.commit_failures.inc()
            logger.warning(
                "commit failed; the files stay uncommitted and are rewritten by the partition's "
                "next owner",
                extra={"files": written, "error": str(exc)},
            )
            return
        self.files_written += len(written)
        self.records_written += len(rows)
        self.metrics.files.inc(len(written))
        for row in rows:
            self.metrics.records.labels(row.kind).inc()
        logger.info(
            "archived",
            extra={
                "files": written,
                "records": len(rows),
                "topic": tp.topic,
                "partition": tp.partition,
                "committed": next_offset,
            },
        )
        if self.on_written is not None:
            await self.on_written(written)

    async def run(self) -> None:
        """Consume until :meth:`stop`; flushes what is buffered before returning."""
        await asyncio.to_thread(self.store.ensure_root)
        self.consumer = AIOKafkaConsumer(
            **self.kafka.client_options(),
            group_id=self.settings.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level=ISOLATION_LEVEL,
            max_poll_records=min(self.settings.flush_records, 2000),
        )
        await self.consumer.start()
        try:
            self.consumer.subscribe(sorted(self.kinds), listener=_Rebalance(self))
            while not self._stopping.is_set():
                batches = await self.consumer.getmany(timeout_ms=POLL_MS)
                for tp, messages in batches.items():
                    for m in messages:
                        # only what follows the position set at assignment (no stale fetches)
                        if tp not in self._next or m.offset < self._next[tp]:
                            continue
                        self._next[tp] = m.offset + 1
                        if m.value is None:
                            continue  # a tombstone: the retraction beside it is archived
                        self.batcher.add(
                            Message(tp.topic, tp.partition, m.offset, m.timestamp, m.value)
                        )
                due = self.batcher.due(time.monotonic())
                if due:
                    async with self._lock:
                        for buf in due:
                            await self._flush(buf)
            await self.flush_all()
        finally:
            await stop_consumer(self.consumer)
            self.consumer = None

    def ready(self) -> bool:
        """True when the consumer has partitions assigned."""
        return self.consumer is not None and bool(self.consumer.assignment())

    def stop(self) -> None:
        self._stopping.set()


async def committed_offsets(kafka: KafkaSettings, group_id: str) -> dict[tuple[str, int], int]:
    """The archiver group's committed offsets, keyed by (topic as in file names, partition)."""
    from aiokafka.admin import AIOKafkaAdminClient

    from wirestream.errors import EnvironmentNotReadyError
    from wirestream.streaming.connection import check_connection

    await check_connection(kafka)
    admin = AIOKafkaAdminClient(**kafka.client_options())
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
