"""Headers through the real extractor worker: a raw article with a ``traceparent`` and an ``x-``
header comes out as records (and its state entry) carrying Wirestream's headers and both carried
ones; a bad message as a dead letter carrying them too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

import wirestream
from wirestream.core import jsonio
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    ENTITIES,
    EVENTS,
    EXTRACTOR_FINGERPRINTS,
    QUOTES,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
)
from wirestream.testkit.workers import WorkerProcess, start_workers
from wirestream_contracts import headers as wire_headers
from wirestream_contracts.schemas import example

pytestmark = pytest.mark.integration

TRACEPARENT = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
SENT = [("traceparent", TRACEPARENT), ("x-correlation-id", b"c-42"), ("authorization", b"no")]
OUTPUT = (ARTICLES, ENTITIES, QUOTES, EVENTS, EXTRACTOR_FINGERPRINTS, RAW_DEAD_LETTERS)
WAIT = 180.0
"""Seconds until every expected message is read (extraction on a loaded, shared machine)."""


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.stop(timeout=20)


async def _send(kafka: KafkaSettings) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all")
    await producer.start()
    try:
        raw = RAW_ARTICLES.name(kafka)
        await producer.send_and_wait(raw, jsonio.dumps(example("raw")), key=b"a", headers=SENT)
        await producer.send_and_wait(raw, b'{"title": "no body"}', key=b"b", headers=SENT)
    finally:
        await producer.stop()


async def _read(
    kafka: KafkaSettings, wanted: dict[str, int]
) -> list[tuple[str, list[tuple[str, bytes]]]]:
    """(topic key, headers) of every message until ``wanted`` counts per topic key are read."""
    names = {t.name(kafka): t.key for t in OUTPUT}
    consumer = AIOKafkaConsumer(
        *names,
        bootstrap_servers=kafka.bootstrap_servers,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    await consumer.start()
    got: list[tuple[str, list[tuple[str, bytes]]]] = []
    try:
        async with asyncio.timeout(WAIT):
            while any(sum(k == key for k, _ in got) < n for key, n in wanted.items()):
                batches = await consumer.getmany(timeout_ms=1000)
                for tp, messages in batches.items():
                    got += [(names[tp.topic], list(m.headers)) for m in messages]
    finally:
        await consumer.stop()
    return got


def test_headers_on_everything_the_extractor_writes(
    kafka_bootstrap: str,
    unique_name: Callable[[str], str],
    tmp_path: Path,
    workers: list[WorkerProcess],
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("hd") + ".")
    asyncio.run(ensure_topics(kafka))
    workers.extend(start_workers(1, kafka, app_id=unique_name("extractor"), work_dir=tmp_path))
    asyncio.run(_send(kafka))
    wanted = {"articles": 1, "entities": 1, "events": 1, "fingerprints": 1, "raw_dlq": 1}
    got = asyncio.run(_read(kafka, wanted))
    kinds = {"articles": "article", "entities": "entity", "quotes": "quote", "events": "event"}
    kinds |= {"fingerprints": "fingerprint", "raw_dlq": "dead_letter"}
    for key, headers in got:
        assert [name for name, _ in headers] == [
            *wire_headers.OWN,
            "traceparent",
            "x-correlation-id",
        ], key
        text = wire_headers.as_text(headers)
        assert text["wirestream-kind"] == kinds[key]
        assert text["wirestream-schema-version"] == "1"
        assert text["wirestream-producer"] == f"extractor/{wirestream.__version__}"
        assert text["traceparent"] == TRACEPARENT.decode()
