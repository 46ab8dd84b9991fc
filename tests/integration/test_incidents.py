"""The incident stage as a real worker on a real broker: three reports of one drone attack become
one incident; a worker SIGKILLed mid-stream loses no member and duplicates no incident; a
retraction removes its article; a replay of the same input under a new group gives the same ids;
a broker restart mid-stream loses no member; a copy marking of the copies stage that arrives
after its article's events drops the copy from the incident's independent outlets."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from fixtures.kafka import SessionBroker
from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.core.incidents import cluster, members_of_article
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    COPIES,
    EVENTS,
    INCIDENT_MEMBERS,
    INCIDENTS,
    RETRACTIONS,
)
from wirestream.testkit.net import free_port
from wirestream.testkit.workers import log_excerpt
from wirestream_contracts.copies import CopyRecord
from wirestream_contracts.incidents import IncidentRecord
from wirestream_contracts.retractions import RetractionRecord

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "data" / "odesa_drone_reports.jsonl"
SEED = ROOT / "tests" / "data" / "seed_article.json"


STARTUP_TIMEOUT = 240.0
"""Seconds the worker gets to answer ``/ready`` (room for faust's 90 s request timeouts)."""


def wait_ready(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Until the worker answers 200 on ``/ready``; fails with its log when it exits or times out."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        assert process.poll() is None, f"the worker exited:\n{log_excerpt(log)}"
        assert time.monotonic() < deadline, f"not ready:\n{log_excerpt(log)}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:  # not listening yet, or 503
            pass
        time.sleep(0.3)


def articles() -> list[Article]:
    lines = REPORTS.read_text("utf-8").splitlines()
    return [Article.model_validate_json(SEED.read_text("utf-8"))] + [
        Article.model_validate_json(line) for line in lines
    ]


def records_of(extractor: Extractor, article: Article) -> list[tuple[str, bytes, bytes]]:
    """(topic key, key, value) of the article record and its events, events first (the order
    the incident stage must cope with: an article's records arrive in any order)."""
    result = extractor.extract(article)
    out = [("events", article.id.encode(), jsonio.dumps(e)) for e in result.events]
    return [*out, ("articles", article.id.encode(), jsonio.dumps(result.article))]


async def produce(kafka: KafkaSettings, batch: list[tuple[str, bytes, bytes]]) -> None:
    topics = {"articles": ARTICLES, "events": EVENTS, "retractions": RETRACTIONS, "copies": COPIES}
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers)
    await producer.start()
    try:
        for topic, key, value in batch:
            await producer.send_and_wait(topics[topic].name(kafka), value, key=key)
    finally:
        await producer.stop()


class Incidents:
    """Reads the incidents topic from the start; ``latest`` holds the last record per id."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self.consumer = AIOKafkaConsumer(
            INCIDENTS.name(kafka),
            bootstrap_servers=kafka.bootstrap_servers,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
        )
        self.latest: dict[str, IncidentRecord] = {}
        self.count = 0
        self.read: dict[int, int] = {}
        """Per partition: the offset after the last record read."""

    async def poll(self) -> None:
        for tp, messages in (await self.consumer.getmany(timeout_ms=300)).items():
            for m in messages:
                record = IncidentRecord.model_validate_json(m.value)
                self.latest[record.id] = record
                self.count += 1
                self.read[tp.partition] = m.offset + 1

    def progress(self) -> str:
        """Per assigned partition: read up to / last stable offset / high watermark."""
        parts = [
            f"{tp.partition}: {self.read.get(tp.partition, 0)}/"
            f"{self.consumer.last_stable_offset(tp)}/{self.consumer.highwater(tp)}"
            for tp in sorted(self.consumer.assignment())
        ]
        return f"{self.count} records read; read/LSO/highwater {', '.join(parts)}"

    def active(self) -> list[IncidentRecord]:
        return [r for r in self.latest.values() if r.status == "active"]

    def wide(self) -> list[IncidentRecord]:
        return [r for r in self.active() if len(r.sources.articles) > 1]


def start_worker(
    kafka: KafkaSettings, tmp_path: Path, group: str
) -> tuple[subprocess.Popen[bytes], int, Path]:
    port = free_port()
    log = tmp_path / f"{group}.log"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "WIRESTREAM_KAFKA_TOPIC_PREFIX": kafka.topic_prefix,
        "WIRESTREAM_INCIDENTS_GROUP_ID": group,
        "WIRESTREAM_INCIDENTS_DATA_DIR": str(tmp_path / "data"),
    }
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wirestream.cli",
                "worker",
                "incidents",
                "--web-port",
                str(port),
            ],
            env=env,
            cwd=tmp_path,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    return process, port, log


async def until(
    condition: Callable[[], bool],
    reader: Incidents,
    process: subprocess.Popen[bytes],
    log: Path,
    describe: Callable[[], str] | None = None,
) -> None:
    """Poll ``reader`` until ``condition`` (120 s); a timeout says ``describe()`` (what differs)
    and the worker's log."""
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, f"the worker exited:\n{log_excerpt(log)}"
        if time.monotonic() >= deadline:
            detail = describe() if describe else ""
            raise AssertionError(f"timed out: {detail}\n{log_excerpt(log)}")
        await reader.poll()


def expected_incidents(extractor: Extractor, kept: list[Article]) -> dict[str, tuple[str, ...]]:
    """What the pure clustering makes of the articles that stand: incident id -> event ids."""
    members = []
    for article in kept:
        result = extractor.extract(article)
        members.extend(members_of_article(result.article, result.events))
    return {i: tuple(sorted(m.event_id or "" for m in g)) for i, g in cluster(members).items()}


def _groups(records: dict[str, IncidentRecord]) -> dict[str, tuple[str, ...]]:
    return {i: tuple(r.event_ids) for i, r in records.items() if r.status == "active"}


def _summary(records: dict[str, IncidentRecord]) -> dict[str, Any]:
    return {
        i: (r.status, r.merged_into, tuple(r.event_ids), r.casualties.model_dump_json())
        for i, r in records.items()
        if r.status == "active"
    }


@pytest.mark.integration
async def test_reports_become_one_incident_through_a_kill_a_retraction_and_a_replay(
    kafka_bootstrap: str, unique_name: Callable[[str], str], tmp_path: Path, extractor: Extractor
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("inc") + ".")
    await ensure_topics(kafka, [ARTICLES, EVENTS, RETRACTIONS, INCIDENT_MEMBERS, INCIDENTS])
    seed, kyiv, odesa = articles()
    batches = [records_of(extractor, a) for a in (seed, kyiv, odesa)]
    standing = expected_incidents(extractor, [seed, kyiv])
    reader = Incidents(kafka)
    await reader.consumer.start()
    group = unique_name("incidents")
    process, port, log = start_worker(kafka, tmp_path, group)
    try:
        await asyncio.to_thread(wait_ready, process, port, log)
        await produce(kafka, batches[0] + batches[1])
        await until(lambda: len(reader.wide()) == 1, reader, process, log)
        # SIGKILL mid-stream: no graceful commit, no table flush.
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        await produce(kafka, batches[2])
        process, port, log = start_worker(kafka, tmp_path, group)
        await asyncio.to_thread(wait_ready, process, port, log)

        def three_sources() -> bool:
            return any(len(r.sources.articles) == 3 for r in reader.wide())

        await until(three_sources, reader, process, log)
        [incident] = reader.wide()
        assert incident.sources.articles == sorted([seed.id, kyiv.id, odesa.id])
        assert incident.casualties.killed is not None and incident.casualties.killed.best == 5
        # No duplicate incidents, no lost member: every event in at most one active incident.
        members = [e for r in reader.active() for e in r.event_ids]
        assert len(members) == len(set(members))
        odesa_events = {json.loads(v)["id"] for t, _, v in batches[2] if t == "events"}
        assert odesa_events & set(incident.event_ids)

        retraction = RetractionRecord(
            id="ret_test_odesa",
            article_id=odesa.id,
            revision=None,
            story_id=odesa.id,
            reason="killed",
            retracted_at="2024-07-25T08:00:00Z",
        )
        await produce(kafka, [("retractions", odesa.id.encode(), jsonio.dumps(retraction))])
        await until(
            lambda: reader.latest[incident.id].sources.articles == sorted([seed.id, kyiv.id]),
            reader,
            process,
            log,
        )
        after = reader.latest[incident.id]
        assert not set(after.event_ids) & odesa_events
        assert after.casualties.killed is not None and after.casualties.killed.best == 4
        # The stream ends where the pure clustering of what stands ends: same ids, same members.
        await until(lambda: _groups(reader.latest) == standing, reader, process, log)
        first_run = _summary(reader.latest)
    finally:
        await reader.consumer.stop()
        process.terminate()
        process.wait(60)

    # Replay: the same input under a new prefix and a new group gives the same incidents.
    replay = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("rep") + ".")
    await ensure_topics(replay, [ARTICLES, EVENTS, RETRACTIONS, INCIDENT_MEMBERS, INCIDENTS])
    reader = Incidents(replay)
    await reader.consumer.start()
    process, port, log = start_worker(replay, tmp_path, unique_name("replay"))
    try:
        await asyncio.to_thread(wait_ready, process, port, log)
        await produce(replay, batches[0] + batches[1] + batches[2])
        await produce(replay, [("retractions", odesa.id.encode(), jsonio.dumps(retraction))])
        await until(lambda: _groups(reader.latest) == standing, reader, process, log)
        assert _summary(reader.latest) == first_run
        assert reader.latest[incident.id].sources.articles == sorted([seed.id, kyiv.id])
    finally:
        await reader.consumer.stop()
        process.terminate()
        process.wait(60)


@pytest.mark.integration
async def test_a_broker_restart_mid_stream_loses_no_member(
    broker: SessionBroker, unique_name: Callable[[str], str], tmp_path: Path, extractor: Extractor
) -> None:
    """The broker stops (controlled shutdown) and comes back while the worker runs; the report
    produced after the restart still joins the incident, and no event is in two incidents."""
    kafka = KafkaSettings(
        bootstrap_servers=broker.bootstrap_servers, topic_prefix=unique_name("incb") + "."
    )
    await ensure_topics(kafka, [ARTICLES, EVENTS, RETRACTIONS, INCIDENT_MEMBERS, INCIDENTS])
    seed, kyiv, odesa = articles()
    batches = [records_of(extractor, a) for a in (seed, kyiv, odesa)]
    process, port, log = start_worker(kafka, tmp_path, unique_name("incidents"))
    reader = Incidents(kafka)
    await reader.consumer.start()
    try:
        await asyncio.to_thread(wait_ready, process, port, log)
        await produce(kafka, batches[0] + batches[1])
        await until(lambda: len(reader.wide()) == 1, reader, process, log)
        await reader.consumer.stop()
        await broker.astop()
        await broker.astart()
        reader = Incidents(kafka)
        await reader.consumer.start()
        await produce(kafka, batches[2])
        await until(
            lambda: any(len(r.sources.articles) == 3 for r in reader.wide()), reader, process, log
        )
        members = [e for r in reader.active() for e in r.event_ids]
        assert len(members) == len(set(members))
        assert len(reader.wide()) == 1
    finally:
        await reader.consumer.stop()
        process.terminate()
        process.wait(60)


@pytest.mark.integration
async def test_a_late_copy_marking_lowers_the_independent_outlets(
    kafka_bootstrap: str, unique_name: Callable[[str], str], tmp_path: Path, extractor: Extractor
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("cop") + ".")
    await ensure_topics(kafka, [ARTICLES, EVENTS, RETRACTIONS, COPIES, INCIDENT_MEMBERS, INCIDENTS])
    seed, kyiv, _ = articles()
    # Two outlets: the copy keeps its own outlet, so only the copies stage's marking can tell.
    kyiv = kyiv.model_copy(update={"source": "Copy Desk"})
    assert seed.source is not None and kyiv.source is not None and seed.source != kyiv.source
    reader = Incidents(kafka)
    await reader.consumer.start()
    process, port, log = start_worker(kafka, tmp_path, unique_name("copies"))
    try:
        await asyncio.to_thread(wait_ready, process, port, log)
        await produce(kafka, records_of(extractor, seed) + records_of(extractor, kyiv))
        await until(lambda: len(reader.wide()) == 1, reader, process, log)
        [incident] = reader.wide()
        assert incident.sources.independent_outlets == sorted([seed.source, kyiv.source])
        assert incident.sources.independent_articles == 2
        # The copies stage, which sees every worker's articles, marks kyiv a copy of seed, after
        # the incident stage routed both articles' members.
        mark = CopyRecord(
            article_id=kyiv.id, duplicate_of=seed.id, similarity=0.97, fingerprint="0", timestamp=1
        )
        await produce(kafka, [("copies", kyiv.id.encode(), jsonio.dumps(mark))])
        await until(
            lambda: reader.latest[incident.id].sources.independent_articles == 1,
            reader,
            process,
            log,
        )
        after = reader.latest[incident.id]
        assert after.status == "active"
        assert after.sources.independent_outlets == [seed.source]
        assert after.sources.outlets == sorted([seed.source, kyiv.source])
        assert after.event_ids == incident.event_ids  # the same members, sources counted again
    finally:
        await reader.consumer.stop()
        process.terminate()
        process.wait(60)
