"""The extractor's faust agent, run with ``agent.test_context()`` (no broker).

Outputs go to recording sinks in place of the Kafka topics (the integration tests send to a real
broker); dead letters, records and acks are checked on the real agent, stream and extractor.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError

from wirestream.core import jsonio
from wirestream.core.contracts import Article, DeadLetter
from wirestream.core.extraction import Extractor
from wirestream.extractor.app import ExtractorService, create_service
from wirestream.extractor.dedup import DuplicateIndex
from wirestream.extractor.settings import ExtractorSettings
from wirestream.streaming.settings import KafkaSettings


@dataclass
class RecordingTopic:
    """Stands in for an output topic: keeps what was sent; can fail the first ``failures`` sends
    with a transient broker error, or refuse every send with ``refuse``."""

    sent: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    failures: int = 0
    refuse: Exception | None = None

    async def send(self, *, key: bytes | None, value: bytes) -> asyncio.Future[None]:
        if self.refuse is not None:
            raise self.refuse
        if self.failures:
            self.failures -= 1
            raise KafkaConnectionError("broker unavailable (test)")
        self.sent.append((key, value))
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future


@pytest.fixture(params=[40_000, 0], ids=["on-the-loop", "in-the-thread"])
async def service(
    extractor: Extractor, request: pytest.FixtureRequest
) -> AsyncIterator[ExtractorService]:
    """The agent with small batches extracted on the event loop, and with every batch handed to
    the extraction thread (``inline_max_chars=0``)."""
    settings = ExtractorSettings(
        web_port=6999, batch_size=8, batch_window=0.05, inline_max_chars=request.param
    )
    kafka = KafkaSettings(topic_prefix="test-agent.")
    svc = create_service(settings, kafka, extractor)
    app = svc.app
    app.loop = asyncio.get_running_loop()
    app.finalize()
    app.flow_control.resume()
    svc.output_topics = {key: RecordingTopic() for key in svc.output_topics}
    assert svc.processor.dedup is not None
    svc.processor.dedup = DuplicateIndex({}, threshold=0.95)
    delays: list[float] = []

    async def no_sleep(delay: float) -> None:
        delays.append(delay)

    svc.sleep = no_sleep
    yield svc
    svc.executor.shutdown(wait=True)


def sent(svc: ExtractorService, topic: str) -> list[tuple[bytes | None, bytes]]:
    sink = svc.output_topics[topic]
    assert isinstance(sink, RecordingTopic)
    return sink.sent


async def wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the agent")
        await asyncio.sleep(0.02)


def article_bytes(article: Article) -> bytes:
    return jsonio.dumps(article.model_dump(mode="json", exclude_defaults=True))


async def test_records_match_extract_and_bad_input_is_dead_lettered(
    service: ExtractorService, extractor: Extractor, seed_article: Article
) -> None:
    bad = [
        b"not json at all",
        b"",
        b'["a", "list"]',
        b'{"title": "no body"}',
        '{"body": "Kyiv said on Monday."}'.encode("utf-16"),
        bytes(range(256)),
    ]
    async with service.agent.test_context() as agent:
        events = [await agent.put(bad[0], key=b"k0", wait=False)]
        events.append(await agent.put(article_bytes(seed_article), key=b"seed", wait=False))
        for index, value in enumerate(bad[1:], start=1):
            events.append(await agent.put(value, key=f"k{index}".encode(), wait=False))
        await wait_for(
            lambda: len(sent(service, "raw_dlq")) == len(bad) and sent(service, "articles")
        )
        await wait_for(lambda: all(e.message.acked for e in events))

    expected = extractor.extract(seed_article)
    key = seed_article.id.encode()
    for topic, records in (
        ("entities", expected.entities),
        ("quotes", expected.quotes),
        ("events", expected.events),
    ):
        assert sent(service, topic) == [(key, jsonio.dumps(r)) for r in records], topic
    assert sent(service, "articles") == [(key, jsonio.dumps(expected.article))]
    assert expected.entities  # quotes and events too, once their finders produce them

    letters = [DeadLetter.model_validate(json.loads(v)) for _, v in sent(service, "raw_dlq")]
    assert [base64.b64decode(letter.original_b64) for letter in letters] == bad
    assert [letter.stage for letter in letters] == [
        "decode",
        "decode",
        "validate",
        "validate",
        "decode",
        "decode",
    ]
    assert [k for k, _ in sent(service, "raw_dlq")] == [b"k0", b"k1", b"k2", b"k3", b"k4", b"k5"]
    assert letters[0].source.offset == 0 and letters[1].source.offset == 2
    assert all(letter.service == "extractor" for letter in letters)
    assert "not UTF-8" in letters[4].error_message
    assert "body" in letters[3].error_message
    metrics = service.metrics.render().decode()
    assert (
        'wirestream_extractor_dead_letters_total{reason="InputError",stage="decode"} 4.0' in metrics
    )
    assert 'wirestream_extractor_records_total{kind="article"} 1.0' in metrics


async def test_transient_send_errors_are_retried_not_dead_lettered(
    service: ExtractorService, seed_article: Article
) -> None:
    articles = service.output_topics["articles"]
    assert isinstance(articles, RecordingTopic)
    articles.failures = 2
    async with service.agent.test_context() as agent:
        event = await agent.put(article_bytes(seed_article), key=b"seed", wait=False)
        await wait_for(lambda: event.message.acked)
    assert len(sent(service, "articles")) == 1
    assert sent(service, "raw_dlq") == []
    assert "wirestream_extractor_send_retries_total 2.0" in service.metrics.render().decode()


async def test_records_the_broker_refuses_are_dead_lettered_and_acked(
    service: ExtractorService, seed_article: Article
) -> None:
    events_sink = service.output_topics["events"]
    assert isinstance(events_sink, RecordingTopic)
    events_sink.refuse = MessageSizeTooLargeError("record too large (test)")
    raw = article_bytes(seed_article)
    async with service.agent.test_context() as agent:
        event = await agent.put(raw, key=b"seed", wait=False)
        await wait_for(lambda: event.message.acked)
    letters = [DeadLetter.model_validate(json.loads(v)) for _, v in sent(service, "raw_dlq")]
    assert [(letter.stage, letter.error_type) for letter in letters] == [
        ("publish", "MessageSizeTooLargeError")
    ]
    assert base64.b64decode(letters[0].original_b64) == raw
    assert sent(service, "raw_dlq")[0][0] == b"seed"
    metrics = service.metrics.render().decode()
    assert (
        'wirestream_extractor_dead_letters_total{reason="MessageSizeTooLargeError",'
        'stage="publish"} 1.0'
    ) in metrics
