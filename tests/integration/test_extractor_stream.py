"""The extractor service end to end on a real broker, with workers as real processes.

Each test has its own topic prefix and consumer group. The articles are generated here from short
sentences written for these tests (no evaluation data).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.records import RecordCollector, collect_complete, publish
from wirestream.testkit.workers import WorkerProcess, start_workers

pytestmark = pytest.mark.integration

PEOPLE = [
    ("Maria Kowalska", "Polish foreign minister"),
    ("Daniel Okafor", "Nigerian trade minister"),
    ("Ines Moreau", "French defence minister"),
    ("Tomas Berg", "Norwegian prime minister"),
    ("Aiko Tanaka", "Japanese ambassador"),
    ("Rafael Duarte", "Brazilian finance minister"),
    ("Helena Novak", "Czech president"),
    ("Samuel Adeyemi", "UN envoy"),
    ("Layla Haddad", "Lebanese health minister"),
    ("Pedro Alves", "Portuguese interior minister"),
]
CITIES = ["Warsaw", "Lagos", "Paris", "Oslo", "Tokyo", "Brasilia", "Prague", "Geneva", "Beirut"]
ORGS = [
    "the World Health Organization",
    "the European Commission",
    "the Red Cross",
    "NATO",
    "the African Union",
    "the International Monetary Fund",
]
SENTENCES = [
    "{p} arrived in {c} on {day} for talks with {o} about the {n}-point plan.",
    '"We are ready to sign an agreement this month," {last} told reporters in {c}.',
    "Police in {c} said {n} protesters were arrested outside the parliament on {day}.",
    "At least {k} people were killed and {n} injured when a bridge collapsed near {c}.",
    "{o} accused the government of blocking aid convoys to the north for {k} weeks.",
    '{last} said the {role} would "not accept threats" from anyone.',
    "Officials in {c} announced sanctions against {k} companies linked to the smuggling ring.",
    "Thousands marched through {c} on {day} to protest against rising fuel prices.",
    "The {role} met {o} representatives and promised {n} million dollars in emergency aid.",
    "Troops were deployed to the border after {k} drones were shot down overnight, {last} said.",
    "Farmers near {c} reported that the harvest had fallen by {n} percent this year.",
    "{o} called for a ceasefire and asked both sides to release {k} detained journalists.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def make_article(index: int) -> dict[str, object]:
    """A short, distinct news-like article (seeded by ``index``)."""
    rng = random.Random(index)
    person, role = PEOPLE[index % len(PEOPLE)]
    fill = {
        "p": person,
        "last": person.split()[-1],
        "role": role,
        "c": rng.choice(CITIES),
        "o": rng.choice(ORGS),
        "day": rng.choice(DAYS),
        "n": rng.randint(3, 400),
        "k": rng.randint(2, 30),
    }
    sentences = [s.format(**fill) for s in rng.sample(SENTENCES, 5)]
    sentences = [s[0].upper() + s[1:] for s in sentences]
    return {
        "id": f"gen-{index:04d}",
        "title": f"{person} in {fill['c']}: talks, protests and aid (report {index})",
        "body": " ".join(sentences),
        "source": "Wirestream Test Wire",
        "published_at": f"2026-03-{1 + index % 28:02d}T{index % 24:02d}:15:00Z",
        "language": "en",
    }


BAD_INPUTS: dict[str, bytes] = {
    "bad-not-json": b"this is not JSON {",
    "bad-wrong-shape": b'{"headline": "no body here", "text": 3}',
    "bad-empty": b"",
    "bad-empty-body": b'{"body": ""}',
    "bad-5mb": jsonio.dumps({"id": "huge", "body": "word " * 1_000_000}),
    "bad-binary": bytes(random.Random(7).randrange(256) for _ in range(4096)),
    "bad-utf16": '{"body": "Kyiv said on Monday it was ready."}'.encode("utf-16"),
    "bad-latin1": '{"body": "Le ministre a parlé à Zürich."}'.encode("latin-1"),
}
EXPECTED_STAGE = {
    "bad-not-json": "decode",
    "bad-wrong-shape": "validate",
    "bad-empty": "decode",
    "bad-empty-body": "validate",
    "bad-5mb": "validate",
    "bad-binary": "decode",
    "bad-utf16": "decode",
    "bad-latin1": "decode",
}


def extract_cli(articles: list[dict[str, object]], tmp_path: Path) -> dict[str, list[bytes]]:
    """What ``wirestream extract`` prints for the articles, grouped by record kind."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"".join(jsonio.dumps(a) + b"\n" for a in articles))
    done = subprocess.run(
        [sys.executable, "-m", "wirestream.cli", "extract", "--no-progress", str(path)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    by_kind: dict[str, list[bytes]] = {}
    for line in done.stdout.splitlines():
        by_kind.setdefault(json.loads(line)["kind"], []).append(line)
    return by_kind


def without_duplicate_marks(value: bytes) -> dict[str, object]:
    data = json.loads(value)
    data.pop("duplicate_of")
    data.pop("duplicate_similarity")
    return dict(data)


def test_two_workers_200_articles_and_bad_input(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    kafka = ws_kafka
    articles = [make_article(i) for i in range(200)]
    workers.extend(start_workers(2, kafka, app_id=unique_name("extractor"), work_dir=tmp_path))
    messages: list[tuple[bytes | None, bytes]] = [
        (str(a["id"]).encode(), jsonio.dumps(a)) for a in articles
    ]
    for position, (key, value) in zip(range(10, 200, 25), BAD_INPUTS.items(), strict=False):
        messages.insert(position, (key.encode(), value))
    asyncio.run(publish(kafka, messages))
    ids = [str(a["id"]) for a in articles]
    collector = asyncio.run(
        collect_complete(kafka, ids + list(BAD_INPUTS), dead_letters=len(BAD_INPUTS), timeout=240.0)
    )

    assert collector.conflicting_ids() == {}
    for key, stage in EXPECTED_STAGE.items():
        letters = collector.articles[key].dead_letters
        assert letters and letters[0]["stage"] == stage, key
        assert letters[0]["original_size"] == len(BAD_INPUTS[key])
        assert letters[0]["error_message"]
    assert all(collector.articles[i].dead_letters == [] for i in ids)

    expected = extract_cli(articles, tmp_path)
    got = {
        "entity": set(collector.raw_values["entities"]),
        "quote": set(collector.raw_values["quotes"]),
        "event": set(collector.raw_values["events"]),
    }
    for kind, values in got.items():
        assert values == set(expected.get(kind, [])), kind
    assert got["entity"], "the generated articles name people and places"
    assert sorted(map(without_duplicate_marks, set(collector.raw_values["articles"])), key=str) == (
        sorted(map(without_duplicate_marks, expected["article"]), key=str)
    )
    metrics = workers[0].get("/metrics")[1].decode() + workers[1].get("/metrics")[1].decode()
    assert "wirestream_extractor_articles_total" in metrics
    assert "wirestream_extractor_extraction_seconds_bucket" in metrics
    assert workers[0].get("/health")[0] == 200


def test_sigterm_then_sigkill_mid_stream_lose_nothing_and_replay_identically(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    """A worker stopped with SIGTERM mid-stream exits cleanly; its successor is killed with
    SIGKILL mid-stream; a third finishes. Nothing is lost and no record id has two versions."""
    kafka = ws_kafka
    articles = [make_article(1000 + i) for i in range(150)]
    ids = [str(a["id"]) for a in articles]
    app_id = unique_name("extractor")
    env = {"WIRESTREAM_EXTRACTOR_SESSION_TIMEOUT": "6"}

    def start(name: str) -> WorkerProcess:
        worker = start_workers(1, kafka, app_id=app_id, work_dir=tmp_path / name, extra_env=env)
        workers.extend(worker)
        return worker[0]

    async def interrupt_mid_stream(worker: WorkerProcess, after: int, how: str) -> None:
        collector = RecordCollector(kafka)
        await collector.start()
        try:
            if how == "sigterm":
                await publish(
                    kafka,
                    [(i.encode(), jsonio.dumps(a)) for i, a in zip(ids, articles, strict=True)],
                )
            while len(ids) - len(collector.missing(ids)) < after:
                await collector.poll()
            if how == "sigterm":
                assert worker.stop(timeout=30) == 0, "SIGTERM must end the worker cleanly"
            else:
                worker.kill()
            assert collector.missing(ids), f"the worker finished before the {how}"
        finally:
            await collector.stop()

    asyncio.run(interrupt_mid_stream(start("a"), 25, "sigterm"))
    asyncio.run(interrupt_mid_stream(start("b"), 70, "sigkill"))
    start("c")
    collector = asyncio.run(collect_complete(kafka, ids, timeout=240.0))
    assert collector.conflicting_ids() == {}
    assert collector.raw_values["raw_dlq"] == []


BROKER_DOWN_SECONDS = 5.0


def test_broker_restart_mid_stream_recovers_by_itself(
    ws_kafka: KafkaSettings,
    broker: object,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    kafka = ws_kafka
    articles = [make_article(2000 + i) for i in range(120)]
    ids = [str(a["id"]) for a in articles]
    workers.extend(start_workers(1, kafka, app_id=unique_name("extractor"), work_dir=tmp_path))

    async def restart_mid_stream() -> None:
        collector = RecordCollector(kafka)
        await collector.start()
        try:
            await publish(
                kafka, [(i.encode(), jsonio.dumps(a)) for i, a in zip(ids, articles, strict=True)]
            )
            while len([i for i in ids if i not in collector.missing(ids)]) < 20:
                await collector.poll()
        finally:
            await collector.stop()  # before the broker goes: a consumer cannot leave without it
        await broker.astop()  # type: ignore[attr-defined]
        assert collector.missing(ids), "the worker finished before the broker stopped"
        await asyncio.sleep(
            BROKER_DOWN_SECONDS
        )  # the fault itself: the broker stays down this long
        await broker.astart()  # type: ignore[attr-defined]

    asyncio.run(restart_mid_stream())
    collector = asyncio.run(collect_complete(kafka, ids, timeout=240.0))
    assert collector.conflicting_ids() == {}
    assert workers[0].alive()


def test_publish_and_tail_commands(ws_kafka: KafkaSettings, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": ws_kafka.bootstrap_servers,
        "WIRESTREAM_KAFKA_TOPIC_PREFIX": ws_kafka.topic_prefix,
    }
    good = [make_article(3000), make_article(3001)]
    path = tmp_path / "in.jsonl"
    path.write_bytes(jsonio.dumps(good[0]) + b"\n{not json\n" + jsonio.dumps(good[1]) + b"\n")
    cli = [sys.executable, "-m", "wirestream.cli"]
    published = subprocess.run(
        [*cli, "publish", "--no-progress", str(path)], env=env, capture_output=True, timeout=60
    )
    assert published.returncode == 1, published.stderr
    assert b"rejected" in published.stderr and b":2" in published.stderr
    raw = subprocess.run(
        [*cli, "publish", "--raw", str(path)], env=env, capture_output=True, timeout=60
    )
    assert raw.returncode == 0, raw.stderr
    tail = [*cli, "tail", "raw", "--from-beginning", "--max", "5", "--timeout", "10"]
    lines = subprocess.run(
        [*tail, "--json"], env=env, capture_output=True, timeout=60, check=True
    ).stdout.splitlines()
    sent = [
        jsonio.dumps(Article.model_validate(a).model_dump(mode="json", exclude_defaults=True))
        for a in good
    ]
    assert sorted(lines) == sorted([*sent, *path.read_bytes().splitlines()])
    pretty = subprocess.run(tail, env=env, capture_output=True, timeout=60, check=True).stdout
    assert pretty.count(b"\n") == 5 and b"gen-3000" in pretty and b"not JSON" in pretty
