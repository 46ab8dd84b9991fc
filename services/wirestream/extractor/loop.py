"""The extractor's consume → extract → produce loop: exactly-once with Kafka transactions.

One consumer in the group ``<prefix><app id>`` reads the raw topic (``read_committed``, offsets
never auto-committed). Each batch (up to ``batch_size`` messages, see :meth:`ExtractorLoop.fetch`)
is decoded, extracted and encoded (:class:`~wirestream.extractor.processing.BatchProcessor`), then
every raw partition's share of it is committed by that partition's
:class:`~wirestream.extractor.transactions.PartitionWriter` in one transaction: the records, the
dead letters, the fingerprint entries *and the consumed offset*. A ``read_committed`` consumer sees
each raw message's outputs exactly once, whatever crashes, restarts or rebalances happen.

Why no offset is ever committed past an unprocessed message: the only offsets committed are those
of transactions carrying the outputs of every message before them on that partition. A batch is
taken from the consumer's position, which moves only forward through messages the loop has in
hand; if a transaction fails, the partition is *reset* (:meth:`ExtractorLoop.recover`): messages
of it already fetched or prepared are dropped (its generation changes), a new producer fences and
aborts what was open, the committed offset is read back from the group and the consumer is
sought there. Messages after a failed one are therefore never committed before it.

Delivery is pipelined one batch deep: while batch N's transactions commit, batch N+1 is being
extracted; N+1 is sent only after N is done, so a partition's records keep their order.

Where extraction runs: a batch of at most ``inline_max_chars`` characters of article text is
extracted on the event loop; a larger one in a single extraction thread, so that heartbeats and
web views go on through a long article.

This loop replaced a faust agent. faust's own consumer bookkeeping skipped a message after a
takeover and its table recovery could hold a survivor for minutes (issue 12, docs/DELIVERY.md);
faust-streaming's transaction support shares that consumer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import (
    CorruptRecordException,
    InvalidTopicError,
    KafkaError,
    MessageSizeTooLargeError,
    ProducerFenced,
    RecordListTooLargeError,
    RecordTooLargeError,
    UnsupportedForMessageFormatError,
)

from wirestream.extractor.faults import InjectedFault
from wirestream.extractor.fetching import Fetched, incoming, increasing
from wirestream.extractor.fingerprints import restore_bounded
from wirestream.extractor.metrics import ExtractorMetrics
from wirestream.extractor.processing import BatchProcessor, Outgoing, Processed
from wirestream.extractor.progress import LoopState, Progress
from wirestream.extractor.settings import ExtractorSettings
from wirestream.extractor.stories import restore_into
from wirestream.extractor.topics import (
    EXTRACTOR_FINGERPRINTS,
    EXTRACTOR_STORIES,
    OUTPUT_TOPICS,
    RAW_ARTICLES,
)
from wirestream.extractor.transactions import PartitionWriter
from wirestream.streaming.leave import stop_consumer
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import MAX_REQUEST_BYTES
from wirestream.streaming.transactional import (
    group_consumer,
    state_reader,
    transactional_producer,
)

logger = logging.getLogger(__name__)

RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0)
"""Seconds before a reset partition is tried again (the last delay repeats)."""
PRODUCER_BATCH_BYTES = 256 * 1024
REFUSED = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    RecordListTooLargeError,
    CorruptRecordException,
    InvalidTopicError,
    UnsupportedForMessageFormatError,
)
"""Errors with which the broker (or the producer) refuses a message's records for good: that
message is dead-lettered (stage ``publish``). Any other failure resets the partition and tries
again - a broker outage passes, and a partition that cannot make progress shows in ``/health``."""


@dataclass
class ExtractorLoop:
    """The processing loop of one extractor worker; see the module docstring."""

    settings: ExtractorSettings
    kafka: KafkaSettings
    processor: BatchProcessor
    metrics: ExtractorMetrics
    progress: Progress
    clock: Callable[[], float] = time.monotonic
    writers: dict[int, PartitionWriter] = field(default_factory=dict)
    generation: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    recovering: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    assigning: set[int] = field(default_factory=set)
    """Partitions being set up by :meth:`on_assigned`: nothing of them is committed meanwhile."""
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="extract")
    )
    consumer: AIOKafkaConsumer | None = None
    delivering: asyncio.Task[None] | None = None

    @property
    def group_id(self) -> str:
        return self.kafka.topic_prefix + self.settings.group_id

    @property
    def raw_topic(self) -> str:
        return RAW_ARTICLES.name(self.kafka)

    def tp(self, partition: int) -> TopicPartition:
        return TopicPartition(self.raw_topic, partition)

    # -- clients ---------------------------------------------------------------------------------
    def make_consumer(self) -> AIOKafkaConsumer:
        return group_consumer(
            self.kafka,
            self.group_id,
            self.settings.session_timeout,
            fetch_max_bytes=MAX_REQUEST_BYTES * 2,
        )

    def make_producer(self, transactional_id: str) -> AIOKafkaProducer:
        return transactional_producer(
            self.kafka,
            transactional_id,
            self.settings.transaction_timeout,
            max_batch_size=PRODUCER_BATCH_BYTES,
        )

    def make_state_reader(self) -> AIOKafkaConsumer:
        return state_reader(self.kafka, f"{self.group_id}-restore")

    def writer(self, partition: int) -> PartitionWriter:
        return PartitionWriter(
            tp=self.tp(partition),
            transactional_id=f"{self.group_id}-{self.raw_topic}-{partition}",
            group_id=self.group_id,
            topic_names={spec.key: spec.name(self.kafka) for spec in OUTPUT_TOPICS},
            factory=self.make_producer,
        )

    # -- the loop ----------------------------------------------------------------------------------
    async def run(self) -> None:
        """Consume until :meth:`stop`; then finish the batch in flight within the shutdown bound."""
        await self.start_consumer()
        self.progress.set_state(LoopState.RUNNING, self.clock())
        try:
            while not self.stopping.is_set():
                try:
                    await self.step()
                except Exception as exc:  # noqa: BLE001 - not one message's fault: reset, go on
                    await self.restart(exc)
        finally:
            await self.shutdown()

    async def start_consumer(self) -> None:
        """Start the consumer, trying again while the broker cannot be reached."""
        attempt = 0
        while not self.stopping.is_set():
            consumer = self.consumer = self.make_consumer()
            consumer.subscribe([self.raw_topic], listener=_Listener(self))
            try:
                await consumer.start()
            except KafkaError as exc:
                await consumer.stop()
                delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
                attempt += 1
                logger.warning(
                    "cannot reach the broker at %s yet (%s); retrying in %.1fs",
                    self.kafka.bootstrap_servers,
                    exc,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            return

    async def step(self) -> None:
        """Fetch one batch, prepare it, and hand it to delivery once the previous one is done."""
        fetched = await self.fetch()
        if fetched is None:
            await self.wait_delivered()
            return
        prepared = await self.prepare(fetched)
        await self.wait_delivered()
        self.delivering = asyncio.ensure_future(self.deliver(fetched, prepared))

    async def fetch(self) -> Fetched | None:
        """Up to ``batch_size`` messages: what is there, plus what arrives within
        ``batch_window`` seconds when the batch is not full.

        Each ``getmany`` answers from the positions of its moment. When a rebalance or a reset
        sought a partition between the two calls, the first call's messages of it are stale
        (they will come again from the new position) and are dropped here; otherwise the batch
        would carry some messages twice.
        """
        assert self.consumer is not None
        size = self.settings.batch_size
        first = await self.consumer.getmany(timeout_ms=500, max_records=size)
        got = {tp.partition: list(records) for tp, records in first.items() if records}
        tags = {p: self.generation[p] for p in got}  # the generation each partition's came in
        count = sum(map(len, got.values()))
        if 0 < count < size:
            more = await self.consumer.getmany(
                timeout_ms=int(self.settings.batch_window * 1000), max_records=size - count
            )
            for tp, records in more.items():
                p = tp.partition
                if records and tags.get(p, self.generation[p]) != self.generation[p]:
                    got[p] = []  # sought in between: the first call's are stale
                if records:
                    got.setdefault(p, []).extend(records)
                    tags[p] = self.generation[p]
        messages = {p: [incoming(r) for r in increasing(records)] for p, records in got.items()}
        messages = {p: batch for p, batch in messages.items() if batch}
        if not messages:
            return None
        now = self.clock()
        for partition in messages:
            self.progress.high_water(partition, self.consumer.highwater(self.tp(partition)), now)
        return Fetched(messages, {p: tags[p] for p in messages})

    async def prepare(self, fetched: Fetched) -> list[Processed]:
        """The processor's stages on a fetched batch, extracting where :meth:`offload` says."""
        return await self.processor.prepare(
            fetched.all(), fetched.generations, offload=self.offload
        )

    async def offload(
        self, extract: Callable[[list[Any]], list[Any]], slots: list[Any]
    ) -> list[Any]:
        """Extract on the event loop up to ``inline_max_chars`` of text, else in the thread."""
        if self.processor.text_size(slots) <= self.settings.inline_max_chars:
            return extract(slots)
        return await asyncio.get_running_loop().run_in_executor(self.executor, extract, slots)

    async def wait_delivered(self) -> None:
        if self.delivering is not None:
            task, self.delivering = self.delivering, None
            await task

    async def deliver(self, fetched: Fetched, prepared: Sequence[Processed]) -> None:
        """Commit every partition's share of a batch, each in its own transaction."""
        by_partition: dict[int, list[Processed]] = defaultdict(list)
        for processed in prepared:
            by_partition[processed.incoming.source.partition].append(processed)
        await asyncio.gather(
            *(
                self.deliver_partition(p, items, fetched.generations[p])
                for p, items in by_partition.items()
            )
        )

    def current(self, partition: int, generation: int) -> bool:
        """Whether a batch taken at ``generation`` may still be committed for ``partition``."""
        return (
            generation == self.generation[partition]
            and partition in self.writers
            and partition not in self.recovering
            and partition not in self.assigning
        )

    async def deliver_partition(
        self, partition: int, items: list[Processed], generation: int
    ) -> None:
        """One transaction for the partition's messages; on a refusal that is not transient,
        one transaction per message so only the refused one is dead-lettered; on any other
        failure the partition is reset and its messages processed again."""
        if not self.current(partition, generation):
            return  # revoked or reset since it was fetched: it will be fetched again
        writer = self.writers[partition]
        try:
            if any(item.stall for item in items):
                raise InjectedFault(f"stall injected on partition {partition} (fault run)")
            await self.commit(writer, items)
        except Exception as exc:  # noqa: BLE001 - classified below; nothing of it is visible
            self.metrics.transactions.labels("failed").inc()
            if not isinstance(exc, REFUSED):
                self.reset(partition, exc)
            elif len(items) == 1:
                await self.dead_letter_refused(writer, partition, items[0], exc)
            else:
                logger.warning(
                    "a transaction was refused (%s: %s); committing its %d messages one by one",
                    type(exc).__name__,
                    exc,
                    len(items),
                )
                for item in items:
                    if not self.current(partition, generation):
                        return
                    await self.deliver_partition(partition, [item], generation)

    async def commit(self, writer: PartitionWriter, items: Sequence[Processed]) -> None:
        messages: list[Outgoing] = [m for item in items for m in item.messages]
        next_offset = items[-1].incoming.source.offset + 1
        await writer.commit(messages, next_offset)
        if self.processor.stories is not None:
            states = [item.story for item in items if item.story is not None]
            self.processor.stories.commit(writer.tp.partition, states)
        self.metrics.transactions.labels("committed").inc()
        self.progress.committed(writer.tp.partition, next_offset, self.clock())

    async def dead_letter_refused(
        self, writer: PartitionWriter, partition: int, item: Processed, error: BaseException
    ) -> None:
        """The broker refused one message's records for good: commit its dead letter instead."""
        logger.error(
            "the broker refused a message's records; dead-lettering it (%s: %s)",
            type(error).__name__,
            error,
            extra={"at": item.incoming.location},
        )
        letter = self.processor.unpublishable(item.incoming, error)
        try:
            await self.commit(writer, [letter])
        except Exception as exc:  # noqa: BLE001 - even the dead letter failed: reset, retry
            self.reset(partition, exc)
            return
        stories = self.processor.stories
        if (
            item.story is not None
            and stories is not None
            and not stories.unstage(partition, item.story)
        ):
            # A later message of the story was decided against the refused (never published)
            # version: decide it again, against the committed state.
            self.reset(partition, error)

    # -- resets --------------------------------------------------------------------------------------
    def reset(self, partition: int, error: BaseException) -> None:
        """Void the partition's fetched batches and recover it in the background."""
        self.generation[partition] += 1
        self.progress.failed(partition)
        self.metrics.send_retries.inc()
        logger.warning(
            "transaction failed; resetting the partition to its committed offset (%s: %s)",
            type(error).__name__,
            error,
            extra={"partition": partition},
        )
        if partition not in self.recovering and self.consumer is not None:
            self.consumer.pause(self.tp(partition))
            fenced = isinstance(error, ProducerFenced)
            task = asyncio.ensure_future(self.recover(partition, fenced=fenced))
            self.recovering[partition] = task
            task.add_done_callback(lambda _: self.recovering.pop(partition, None))

    async def recover(self, partition: int, *, fenced: bool = False) -> None:
        """New producer (fences and aborts what was open), seek to the committed offset, resume.

        After being fenced, wait a session timeout first: a rebalance is probably moving the
        partition away, and initialising again would fence its new owner.
        """
        attempt = 0
        delay = self.settings.session_timeout if fenced else RETRY_DELAYS[0]
        while partition in self.writers and not self.stopping.is_set():
            await asyncio.sleep(delay)
            if partition not in self.writers:
                return
            try:
                await self.seek_committed(partition, restart_writer=True)
            except Exception as exc:  # noqa: BLE001 - the broker is away: try again later
                attempt += 1
                delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
                logger.warning(
                    "partition %d not recovered yet (%s: %s)", partition, type(exc).__name__, exc
                )
                continue
            assert self.consumer is not None
            self.consumer.resume(self.tp(partition))
            return

    async def seek_committed(
        self, partition: int, *, restart_writer: bool, restore: bool = True
    ) -> int | None:
        """Seek the partition to its committed offset (after restarting its writer, whose
        initialisation settles any transaction left open, and reading its story state back
        unless ``restore`` is false); returns the offset."""
        assert self.consumer is not None
        writer = self.writers.get(partition)
        if writer is None:
            return None
        if restart_writer:
            await writer.reset()
        await writer.start()
        if restore:
            await self.restore_stories([partition])
        tp = self.tp(partition)
        committed: int | None = await self.consumer.committed(tp)
        if committed is None:
            await self.consumer.seek_to_beginning(tp)
        else:
            self.consumer.seek(tp, committed)
        self.progress.committed(partition, committed or 0, self.clock(), succeeded=False)
        return committed

    async def restart(self, error: BaseException) -> None:
        """A failure outside one message: reset every partition, go on after a pause."""
        self.metrics.restarts.inc()
        self.progress.set_state(LoopState.RESTARTING, self.clock(), error)
        logger.exception("the processing loop failed; resetting every partition", exc_info=error)
        if self.delivering is not None:
            # No delivery may outlive the reset: it could commit after the partition was sought
            # back to the committed offset, and its messages would be committed twice.
            task, self.delivering = self.delivering, None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        for partition in list(self.writers):
            self.reset(partition, error)
        await asyncio.sleep(RETRY_DELAYS[-1])
        self.progress.set_state(LoopState.RUNNING, self.clock())

    # -- rebalances ----------------------------------------------------------------------------------
    async def on_revoked(self, revoked: Sequence[TopicPartition]) -> None:
        """Let the transaction in flight finish (bounded), then give the partitions up."""
        self.progress.rebalance_started(self.clock())
        partitions = [tp.partition for tp in revoked if tp.topic == self.raw_topic]
        for partition in partitions:
            self.generation[partition] += 1
        if self.delivering is not None:
            await asyncio.wait({self.delivering}, timeout=self.settings.shutdown_timeout / 2)
        await self.release(partitions)

    async def release(self, partitions: Sequence[int]) -> None:
        writers = [self.writers.pop(p) for p in partitions if p in self.writers]
        for partition in partitions:
            if self.processor.stories is not None:
                self.processor.stories.forget(partition)
            task = self.recovering.pop(partition, None)
            if task is not None:
                task.cancel()
            for gauge in (self.metrics.lag, self.metrics.stalled):
                with contextlib.suppress(KeyError):  # never set for this partition
                    gauge.remove(self.raw_topic, str(partition))
        await asyncio.gather(*(w.stop() for w in writers))

    async def on_assigned(self, assigned: Sequence[TopicPartition]) -> None:
        """New producers (fencing the previous owners and settling their last transactions),
        fingerprints read back, positions set to the committed offsets.

        The partitions stay paused until then: a batch fetched meanwhile (from the position
        aiokafka takes by itself) would be committed and then fetched again after the seek.
        """
        assert self.consumer is not None
        partitions = sorted(tp.partition for tp in assigned if tp.topic == self.raw_topic)
        self.consumer.pause(*(self.tp(p) for p in partitions))
        self.assigning.update(partitions)
        for partition in partitions:
            self.generation[partition] += 1
            self.writers.setdefault(partition, self.writer(partition))
        committed: dict[int, int | None] = {}
        try:
            results = await asyncio.gather(
                *(self.writers[p].start() for p in partitions), return_exceptions=True
            )
            await self.restore_fingerprints(partitions)
            started = [p for p, r in zip(partitions, results, strict=True) if r is None]
            story_error: BaseException | None = None
            try:
                await self.restore_stories(started)
            except Exception as exc:  # noqa: BLE001 - those partitions are recovered below
                story_error = exc
            for partition, result in zip(partitions, results, strict=True):
                try:
                    if isinstance(result, BaseException):
                        raise result
                    if story_error is not None:
                        raise story_error
                    committed[partition] = await self.seek_committed(
                        partition, restart_writer=False, restore=False
                    )
                except Exception as exc:  # noqa: BLE001 - recovered in the background
                    committed[partition] = None
                    self.reset(partition, exc)
        finally:
            self.assigning.difference_update(partitions)
        for partition in partitions:
            if partition not in self.recovering:
                self.generation[partition] += 1
                self.consumer.resume(self.tp(partition))
        self.progress.assigned(committed, self.clock())
        logger.info(
            "partitions assigned",
            extra={
                "partitions": partitions,
                "committed": {str(p): o for p, o in committed.items()},
            },
        )

    async def restore_fingerprints(self, partitions: Sequence[int]) -> None:
        """Near-duplicate state read back, best effort (:func:`.fingerprints.restore_bounded`)."""
        if self.processor.dedup is not None:
            topic = EXTRACTOR_FINGERPRINTS.name(self.kafka)
            timeout = self.settings.restore_timeout
            await restore_bounded(
                self.make_state_reader, topic, partitions, self.processor.dedup, timeout=timeout
            )

    async def restore_stories(self, partitions: Sequence[int]) -> None:
        """Story state read back, exactly (:func:`.stories.restore_into`): raises when it cannot
        within the restore timeout; the partitions are then reset and tried again."""
        if self.processor.stories is not None:
            topic = EXTRACTOR_STORIES.name(self.kafka)
            timeout = self.settings.restore_timeout
            await restore_into(
                self.processor.stories, self.make_state_reader, topic, partitions, timeout=timeout
            )

    # -- stopping ----------------------------------------------------------------------------------------
    def stop(self) -> None:
        self.stopping.set()

    async def shutdown(self) -> None:
        """Finish the batch in flight within ``shutdown_timeout`` or abandon it, then leave the
        group (its partitions move to the other workers at once)."""
        self.progress.set_state(LoopState.STOPPING, self.clock())
        deadline = self.clock() + self.settings.shutdown_timeout
        if self.delivering is not None:
            done, _ = await asyncio.wait(
                {self.delivering}, timeout=self.settings.shutdown_timeout * 0.6
            )
            if not done:
                self.delivering.cancel()
                left = {str(p): s.committed for p, s in self.progress.partitions.items()}
                logger.warning(
                    "shutdown: the batch in flight did not finish in time and was abandoned; "
                    "the next owner processes it again from the committed offsets",
                    extra={"committed": left},
                )
        for task in list(self.recovering.values()):
            task.cancel()
        left_time = max(1.0, deadline - self.clock())
        try:
            await asyncio.wait_for(self.release(list(self.writers)), left_time / 2)
            if self.consumer is not None:  # leave at once, even while a rebalance is held
                await asyncio.wait_for(
                    stop_consumer(self.consumer), max(1.0, deadline - self.clock())
                )
        except (TimeoutError, KafkaError, OSError) as exc:
            logger.warning("shutdown did not finish cleanly (%s: %s)", type(exc).__name__, exc)
        self.executor.shutdown(wait=False, cancel_futures=True)
        logger.info(
            "stopped",
            extra={"committed": {str(p): s.committed for p, s in self.progress.partitions.items()}},
        )


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    """Hands aiokafka's rebalance callbacks to the loop; never raises into aiokafka."""

    def __init__(self, loop: ExtractorLoop) -> None:
        self.loop = loop

    async def on_partitions_revoked(self, revoked: Sequence[TopicPartition]) -> None:
        try:
            await self.loop.on_revoked(revoked)
        except Exception:
            logger.exception("handling revoked partitions failed")

    async def on_partitions_assigned(self, assigned: Sequence[TopicPartition]) -> None:
        try:
            await self.loop.on_assigned(assigned)
        except Exception:
            logger.exception("handling assigned partitions failed")
