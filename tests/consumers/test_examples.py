"""The consumer examples of docs/CONSUMERS.md, run against the real broker.

Records are made by the real pipeline (``BatchProcessor``, headers included) from two articles,
one with emoji (characters outside the BMP: two UTF-16 code units each) before the names, and
written to fresh ``articles`` and ``events`` topics in a Kafka transaction, twice (a replay: the
examples upsert by id), with one event carrying a field no schema declares yet (readers ignore
it). Each example must join every event to its article's text, check every span and report it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from wirestream.core import jsonio
from wirestream.core.extraction import Extractor
from wirestream.extractor.processing import BatchProcessor, Incoming, Outgoing
from wirestream.schemagen import EXAMPLE_ARTICLE
from wirestream.streaming.deadletters import source_position
from wirestream.streaming.topics import ARTICLES, EVENTS

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "consumers"
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
EMOJI_ARTICLE = {
    **EXAMPLE_ARTICLE,
    "id": "example-emoji",
    "body": EXAMPLE_ARTICLE["body"]
    .replace("Russia launched", "🇺🇦🚨 Russia launched")
    .replace('"The attack', '📸 "The attack'),
}
RUN_TIMEOUT = 120.0
"""Seconds an example may take at most (it stops itself after --timeout, 60 s)."""


def _records(extractor: Extractor) -> tuple[list[Outgoing], dict[str, dict[str, Any]]]:
    """The articles' and events' messages, and each article record by article id."""
    incoming = [
        Incoming(
            jsonio.dumps(article),
            source_position("raw", 0, offset),
            None,
            1000.0 + offset,
            headers=(("traceparent", TRACEPARENT.encode()),),
        )
        for offset, article in enumerate([EXAMPLE_ARTICLE, EMOJI_ARTICLE])
    ]
    messages, articles = [], {}
    for processed in BatchProcessor(extractor).process(incoming):
        assert processed.outcome == "extracted"
        for message in processed.messages:
            if message.topic == "articles":
                record = jsonio.loads(message.value or b"")
                articles[record["article_id"]] = record
            if message.topic in ("articles", "events"):
                messages.append(message)
    return messages, articles


def _with_future_field(message: Outgoing) -> Outgoing:
    value = {**jsonio.loads(message.value or b""), "added_in_a_later_minor": {"x": 1}}
    return Outgoing(message.topic, message.key, jsonio.dumps(value), headers=message.headers)


async def _publish(bootstrap: str, prefix: str, messages: list[Outgoing]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, transactional_id=f"consumer-examples-{uuid.uuid4().hex}"
    )
    await producer.start()
    try:
        for batch in (messages, messages):  # the second time: a replay
            async with producer.transaction():
                for message in batch:
                    topic = ARTICLES if message.topic == "articles" else EVENTS
                    await producer.send_and_wait(
                        topic.name(prefix),
                        message.value,
                        key=message.key,
                        headers=list(message.headers),
                    )
    finally:
        await producer.stop()


@pytest.fixture
async def published(
    kafka_bootstrap: str,
    create_topic: Callable[..., str],
    unique_name: Callable[[str], str],
    extractor: Extractor,
) -> tuple[str, dict[str, dict[str, Any]]]:
    prefix = unique_name("ws") + "."
    for topic in (ARTICLES, EVENTS):
        create_topic(topic.name(prefix), partitions=2)
    messages, articles = _records(extractor)
    events = [m for m in messages if m.topic == "events"]
    assert events, "the example articles gave no events"
    messages = [_with_future_field(m) if m is events[0] else m for m in messages]
    await _publish(kafka_bootstrap, prefix, messages)
    return prefix, articles


def _utf16_slice(text: str, start: int, end: int) -> str:
    """What JavaScript's String.slice (UTF-16 code units) would give for code-point offsets."""
    units = text.encode("utf-16-le")
    return units[2 * start : 2 * end].decode("utf-16-le", "replace")


def test_the_emoji_article_breaks_utf16_slicing(extractor: Extractor) -> None:
    """The test data is the case the guide warns about: naive UTF-16 slicing misses spans."""
    messages, articles = _records(extractor)
    body = articles["example-emoji"]["body"]
    events = [jsonio.loads(m.value or b"") for m in messages if m.topic == "events"]
    triggers = [e["trigger"] for e in events if e["article_id"] == "example-emoji"]
    assert triggers
    for span in triggers:
        assert body[span["start"] : span["end"]] == span["text"]
        assert _utf16_slice(body, span["start"], span["end"]) != span["text"]


def _command(example: str, bootstrap: str, prefix: str, group: str) -> list[str]:
    common = ["--bootstrap", bootstrap, "--prefix", prefix, "--group", group, "--articles", "2"]
    if example == "kafkajs":
        node = shutil.which("node")
        assert node, "Node.js 20+ is needed for the kafkajs example"
        assert (EXAMPLES / "js" / "node_modules" / "kafkajs").is_dir(), (
            "kafkajs is not installed: run 'make install' (npm ci in examples/consumers/js)"
        )
        return [node, str(EXAMPLES / "js" / "consumer.mjs"), *common]
    script = {"aiokafka": "aiokafka_consumer.py", "confluent-kafka": "confluent_consumer.py"}
    return [sys.executable, str(EXAMPLES / script[example]), *common]


@pytest.mark.parametrize("example", ["aiokafka", "confluent-kafka", "kafkajs"])
def test_consumer_example_joins_events_and_checks_spans(
    example: str,
    kafka_bootstrap: str,
    unique_name: Callable[[str], str],
    published: tuple[str, dict[str, dict[str, Any]]],
) -> None:
    prefix, articles = published
    result = subprocess.run(
        _command(example, kafka_bootstrap, prefix, unique_name("group")),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env={**os.environ, "PYTHONPATH": str(EXAMPLES)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["article_id"] for line in lines} == set(articles)
    for line in lines:
        record = articles[line["article_id"]]
        assert line["revision"] == record["revision"]
        assert line["events"] == record["counts"]["events"]
        assert line["traceparent"] == TRACEPARENT
    assert sum(line["spans_checked"] for line in lines) > 0
