"""The live view's Kafka edge: read every record topic from ``backlog`` back, then follow it.

The consumer assigns itself every partition of the record topics (no group membership, so each
replica of the service sees everything) and never commits: the service is read-only, and on each
start it seeks every partition to ``end - backlog`` so the first page is not empty. It reads
``read_committed`` (:mod:`wirestream.streaming.isolation`): records of aborted extractor
transactions never reach a page. aiokafka reconnects to a restarted broker by itself and goes on
from its positions.

A second loop reads the stream strip's numbers every ``stats_interval`` seconds: end offsets of
the raw topic and the extractor group's committed offsets (its lag per partition), and the number
of messages in the raw dead-letter topic.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from wirestream.core import jsonio
from wirestream.streaming.isolation import ISOLATION_LEVEL
from wirestream.streaming.leave import stop_consumer
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import MAX_REQUEST_BYTES
from wirestream.web.feed import Item
from wirestream.web.hub import Hub
from wirestream.web.metrics import WebMetrics
from wirestream.web.settings import WebSettings
from wirestream.web.stats import RateMeter, dead_letters, partition_lag
from wirestream.web.store import LiveStore
from wirestream.web.topics import BACKLOG_FACTOR, DEAD_LETTER_TOPIC, LAG_TOPIC, topic_kinds

logger = logging.getLogger(__name__)

POLL_MS = 250
TOPIC_WAIT = 2.0
"""Seconds between two looks for record topics that do not exist yet."""


class LiveConsumer:
    """Feeds the store and the pages from the record topics; reads the stream strip's numbers."""

    def __init__(
        self,
        kafka: KafkaSettings,
        settings: WebSettings,
        store: LiveStore,
        hub: Hub,
        metrics: WebMetrics,
    ) -> None:
        self.kafka = kafka
        self.settings = settings
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.kinds = topic_kinds(kafka)
        self.rates = RateMeter()
        self.consumer: AIOKafkaConsumer | None = None
        self.caught_up = False
        self._start_end: dict[TopicPartition, int] = {}
        self.partitions: dict[str, list[int]] = {}
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Consume until :meth:`stop`."""
        self.consumer = AIOKafkaConsumer(
            **self.kafka.client_options(),
            group_id=self.kafka.topic_prefix + self.settings.group_id,
            enable_auto_commit=False,
            auto_offset_reset="latest",
            isolation_level=ISOLATION_LEVEL,
            max_partition_fetch_bytes=MAX_REQUEST_BYTES,
            fetch_max_bytes=MAX_REQUEST_BYTES,
        )
        await self.consumer.start()
        stats: asyncio.Future[None] | None = None
        try:
            partitions = await self._partitions()
            if partitions is None:
                return
            stats = asyncio.ensure_future(self._stats_loop())
            await self._seek_back(partitions)
            while not self._stopping.is_set():
                batches = await self.consumer.getmany(timeout_ms=POLL_MS)
                items = self._take(batches)
                self.hub.publish(items)
                if not self.caught_up:
                    self.caught_up = await self._at_start_end()
        finally:
            if stats is not None:
                stats.cancel()
                await asyncio.gather(stats, return_exceptions=True)
            await stop_consumer(self.consumer)
            self.consumer = None

    def _take(self, batches: dict[TopicPartition, list[Any]]) -> list[Item]:
        items: list[Item] = []
        for tp, messages in batches.items():
            kind = self.kinds[tp.topic]
            for message in messages:
                try:
                    record = None if message.value is None else jsonio.loads(message.value)
                except ValueError:
                    record = None  # counted as skipped below; a tombstone (None) too
                if not isinstance(record, dict):
                    self.metrics.skipped.inc()
                    continue
                self.metrics.records.labels(kind).inc()
                self.rates.add(kind)
                item = self.store.add(kind, record, int(message.timestamp))
                if item is not None:
                    items.append(item)
        return items

    async def _partitions(self) -> list[TopicPartition] | None:
        """Every partition of the record topics, once they all exist (None when stopped).

        Also notes the partitions of the raw and dead-letter topics for the stream strip."""
        names = [
            *sorted(self.kinds),
            LAG_TOPIC.name(self.kafka),
            DEAD_LETTER_TOPIC.name(self.kafka),
        ]
        while not self._stopping.is_set():
            admin = AIOKafkaAdminClient(**self.kafka.client_options())
            try:
                await admin.start()
                described = await admin.describe_topics(names)
            except (KafkaError, OSError) as exc:
                described = []
                logger.warning("cannot describe the topics yet", extra={"error": repr(exc)})
            finally:
                await admin.close()
            self.partitions = {
                t["topic"]: sorted(p["partition"] for p in t.get("partitions", []))
                for t in described
                if t.get("error_code") == 0 and t.get("partitions")
            }
            missing = [t for t in names if t not in self.partitions]
            if not missing:
                return [
                    TopicPartition(t, p) for t in sorted(self.kinds) for p in self.partitions[t]
                ]
            logger.warning("waiting for the topics to exist", extra={"missing": missing})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), TOPIC_WAIT)
        return None

    async def _seek_back(self, partitions: list[TopicPartition]) -> None:
        """Assign ``partitions``; each topic's last ``backlog`` records are read first."""
        assert self.consumer is not None
        self.consumer.assign(partitions)
        begin = await self.consumer.beginning_offsets(partitions)
        end = await self.consumer.end_offsets(partitions)
        self._start_end = dict(end)
        for tp in partitions:
            depth = self.settings.backlog * BACKLOG_FACTOR.get(self.kinds[tp.topic], 1)
            self.consumer.seek(tp, max(begin[tp], end[tp] - depth))
        logger.info(
            "reading the record topics",
            extra={"partitions": len(partitions), "backlog": self.settings.backlog},
        )

    async def _at_start_end(self) -> bool:
        """True once every partition's position reached its end offset of the start."""
        assert self.consumer is not None
        for tp, end in self._start_end.items():
            if await self.consumer.position(tp) < end:
                return False
        return True

    async def _stats_loop(self) -> None:
        admin: AIOKafkaAdminClient | None = None
        try:
            while not self._stopping.is_set():
                try:
                    if admin is None:
                        admin = AIOKafkaAdminClient(**self.kafka.client_options())
                        await admin.start()
                    self.hub.publish_stats(await self._stats(admin))
                except (KafkaError, OSError) as exc:
                    logger.warning(
                        "cannot read the stream strip's numbers", extra={"error": repr(exc)}
                    )
                    if admin is not None:
                        await admin.close()
                        admin = None
                    self.hub.publish_stats(self._rates_only(str(exc)))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.settings.stats_interval)
        finally:
            if admin is not None:
                await admin.close()

    def _rates_only(self, error: str | None = None) -> dict[str, Any]:
        return {"time": int(time.time() * 1000), "rates": self.rates.rates(), "error": error}

    async def _stats(self, admin: AIOKafkaAdminClient) -> dict[str, Any]:
        assert self.consumer is not None
        raw = LAG_TOPIC.name(self.kafka)
        dlq = DEAD_LETTER_TOPIC.name(self.kafka)
        raw_parts = [TopicPartition(raw, p) for p in self.partitions.get(raw, [])]
        dlq_parts = [TopicPartition(dlq, p) for p in self.partitions.get(dlq, [])]
        end = await self.consumer.end_offsets(raw_parts + dlq_parts)
        dlq_begin = await self.consumer.beginning_offsets(dlq_parts)
        group = self.kafka.topic_prefix + self.settings.extractor_group
        offsets = await admin.list_consumer_group_offsets(group, partitions=raw_parts)
        committed = {
            tp.partition: (meta.offset if meta.offset >= 0 else None)
            for tp, meta in offsets.items()
        }
        stats = self._rates_only()
        stats.update(
            {
                "group": group,
                "lag": partition_lag({tp.partition: end[tp] for tp in raw_parts}, committed),
                "dead_letters": dead_letters(
                    {tp.partition: dlq_begin[tp] for tp in dlq_parts},
                    {tp.partition: end[tp] for tp in dlq_parts},
                ),
                "pages": len(self.hub.pages),
            }
        )
        return stats

    def ready(self) -> bool:
        """True once the partitions are assigned and the backlog is read."""
        return self.consumer is not None and bool(self.consumer.assignment()) and self.caught_up

    def stop(self) -> None:
        self._stopping.set()
