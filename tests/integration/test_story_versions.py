"""Story versions and copies across workers, against the real broker, with real worker processes.

- versions: v1, v2 (another article id of the same story, fewer sentences), then the worker is
  replaced (the new one reads the story state back from the changelog), v1 again (older: changes
  nothing), a kill notice. A ``read_committed`` consumer sees v1's records retracted
  (superseded) with a tombstone for v1's article id, v2's retracted (killed) with a tombstone,
  and nothing of the late v1. The same raw messages (same keys, values and timestamps) replayed
  into fresh topics give byte-identical records, retractions and tombstones.
- copies: two extractor workers, an original and its copies on different raw partitions (so
  on different workers), the original arriving last with the earliest timestamp; the copies stage
  marks every copy with the original; a replaced stage (same group) publishes nothing twice and
  marks what comes after; a copies stage of another consumer group reading every fingerprint from
  the start gives the same markings.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from integration.test_extractor_stream import make_article
from wirestream.core import jsonio
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    COPIES,
    ENTITIES,
    EVENTS,
    QUOTES,
    RAW_ARTICLES,
    RETRACTIONS,
    TopicSpec,
)
from wirestream.testkit.net import free_port
from wirestream.testkit.workers import WorkerProcess, start_workers, worker_env

pytestmark = pytest.mark.integration

OUTPUTS = (ARTICLES, ENTITIES, QUOTES, EVENTS, RETRACTIONS)
Message = tuple[bytes | None, bytes | None]  # key, value


async def send(kafka: KafkaSettings, messages: list[tuple[bytes, bytes, int, int | None]]) -> None:
    """(key, value, timestamp ms, partition or None) to the raw topic, in order."""
    producer = AIOKafkaProducer(**kafka.client_options(), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for key, value, timestamp_ms, partition in messages:
            await (
                await producer.send(
                    RAW_ARTICLES.name(kafka),
                    value=value,
                    key=key,
                    timestamp_ms=timestamp_ms,
                    partition=partition,
                )
            )
    finally:
        await producer.stop()


async def read(
    kafka: KafkaSettings,
    specs: tuple[TopicSpec, ...],
    done: Callable[[dict[str, list[Message]]], bool],
    timeout: float,
) -> dict[str, list[Message]]:
    """Every committed message of ``specs`` (by topic key, in partition order) once ``done``."""
    consumer = AIOKafkaConsumer(
        **kafka.client_options(), isolation_level="read_committed", enable_auto_commit=False
    )
    await consumer.start()
    out: dict[str, list[Message]] = {spec.key: [] for spec in specs}
    names = {spec.name(kafka): spec.key for spec in specs}
    try:
        tps = [
            TopicPartition(name, p)
            for name in names
            for p in sorted(consumer.partitions_for_topic(name) or {0, 1, 2, 3})
        ]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        deadline = time.monotonic() + timeout
        while not done(out):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; got {out}")
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in sorted(batches.items(), key=lambda kv: kv[0].partition):
                out[names[tp.topic]].extend((r.key, r.value) for r in records)
    finally:
        await consumer.stop()
    return out


def values(messages: list[Message]) -> list[dict[str, Any]]:
    return [jsonio.loads(v) for _, v in messages if v is not None]


def story_articles() -> list[dict[str, Any]]:
    base = make_article(5101)
    body = str(base["body"])
    sentences = body.split(". ")
    v1 = base | {"id": "story-a-v1", "story_id": "story-a", "version": 1}
    v2 = base | {
        "id": "story-a-v2",
        "story_id": "story-a",
        "version": 2,
        "body": ". ".join(sentences[:-2]) + ".",
    }
    kill = base | {
        "id": "story-a-kill",
        "story_id": "story-a",
        "title": "KILL-" + str(base["title"]),
        "body": "Please kill the story. It was withdrawn.",
    }
    return [v1, v2, v1, kill]


def raw_messages(articles: list[dict[str, Any]]) -> list[tuple[bytes, bytes, int, int | None]]:
    start = 1_767_000_000_000
    return [
        (str(a["story_id"]).encode(), jsonio.dumps(a), start + 1000 * i, None)
        for i, a in enumerate(articles)
    ]


def run_story(
    kafka: KafkaSettings, workers: list[WorkerProcess], tmp_path: Path, app_id: str
) -> dict[str, list[Message]]:
    """v1 and v2 to one worker; that worker stopped and another started (it reads the story
    state back from the changelog); then the late v1 and the kill."""
    messages = raw_messages(story_articles())
    first = start_workers(1, kafka, app_id=app_id, work_dir=tmp_path / "before")
    workers.extend(first)
    asyncio.run(send(kafka, messages[:2]))

    def superseded(out: dict[str, list[Message]]) -> bool:
        return len(out["retractions"]) >= 1

    asyncio.run(read(kafka, (RETRACTIONS,), superseded, 180.0))
    assert first[0].stop(timeout=40) == 0
    workers.extend(start_workers(1, kafka, app_id=app_id, work_dir=tmp_path / "after"))
    asyncio.run(send(kafka, messages[2:]))

    def done(out: dict[str, list[Message]]) -> bool:
        return len(out["retractions"]) >= 2 and sum(v is None for _, v in out["articles"]) >= 2

    return asyncio.run(read(kafka, OUTPUTS, done, 240.0))


def test_versions_retract_and_a_replay_gives_the_same_messages(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    kafka_bootstrap: str,
    unique_name: Callable[[str], str],
) -> None:
    out = run_story(ws_kafka, workers, tmp_path / "first", unique_name("extractor"))
    records = {key: values(messages) for key, messages in out.items()}
    v1_ids = {
        r["id"]
        for key in ("articles", "entities", "quotes", "events")
        for r in records[key]
        if r["article_id"] == "story-a-v1"
    }
    v2_ids = {
        r["id"]
        for key in ("articles", "entities", "quotes", "events")
        for r in records[key]
        if r["article_id"] == "story-a-v2"
    }
    assert v1_ids and v2_ids and not v1_ids & v2_ids
    # The late v1 published nothing: v1's article record is there once.
    assert [r["article_id"] for r in records["articles"]].count("story-a-v1") == 1
    assert not any(r["article_id"] == "story-a-kill" for r in records["articles"])
    superseded, killed = sorted(records["retractions"], key=lambda r: r["retracted_at"])
    assert (superseded["reason"], superseded["article_id"]) == ("superseded", "story-a-v1")
    assert superseded["superseded_by"] == "story-a-v2" and superseded["story_id"] == "story-a"
    assert set(superseded["record_ids"]) == v1_ids
    assert (killed["reason"], killed["article_id"]) == ("killed", "story-a-v2")
    assert set(killed["record_ids"]) == v2_ids
    tombstones = sorted(k for k, v in out["articles"] if v is None and k is not None)
    assert tombstones == [b"story-a-kill", b"story-a-v1", b"story-a-v2"]
    v2_article = next(r for r in records["articles"] if r["article_id"] == "story-a-v2")
    assert (v2_article["story_id"], v2_article["story_version"]) == ("story-a", 2)

    # A replay of the same raw messages into fresh topics: the same messages, byte for byte.
    fresh = KafkaSettings(
        bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("replay") + "."
    )
    asyncio.run(ensure_topics(fresh))
    again = run_story(fresh, workers, tmp_path / "replay", unique_name("extractor"))
    for key in out:
        assert sorted(out[key], key=repr) == sorted(again[key], key=repr), key


def start_copies(kafka: KafkaSettings, app_id: str, log: Path) -> WorkerProcess:
    env = worker_env(kafka, app_id="unused", extra={"WIRESTREAM_COPIES_APP_ID": app_id})
    worker = WorkerProcess(free_port(), env, log, service="copies").start()
    worker.wait_ready(60.0)
    return worker


def copy_articles() -> list[tuple[dict[str, Any], int]]:
    """(article, raw partition): an original on partition 0, copies on 1, 2 and 3, others."""
    original = make_article(5201) | {"id": "wire-original"}
    out = [(original, 0)]
    for partition, outlet in ((1, "afp"), (2, "ap"), (3, "dpa")):
        copy = original | {
            "id": f"wire-copy-{outlet}",
            "title": str(original["title"]).upper(),
            "source": outlet,
        }
        out.append((copy, partition))
    out.extend((make_article(5300 + i), i % 4) for i in range(4))
    return out


def test_copies_on_other_workers_are_marked_and_a_replay_agrees(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    kafka = ws_kafka
    workers.extend(start_workers(2, kafka, app_id=unique_name("extractor"), work_dir=tmp_path))
    group = unique_name("copies")
    stage = start_copies(kafka, group, tmp_path / "copies.log")
    workers.append(stage)
    start = 1_767_000_000_000
    articles = copy_articles()
    # The copies are sent first: their original arrives after them, with the earliest timestamp.
    order = [*articles[1:], articles[0]]
    asyncio.run(
        send(
            kafka,
            [
                (
                    str(a["id"]).encode(),
                    jsonio.dumps(a),
                    start + (0 if a["id"] == "wire-original" else 1000 * (i + 1)),
                    p,
                )
                for i, (a, p) in enumerate(order)
            ],
        )
    )
    expected = {
        "wire-original": None,
        "wire-copy-afp": "wire-original",
        "wire-copy-ap": "wire-original",
        "wire-copy-dpa": "wire-original",
    }

    def latest(out: dict[str, list[Message]]) -> dict[str, Any]:
        marks: dict[str, Any] = {}
        for key, value in out["copies"]:
            if key is not None and value is not None:
                marks[key.decode()] = jsonio.loads(value)["duplicate_of"]
        return marks

    def settled(out: dict[str, list[Message]]) -> bool:
        marks = latest(out)
        return all(marks.get(k, "?") == v for k, v in expected.items()) and all(
            str(a["id"]) in marks for a, _ in articles
        )

    first = asyncio.run(read(kafka, (COPIES,), settled, 240.0))
    marks = latest(first)
    assert all(marks[str(a["id"])] is None for a, _ in articles[4:])

    # The stage is replaced (same group): it rebuilds its index from the fingerprints before its
    # committed offset without publishing them again, and marks what comes after.
    assert stage.stop(timeout=40) == 0
    late = articles[0][0] | {"id": "wire-copy-late", "source": "late"}
    fresh = make_article(5400) | {"id": "wire-fresh"}
    asyncio.run(
        send(
            kafka,
            [
                (b"wire-copy-late", jsonio.dumps(late), start + 20_000, 2),
                (b"wire-fresh", jsonio.dumps(fresh), start + 21_000, 1),
            ],
        )
    )
    workers.append(start_copies(kafka, group, tmp_path / "copies-2.log"))
    expected |= {"wire-copy-late": "wire-original", "wire-fresh": None}
    resumed = asyncio.run(read(kafka, (COPIES,), settled, 120.0))
    assert len(resumed["copies"]) == len(first["copies"]) + 2  # nothing published twice
    marks = latest(resumed)

    # Another copies stage (its own group) reads every fingerprint again: the same markings.
    workers.append(start_copies(kafka, unique_name("copies-replay"), tmp_path / "replay.log"))

    def doubled(out: dict[str, list[Message]]) -> bool:
        return len(latest(out)) == len(marks) and len(out["copies"]) >= len(marks) * 2

    both = asyncio.run(read(kafka, (COPIES,), doubled, 120.0))
    assert latest(both) == marks
