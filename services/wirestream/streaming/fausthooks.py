"""Every faust private hook Wirestream overrides, in one module, and the check that they still
exist in the installed faust-streaming and aiokafka.

faust has no setting for two things every Wirestream faust app (archiver, alerter) needs:

- an **idempotent producer** outside transactions: :class:`IdempotentProducer` overrides the
  private ``Producer._settings_extra`` of faust's aiokafka driver (``acks=all``,
  ``enable_idempotence=True``); :class:`WirestreamApp` overrides ``faust.App._new_producer`` to
  use it;
- a **read_committed consumer**: the extractor publishes in Kafka transactions, and faust reads
  ``read_committed`` only under ``processing_guarantee="exactly_once"``, which would also turn on
  faust's transactional producers. :class:`ReadCommittedConsumerThread` overrides the private
  ``AIOKafkaConsumerThread._create_worker_consumer`` and sets aiokafka's ``_isolation_level``
  before the consumer starts; :class:`ReadCommittedConsumer` overrides
  ``Consumer._new_consumer_thread``; :class:`WirestreamApp` overrides ``faust.App._new_consumer``;
- **no skipped messages on a partition the group never committed**: after a rebalance or table
  recovery faust drops the records it fetched for partitions that were not yet active, and relies on
  "seek to committed" to fetch them again, but aiokafka's ``seek_to_committed`` does not seek a
  partition whose committed offset is missing or 0, so the fetch position stays past the dropped
  records and they are never processed (seen after a worker SIGKILL, issue 16; faust-streaming
  issue 216 is the same class). :class:`ReadCommittedConsumerThread` overrides the private
  ``AIOKafkaConsumerThread.seek_to_committed`` to seek such partitions too
  (:func:`seek_uncommitted`);
- **a graceful stop that leaves the group during a rebalance**: aiokafka's consumer stop waits
  for a JoinGroup the broker holds until a dead member's session expires;
  :class:`ReadCommittedConsumerThread` overrides ``AIOKafkaConsumerThread.on_thread_stop`` to
  leave first (:func:`wirestream.streaming.leave.leave_group`).

:func:`check_faust_hooks` raises :class:`~wirestream.errors.ConfigurationError` naming the hook
when an upgrade removed one (every app build calls it, and a test does); the versions they were
written against are pinned in pyproject.toml (faust-streaming 0.15.3, aiokafka 0.14.0).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import aiokafka
import faust
from aiokafka.consumer.group_coordinator import GroupCoordinator
from aiokafka.errors import KafkaError
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.transport.drivers.aiokafka import Consumer as _FaustAIOKafkaConsumer
from faust.transport.drivers.aiokafka import Producer as _FaustAIOKafkaProducer
from mode import Service

from wirestream.errors import ConfigurationError
from wirestream.streaming.isolation import ISOLATION_LEVEL
from wirestream.streaming.leave import COORDINATOR_HOOKS, leave_group
from wirestream.streaming.stalls import STALL_CHECK_SECONDS, StallWatch

logger = logging.getLogger(__name__)

_AIOKAFKA_ATTRIBUTE = "_isolation_level"
HOOKS: tuple[tuple[type[Any], str], ...] = (
    (_FaustAIOKafkaProducer, "_settings_extra"),
    (faust.App, "_new_producer"),
    (faust.App, "_new_consumer"),
    (_FaustAIOKafkaConsumer, "_new_consumer_thread"),
    (AIOKafkaConsumerThread, "_create_worker_consumer"),
    (AIOKafkaConsumerThread, "seek_to_committed"),
    (_FaustAIOKafkaConsumer, "_wait_next_records"),
    (_FaustAIOKafkaConsumer, "getmany"),
    (_FaustAIOKafkaConsumer, "_add_gap"),
    (_FaustAIOKafkaConsumer, "_new_offset"),
    (AIOKafkaConsumerThread, "on_thread_stop"),
    *((GroupCoordinator, name) for name in COORDINATOR_HOOKS),
)
"""(class, method) of every private faust method overridden here."""


def _incompatible(what: str) -> ConfigurationError:
    return ConfigurationError(
        f"{what}: wirestream.streaming.fausthooks overrides it to make faust's producer "
        "idempotent and its consumer read committed messages only, and the installed "
        "faust-streaming/aiokafka no longer have it. Pin the versions in pyproject.toml, or "
        "adapt fausthooks.py to the new faust driver."
    )


def check_faust_hooks() -> None:
    """Raise :class:`ConfigurationError` unless every hook in :data:`HOOKS` still exists and
    aiokafka's ``AIOKafkaConsumer`` still sets ``_isolation_level`` (read when the consumer
    starts its fetcher)."""
    for owner, name in HOOKS:
        # faust's own definition, not ours: look past Wirestream's subclasses
        if not callable(getattr(owner, name, None)):
            raise _incompatible(f"{owner.__module__}.{owner.__qualname__}.{name}() is gone")
    init_names = aiokafka.AIOKafkaConsumer.__init__.__code__.co_names
    if _AIOKAFKA_ATTRIBUTE not in init_names:
        raise _incompatible(f"aiokafka's AIOKafkaConsumer no longer sets {_AIOKAFKA_ATTRIBUTE}")


class IdempotentProducer(_FaustAIOKafkaProducer):
    """faust's aiokafka producer with idempotence on (faust only sets it inside transactions)."""

    def _settings_extra(self) -> Any:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class ReadCommittedConsumerThread(AIOKafkaConsumerThread):
    """faust's consumer thread whose aiokafka consumer reads committed messages only."""

    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        if _AIOKAFKA_ATTRIBUTE not in vars(consumer):
            raise _incompatible(f"aiokafka's AIOKafkaConsumer has no {_AIOKAFKA_ATTRIBUTE}")
        setattr(consumer, _AIOKAFKA_ATTRIBUTE, ISOLATION_LEVEL)
        return consumer

    async def seek_to_reset(self, partitions: list[Any], reset: str) -> None:
        """Seek ``partitions`` where the reset policy ``reset`` says (:func:`seek_uncommitted`)."""

        async def seek() -> None:
            await seek_uncommitted(self._ensure_consumer(), dict.fromkeys(partitions), (), reset)

        await self.call_thread(seek)

    async def on_thread_stop(self) -> None:
        """Leave the group first (:func:`~wirestream.streaming.leave.leave_group`: without
        waiting for a rebalance the broker holds), then faust's stop."""
        if self._consumer is not None:
            await leave_group(self._consumer)
        await super().on_thread_stop()

    async def seek_to_committed(self) -> Mapping[Any, int]:
        """faust's seek to the committed offsets, then :func:`seek_uncommitted` for the
        partitions that have none (so records dropped during a rebalance are fetched again)."""
        committed = await super().seek_to_committed()
        app = self.consumer.app
        await self.call_thread(
            seek_uncommitted,
            self._ensure_consumer(),
            committed,
            app.tables.changelog_topics,
            app.conf.consumer_auto_offset_reset,
        )
        return committed


async def seek_uncommitted(
    consumer: aiokafka.AIOKafkaConsumer,
    committed: Mapping[Any, int | None],
    skip_topics: Iterable[str] = (),
    reset: str = "earliest",
) -> list[Any]:
    """Seek every partition in ``committed`` whose committed offset is missing or 0 — the ones
    aiokafka's ``seek_to_committed`` leaves where they are — and return them.

    A committed 0 seeks to offset 0; a missing one seeks to the beginning, or to the end when
    ``reset`` (faust's ``consumer_auto_offset_reset``, default ``"earliest"``) is ``"latest"``.
    Partitions of ``skip_topics`` (table changelogs, which faust's recovery seeks itself) are left
    alone."""
    skip = set(skip_topics)
    mine = {tp: offset for tp, offset in committed.items() if tp.topic not in skip}
    zero = [tp for tp, offset in mine.items() if offset == 0]
    missing = [tp for tp, offset in mine.items() if offset is None or offset < 0]
    for tp in zero:
        consumer.seek(tp, 0)
    if missing:
        seek_to = consumer.seek_to_end if reset == "latest" else consumer.seek_to_beginning
        await seek_to(*missing)
    if zero or missing:
        logger.info(
            "sought %d partitions without a committed offset (%s)",
            len(zero) + len(missing),
            ", ".join(sorted(f"{tp.topic}[{tp.partition}]" for tp in [*zero, *missing])),
        )
    return [*zero, *missing]


def undelivered(batch: Mapping[Any, Sequence[Any]], handed: Mapping[Any, int]) -> list[Any]:
    """The partitions of a fetched ``batch`` (partition -> records with ``.offset``) with a record
    after the last one ``handed`` on to the streams (partition -> offset; absent: none)."""
    return sorted(
        (
            tp
            for tp, records in batch.items()
            if records and records[-1].offset > handed.get(tp, -1)
        ),
        key=lambda tp: (tp.topic, tp.partition),
    )


class ReadCommittedConsumer(_FaustAIOKafkaConsumer):
    """faust's aiokafka consumer, reading committed messages only, and fetching again what faust
    drops from a fetched batch.

    faust's ``getmany`` stops handing on a fetched batch when the flow stops or the generation
    changes (a rebalance begins), skips the records of partitions that are not active, and a
    record whose hand-over is interrupted by a suspended flow counts as read; aiokafka's
    position is already past them all. faust counts on a later seek to the committed offsets to
    fetch them again, and when none comes (the partition stays assigned) its gap check later
    counts the skipped offsets as done and commits past them: messages lost without a trace
    (issue 16). Here every record handed on is noted (:meth:`_handed_on`), and after each batch the
    partitions with a record not handed on are sought to their committed offset (where the
    reset policy says when none): the records come again, at least once. And a gap faust would
    count as done is verified first by fetching it again (:meth:`_add_gap`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deliver = self.callback
        self.callback = self._handed_on
        self._batch: Mapping[Any, Sequence[Any]] = {}
        self._handed: dict[Any, int] = {}
        self._verifying: dict[Any, int] = {}
        self._refetch: dict[Any, int] = {}
        self._last_handed: dict[Any, int] = {}
        self._handed_offsets: dict[Any, set[int]] = {}
        self._stalls = StallWatch()
        self.contiguous_topics: set[str] = set()
        """Topics no transactional producer writes (their offsets have no gaps): every gap in
        them is verified, not only gaps of more than one offset (a transaction's marker)."""

    def _new_consumer_thread(self) -> AIOKafkaConsumerThread:
        return ReadCommittedConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def _handed_on(self, message: Any) -> None:
        await self._deliver(message)
        self._handed[message.tp] = message.offset
        self._last_handed[message.tp] = message.offset
        if self.app.topics.acks_enabled_for(message.topic):  # not changelogs (never committed)
            self._handed_offsets.setdefault(message.tp, set()).add(message.offset)

    async def _wait_next_records(self, timeout: float) -> Any:
        records, active = await super()._wait_next_records(timeout)
        self._batch = records or {}
        return records, active

    async def getmany(self, timeout: float) -> Any:
        """faust's batch, then the partitions it did not hand on whole fetched again, and those
        with a gap to verify sought back (:meth:`_add_gap`)."""
        self._batch, self._handed = {}, {}
        async for tp, message in super().getmany(timeout):
            yield tp, message
        assigned = self.assignment()
        changelogs = self.app.tables.changelog_topics  # faust's recovery seeks those itself
        dropped = [
            tp
            for tp in undelivered(self._batch, self._handed)
            if tp in assigned and tp.topic not in changelogs
        ]
        if dropped:
            await self._fetch_again(dropped)
        refetch, self._refetch = self._refetch, {}
        for tp, offset in sorted(refetch.items(), key=lambda item: str(item[0])):
            if tp in assigned:
                await self.seek(tp, offset)

    async def _add_gap(self, tp: Any, offset_from: int, offset_to: int) -> None:
        """faust counts the offsets between the last record handed on and the next one as done
        (a transaction's marker, compaction), and so commits past them; when records were
        fetched and lost on the way they are lost for good. A gap of more than one offset (or
        any gap in :attr:`contiguous_topics`) is verified first: the partition is sought back to
        the last record handed on after this batch (it comes again), and only a gap that ends at
        the same offset again is counted as done."""
        missing = offset_to - offset_from
        suspect = missing > 1 or tp.topic in self.contiguous_topics
        if tp.topic in self.app.tables.changelog_topics:
            suspect = False  # faust's recovery reads and seeks the changelogs itself
        if suspect and self._verifying.get(tp) != offset_to:
            self._verifying[tp] = offset_to
            self._refetch[tp] = min(offset_from - 1, self._refetch.get(tp, offset_from - 1))
            logger.warning(
                "offsets %d-%d of %s[%d] were not handed on: fetching from %d again",
                offset_from,
                offset_to - 1,
                tp.topic,
                tp.partition,
                offset_from - 1,
            )
            return
        await super()._add_gap(tp, offset_from, offset_to)

    @Service.timer(STALL_CHECK_SECONDS)
    async def _stall_timer(self) -> None:
        await self.check_stalls()

    async def check_stalls(self) -> None:
        """Fetch again the partitions a stream dropped records of (:mod:`.stalls`; every
        :data:`~wirestream.streaming.stalls.STALL_CHECK_SECONDS`)."""
        if self.app.rebalancing or self.app.in_recovery or not self.flow_active:
            self._stalls.reset()
            return
        assigned = self.assignment()
        for gone in [tp for tp in self._handed_offsets if tp not in assigned]:
            self._last_handed.pop(gone, None)
            self._handed_offsets.pop(gone, None)
        # the newest record handed on that is neither acked nor committed: acked records whose
        # commit fails (a broker outage) are not a stall
        waiting = {}
        for tp, offsets in self._handed_offsets.items():
            done, acked = self._committed_offset.get(tp), self._acked_index.get(tp, ())
            if done is None:  # a refetch would reset it: faust's livelock check asserts on that
                continue
            left = [o for o in offsets if o >= done and o not in acked]
            if left:
                waiting[tp] = max(left)
        # faust keeps a message it acked as a duplicate (offset already acked or committed) in
        # its unacked set until it is garbage: only messages not acked yet are being processed
        busy = {m.tp for m in list(self._unacked_messages) if not m.acked}
        if busy:  # an agent is at work (e.g. waiting for the broker): what it holds is queued
            self._stalls.reset()
            return
        stalled = self._stalls.stalled(waiting, self._committed_offset, busy)
        if not stalled:
            return
        try:
            await self._fetch_again(
                stalled,
                "records handed to a stream were not processed (an event of an older "
                "generation, or read while the flow was suspended, is skipped by faust)",
            )
        except KafkaError as exc:  # the broker away: the next check tries again
            self._stalls.reset()
            logger.warning("could not fetch stalled partitions again yet: %s", exc)

    def _new_offset(self, tp: Any) -> int | None:
        """faust's offset to commit for ``tp``, except past a record a stream was handed at the
        committed offset and never acked (:func:`holds_head`)."""
        committed = self._committed_offset[tp]
        handed = self._handed_offsets.get(tp)
        if handed and committed is not None:
            handed.difference_update([o for o in handed if o < committed])
            if holds_head(committed, self._acked[tp], handed, self._gap[tp].at(committed)):
                return None
        return super()._new_offset(tp)

    async def _fetch_again(
        self,
        partitions: list[Any],
        why: str = "fetched records were not handed on (a rebalance or a paused partition)",
    ) -> None:
        committed = {tp: self._committed_offset.get(tp) for tp in partitions}
        logger.warning(
            "%s: fetching again from the committed offsets %s",
            why,
            ", ".join(f"{tp.topic}[{tp.partition}]={committed[tp]}" for tp in partitions),
        )
        for tp in partitions:
            self._last_handed.pop(tp, None)
            self._handed_offsets.pop(tp, None)
        for tp, offset in committed.items():
            if offset:
                await self.seek(tp, offset)
            else:
                self._read_offset[tp] = None
        fresh = [tp for tp, offset in committed.items() if not offset]
        if fresh:
            thread = self._thread
            assert isinstance(thread, ReadCommittedConsumerThread)
            await thread.seek_to_reset(fresh, self.app.conf.consumer_auto_offset_reset)


def holds_head(committed: int, acked: Sequence[int], handed: set[int], gap: Any) -> bool:
    """True when nothing may be committed: the record at ``committed`` (faust's committed
    offset, the next one to read) was handed to a stream (in ``handed``), is not ``acked``, and
    no verified ``gap`` covers it.

    faust's own check treats a head gap of one offset as done (``min(acked) - committed > 1``:
    a transaction's marker), so a record a stream skipped (an event of an older generation:
    :mod:`wirestream.streaming.stalls`) right at the committed offset after a rebalance was
    committed past with the records after it and lost (the incident campaign's runs 3 and 5,
    issue 16). A marker is never handed on, so a handed record is never one."""
    return bool(acked) and committed in handed and committed not in acked and not gap


def mark_contiguous(app: Any, *topics: str) -> None:
    """Tell ``app``'s consumer that no transactional producer writes ``topics`` (topics a faust
    app itself produces): every gap in their offsets is then verified
    (:meth:`ReadCommittedConsumer._add_gap`)."""
    consumer = app.consumer
    if isinstance(consumer, ReadCommittedConsumer):
        consumer.contiguous_topics.update(topics)


def read_committed_consumer(app: Any) -> ReadCommittedConsumer:
    """What a faust App's ``_new_consumer`` returns: faust's own consumer, read committed.

    Same arguments as ``faust.App._new_consumer`` passes to ``transport.create_consumer``.
    """
    return ReadCommittedConsumer(
        app.transport,
        callback=app.topics.on_message,
        on_partitions_revoked=app._on_partitions_revoked,
        on_partitions_assigned=app._on_partitions_assigned,
        beacon=app.beacon,
        loop=app.transport.loop,
    )


class WirestreamApp(faust.App):
    """A faust App whose producer is idempotent and whose consumer reads committed records only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        check_faust_hooks()
        super().__init__(*args, **kwargs)

    def _new_producer(self) -> Any:
        return IdempotentProducer(self.transport, loop=self.loop, beacon=self.beacon)

    def _new_consumer(self) -> Any:
        return read_committed_consumer(self)
