"""The extractor loop's batch handling without a broker: prepare a batch, deliver it through
partition writers that record what they would commit, and check what is committed, dead-lettered
or reset. The Kafka edge itself (transactions, fencing, rebalances) is tested against the real
broker in ``tests/integration/test_extractor_delivery.py``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError

from wirestream.core import jsonio
from wirestream.core.contracts import Article, DeadLetter, FingerprintEntry
from wirestream.core.extraction import Extractor
from wirestream.extractor.app import ExtractorService, create_service
from wirestream.extractor.fetching import Fetched
from wirestream.extractor.processing import Incoming, Outgoing
from wirestream.extractor.settings import ExtractorSettings
from wirestream.extractor.transactions import PartitionWriter
from wirestream.streaming.deadletters import source_position
from wirestream.streaming.settings import KafkaSettings

MARKER = "test-fault-marker"


@dataclass
class RecordingWriter(PartitionWriter):
    """A partition writer that keeps what it would commit; ``fail`` holds exceptions to raise
    on the next commits (one per commit)."""

    committed: list[tuple[list[Outgoing], int]] = field(default_factory=list)
    fail: list[BaseException] = field(default_factory=list)
    resets: int = 0

    async def commit(self, messages: Sequence[Outgoing], next_offset: int) -> None:
        if self.fail:
            raise self.fail.pop(0)
        self.committed.append((list(messages), next_offset))

    async def reset(self) -> None:
        self.resets += 1


@pytest.fixture(params=[40_000, 0], ids=["on-the-loop", "in-the-thread"])
async def service(extractor: Extractor, request: pytest.FixtureRequest) -> ExtractorService:
    settings = ExtractorSettings(
        web_port=6999, batch_size=8, inline_max_chars=request.param, fault_marker=MARKER
    )
    svc = create_service(settings, KafkaSettings(topic_prefix="test-loop."), extractor)
    for partition in (0, 1):
        svc.loop.writers[partition] = RecordingWriter(
            tp=svc.loop.tp(partition),
            transactional_id=f"test-{partition}",
            group_id="test",
            topic_names={},
            factory=svc.loop.make_producer,
        )
    return svc


def writer(svc: ExtractorService, partition: int) -> RecordingWriter:
    recording = svc.loop.writers[partition]
    assert isinstance(recording, RecordingWriter)
    return recording


def batch(svc: ExtractorService, values: list[tuple[int, bytes]]) -> Fetched:
    """A fetched batch: ``(partition, value)`` pairs, offsets counted per partition."""
    messages: dict[int, list[Incoming]] = {}
    for partition, value in values:
        offset = len(messages.setdefault(partition, []))
        position = source_position("test-loop.articles.raw", partition, offset, b"k", 1000.0)
        messages[partition].append(Incoming(value, position, b"k", 1000.0 + offset))
    return Fetched(messages, {p: svc.loop.generation[p] for p in messages})


def article_bytes(article: Article) -> bytes:
    return jsonio.dumps(article.model_dump(mode="json", exclude_defaults=True))


def topic_values(messages: Sequence[Outgoing], topic: str) -> list[bytes]:
    return [m.value for m in messages if m.topic == topic and m.value is not None]


async def run_batch(svc: ExtractorService, fetched: Fetched) -> None:
    prepared = await svc.loop.prepare(fetched)
    await svc.loop.deliver(fetched, prepared)
    svc.loop.executor.shutdown(wait=True)


async def test_each_partition_commits_its_records_dead_letters_and_offset(
    service: ExtractorService, extractor: Extractor, seed_article: Article
) -> None:
    bad = [b"not json at all", b"", b'["a", "list"]', '{"body": "x"}'.encode("utf-16")]
    values = [(0, bad[0]), (1, article_bytes(seed_article)), (0, bad[1]), (1, bad[2]), (0, bad[3])]
    await run_batch(service, batch(service, values))

    [(zero, zero_next)] = writer(service, 0).committed
    [(one, one_next)] = writer(service, 1).committed
    assert (zero_next, one_next) == (3, 2)
    letters = [DeadLetter.model_validate_json(v) for v in topic_values(zero, "raw_dlq")]
    assert [base64.b64decode(letter.original_b64) for letter in letters] == [bad[0], bad[1], bad[3]]
    assert [letter.stage for letter in letters] == ["decode", "decode", "decode"]
    assert [letter.source.offset for letter in letters] == [0, 1, 2]
    expected = extractor.extract(seed_article)
    assert topic_values(one, "entities") == [jsonio.dumps(r) for r in expected.entities]
    assert topic_values(one, "events") == [jsonio.dumps(r) for r in expected.events]
    assert topic_values(one, "articles") == [jsonio.dumps(expected.article)]
    [entry] = [m for m in one if m.topic == "fingerprints"]
    assert entry.partition == 1 and entry.key == seed_article.id.encode()
    assert FingerprintEntry.model_validate_json(entry.value or b"").fingerprint == (
        expected.article.fingerprint
    )
    assert [DeadLetter.model_validate_json(v).stage for v in topic_values(one, "raw_dlq")] == [
        "validate"
    ]
    assert service.progress.partitions == {}  # progress is kept for assigned partitions only


async def test_an_injected_extraction_fault_dead_letters_only_its_article(
    service: ExtractorService, seed_article: Article
) -> None:
    poison = seed_article.model_copy(
        update={"id": "poison", "metadata": {"wirestream_fault": MARKER}}
    )
    good = [seed_article.model_copy(update={"id": f"good-{i}"}) for i in range(2)]
    values = [(0, article_bytes(good[0])), (0, article_bytes(poison)), (0, article_bytes(good[1]))]
    await run_batch(service, batch(service, values))
    [(messages, next_offset)] = writer(service, 0).committed
    assert next_offset == 3
    [letter] = [DeadLetter.model_validate_json(v) for v in topic_values(messages, "raw_dlq")]
    assert (letter.stage, letter.error_type, letter.source.offset) == (
        "extract",
        "InjectedFault",
        1,
    )
    ids = [json.loads(v)["article_id"] for v in topic_values(messages, "articles")]
    assert ids == ["good-0", "good-1"]


async def test_a_failure_to_serialise_one_record_dead_letters_only_that_message(
    service: ExtractorService, seed_article: Article
) -> None:
    """A record that cannot be serialised (here: an article record whose metadata nests beyond
    what orjson writes) dead-letters its message with stage ``encode``; the neighbours go on."""
    nested: dict[str, object] = {}
    inner = nested
    for _ in range(300):
        inner["a"] = {}
        inner = inner["a"]  # type: ignore[assignment]
    raw = [article_bytes(seed_article.model_copy(update={"id": f"a{i}"})) for i in range(3)]
    processor = service.processor
    slots = processor.extract(processor.decode(batch(service, [(0, v) for v in raw]).all()))
    result = slots[1].result
    assert result is not None
    slots[1].result = replace(
        result, article=result.article.model_copy(update={"metadata": nested})
    )
    out = processor.outgoing(slots)
    assert [p.outcome for p in out] == ["extracted", "dead_letter", "duplicate"]  # a2 copies a0
    letter = DeadLetter.model_validate_json(out[1].messages[0].value or b"")
    assert letter.stage == "encode" and letter.source.offset == 1
    assert base64.b64decode(letter.original_b64) == raw[1]


async def test_a_transient_failure_resets_the_partition_and_commits_nothing(
    service: ExtractorService, seed_article: Article
) -> None:
    writer(service, 0).fail = [KafkaConnectionError("broker unavailable (test)")]
    fetched = batch(service, [(0, article_bytes(seed_article)), (1, article_bytes(seed_article))])
    generation = service.loop.generation[0]
    await run_batch(service, fetched)
    assert writer(service, 0).committed == []
    assert len(writer(service, 1).committed) == 1
    assert service.loop.generation[0] == generation + 1  # batches fetched before are void
    assert not service.loop.current(0, fetched.generations[0])
    assert "wirestream_extractor_send_retries_total 1.0" in service.metrics.render().decode()


async def test_records_the_broker_refuses_are_dead_lettered_one_message_at_a_time(
    service: ExtractorService, seed_article: Article
) -> None:
    refused = MessageSizeTooLargeError("record too large (test)")
    writer(service, 0).fail = [refused, refused]  # the batch, then its first message
    raw = [article_bytes(seed_article.model_copy(update={"id": f"a{i}"})) for i in range(3)]
    await run_batch(service, batch(service, [(0, value) for value in raw]))
    committed = writer(service, 0).committed
    assert [offset for _, offset in committed] == [1, 2, 3]
    [letter] = [DeadLetter.model_validate_json(v) for v in topic_values(committed[0][0], "raw_dlq")]
    assert (letter.stage, letter.error_type) == ("publish", "MessageSizeTooLargeError")
    assert base64.b64decode(letter.original_b64) == raw[0]
    assert topic_values(committed[0][0], "articles") == []
    assert [len(topic_values(m, "articles")) for m, _ in committed[1:]] == [1, 1]


async def test_an_injected_stall_keeps_failing_its_partition_only(
    service: ExtractorService, seed_article: Article
) -> None:
    stall = seed_article.model_copy(
        update={"id": "stall", "metadata": {"wirestream_fault": f"{MARKER}:stall"}}
    )
    await run_batch(
        service, batch(service, [(0, article_bytes(stall)), (1, article_bytes(seed_article))])
    )
    assert writer(service, 0).committed == []
    assert len(writer(service, 1).committed) == 1


@dataclass
class _Record:
    """What aiokafka's getmany returns per message (the fields the loop reads)."""

    topic: str
    partition: int
    offset: int
    value: bytes = b"{}"
    key: bytes | None = None
    timestamp: int = 1_000_000
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass
class _ScriptedConsumer:
    """Answers getmany from a script; ``between`` runs after the first answer (a rebalance's seek
    landing between the two fetches of a batch)."""

    answers: list[dict[Any, list[_Record]]]
    between: Any = None

    async def getmany(self, timeout_ms: int = 0, max_records: int = 0) -> dict[Any, list[_Record]]:
        answer = self.answers.pop(0) if self.answers else {}
        if self.between is not None and not self.answers:
            self.between()
        return answer

    def highwater(self, tp: Any) -> int:
        return 100


def _records(service: ExtractorService, partition: int, offsets: range) -> dict[Any, list[_Record]]:
    topic = service.loop.raw_topic
    return {service.loop.tp(partition): [_Record(topic, partition, o) for o in offsets]}


async def test_a_stale_first_fetch_keeps_its_generation_and_is_never_committed(
    service: ExtractorService,
) -> None:
    """Offsets 32-34 fetched, then the partition is sought (a rebalance) and the second fetch
    brings nothing of it: the batch keeps the old generation, so delivery drops it."""
    loop = service.loop
    old = loop.generation[1]

    def rebalance() -> None:
        loop.generation[1] += 2

    loop.consumer = _ScriptedConsumer([_records(service, 1, range(32, 35)), {}], rebalance)
    fetched = await loop.fetch()
    assert fetched is not None and fetched.generations == {1: old}
    assert not loop.current(1, fetched.generations[1])


async def test_a_fetch_sought_back_mid_batch_keeps_only_the_new_run(
    service: ExtractorService,
) -> None:
    """The second fetch of a batch re-reads offsets after a seek: the first fetch's messages are
    dropped and the batch holds each offset once."""
    loop = service.loop

    def rebalance() -> None:
        loop.generation[0] += 1

    first = _records(service, 0, range(10, 13))
    second = _records(service, 0, range(10, 15))
    loop.consumer = _ScriptedConsumer([first, second], rebalance)
    fetched = await loop.fetch()
    assert fetched is not None
    assert [m.source.offset for m in fetched.messages[0]] == [10, 11, 12, 13, 14]
    assert fetched.generations == {0: loop.generation[0]}
