"""Publish raw articles and watch what the extractor makes of them: for integration tests,
``wirestream bench --kafka`` and the demo.

- :func:`publish` — send ``(key, value)`` messages to the raw topic; returns each key's send time.
- :class:`RecordCollector` — reads the record and dead-letter topics from the beginning (no
  consumer group) and knows when an article is *complete*: its article record arrived with every
  entity, quote and event record its counts announce, or a dead letter carries its key. Arrival
  times are kept per article, so latency = completion time - publish time.
- :func:`collect_complete` — a collector read until the given articles are complete.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.errors import EnvironmentNotReadyError
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    ENTITIES,
    EVENTS,
    QUOTES,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
)

RECORD_KINDS = {"entities": "entity", "quotes": "quote", "events": "event"}


async def publish(
    kafka: KafkaSettings,
    messages: Iterable[tuple[bytes | None, bytes]],
    *,
    rate: float | None = None,
    topic: str | None = None,
) -> dict[bytes, float]:
    """Send messages to the raw topic (at most ``rate`` per second); returns key → send time
    (``time.time()``) of the keyed ones."""
    from aiokafka import AIOKafkaProducer

    from wirestream.streaming.topics import MAX_REQUEST_BYTES

    producer = AIOKafkaProducer(
        **kafka.client_options(),
        acks="all",
        enable_idempotence=True,
        max_request_size=MAX_REQUEST_BYTES,
    )
    await producer.start()
    sent: dict[bytes, float] = {}
    pending = []
    name = topic or RAW_ARTICLES.name(kafka)
    started = time.monotonic()
    try:
        for index, (key, value) in enumerate(messages):
            if rate:
                delay = started + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            if key is not None:
                sent[key] = time.time()
            pending.append(await producer.send(name, value=value, key=key))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


@dataclass
class ArticleProgress:
    article: dict[str, Any] | None = None
    records: dict[str, dict[str, bytes]] = field(
        default_factory=lambda: {"entity": {}, "quote": {}, "event": {}}
    )
    dead_letters: list[dict[str, Any]] = field(default_factory=list)
    completed_at: float | None = None

    def complete(self) -> bool:
        if self.dead_letters:
            return True
        if self.article is None:
            return False
        counts = self.article["counts"]
        return bool(
            len(self.records["entity"]) >= counts["entities"]
            and len(self.records["quote"]) >= counts["quotes"]
            and len(self.records["event"]) >= counts["events"]
        )


COLLECTOR_FETCH_MIN_BYTES = 256 * 1024
COLLECTOR_FETCH_MAX_WAIT_MS = 50


class RecordCollector:
    """Everything the extractor published for one topic prefix, as it arrives.

    ``raw_values[topic_key]`` keeps every message value in arrival order (duplicates included);
    ``by_id`` the bytes seen per record id (a set: more than one means two different versions).
    """

    TOPICS = (ARTICLES, ENTITIES, QUOTES, EVENTS, RAW_DEAD_LETTERS)

    def __init__(self, kafka: KafkaSettings) -> None:
        self.kafka = kafka
        self.articles: dict[str, ArticleProgress] = {}
        self.raw_values: dict[str, list[bytes]] = {t.key: [] for t in self.TOPICS}
        self.by_id: dict[str, set[bytes]] = {}
        self._consumer: Any = None
        self._names = {t.name(kafka): t.key for t in self.TOPICS}

    async def start(self) -> None:
        from aiokafka import AIOKafkaConsumer, TopicPartition

        from wirestream.streaming.isolation import ISOLATION_LEVEL
        from wirestream.streaming.topics import MAX_REQUEST_BYTES

        self._consumer = AIOKafkaConsumer(
            **self.kafka.client_options(),
            group_id=None,
            enable_auto_commit=False,
            # What a downstream consumer sees: records of aborted transactions never count.
            isolation_level=ISOLATION_LEVEL,
            max_partition_fetch_bytes=MAX_REQUEST_BYTES,
            # Few, full fetches: the collector shares the machine with the workers it measures.
            # Adds at most 50 ms to a measured latency.
            fetch_min_bytes=COLLECTOR_FETCH_MIN_BYTES,
            fetch_max_wait_ms=COLLECTOR_FETCH_MAX_WAIT_MS,
        )
        await self._consumer.start()
        tps: list[Any] = []
        for spec in self.TOPICS:
            name = spec.name(self.kafka)
            for _ in range(60):
                partitions = self._consumer.partitions_for_topic(name)
                if partitions:
                    break
                await self._consumer._client.force_metadata_update()
                await asyncio.sleep(0.5)
            else:
                raise EnvironmentNotReadyError(f"topic {name} does not exist")
            tps.extend(TopicPartition(name, p) for p in partitions)
        self._consumer.assign(tps)
        await self._consumer.seek_to_beginning(*tps)

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()

    def _progress(self, article_id: str) -> ArticleProgress:
        return self.articles.setdefault(article_id, ArticleProgress())

    def _add(self, key: str, value: bytes, now: float) -> None:
        if not value:
            return  # a tombstone (a retracted article): the retractions topic says why
        self.raw_values[key].append(value)
        data = jsonio.loads(value)
        if key == RAW_DEAD_LETTERS.key:
            source_key = data["source"].get("key_b64")
            article_id = (
                base64.b64decode(source_key).decode("utf-8", "replace")
                if source_key
                else f"@{data['source']['partition']}:{data['source']['offset']}"
            )
            progress = self._progress(article_id)
            progress.dead_letters.append(data)
        else:
            self.by_id.setdefault(data["id"], set()).add(value)
            progress = self._progress(data["article_id"])
            if data["kind"] == "article":
                progress.article = data
            else:
                progress.records[data["kind"]][data["id"]] = value
        if progress.completed_at is None and progress.complete():
            progress.completed_at = now

    async def poll(self, timeout: float = 0.5) -> int:
        batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000), max_records=2000)
        now = time.time()
        count = 0
        for tp, messages in batches.items():
            key = self._names[tp.topic]
            for message in messages:
                self._add(key, message.value or b"", now)
                count += 1
        return count

    def missing(self, article_ids: Iterable[str]) -> list[str]:
        return [a for a in article_ids if a not in self.articles or not self.articles[a].complete()]

    async def until_complete(
        self, article_ids: Iterable[str], *, timeout: float = 120.0, dead_letters: int = 0
    ) -> list[str]:
        """Poll until every article is complete and at least ``dead_letters`` dead letters came;
        returns the ids still missing (empty on success)."""
        wanted = list(article_ids)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await self.poll()
            if not self.missing(wanted) and len(self.raw_values["raw_dlq"]) >= dead_letters:
                return []
        return self.missing(wanted)

    def conflicting_ids(self) -> dict[str, set[bytes]]:
        """Record ids seen with more than one distinct value (must be empty)."""
        return {rid: values for rid, values in self.by_id.items() if len(values) > 1}


async def collect_complete(
    kafka: KafkaSettings, article_ids: list[str], *, dead_letters: int = 0, timeout: float
) -> RecordCollector:
    """A collector that read until every article was complete and ``dead_letters`` dead letters
    came (AssertionError naming the missing articles after ``timeout`` seconds)."""
    collector = RecordCollector(kafka)
    await collector.start()
    try:
        missing = await collector.until_complete(
            article_ids, timeout=timeout, dead_letters=dead_letters
        )
    finally:
        await collector.stop()
    assert not missing, f"{len(missing)} articles never completed, e.g. {missing[:5]}"
    return collector


def load_messages(path: Path, limit: int | None = None) -> list[tuple[bytes, bytes]]:
    """``(article id, line)`` pairs from a JSON-lines file of articles (the lines sent as they are)."""
    messages = []
    with path.open("rb") as handle:
        for line in handle:
            line = line.rstrip(b"\n")
            if not line.strip():
                continue
            data = jsonio.loads(line)
            messages.append((str(data["id"]).encode("utf-8"), line))
            if limit is not None and len(messages) >= limit:
                break
    return messages
