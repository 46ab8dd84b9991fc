"""The archiver on a real broker, as a real worker process.

Records are the extractor's records of the seed article (made in the test process), published to
a unique topic prefix; the archive is a temporary directory.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from aiokafka import AIOKafkaProducer

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import RECORD_TOPICS
from wirestream.testkit.net import free_port
from wirestream.testkit.offsets import committed_offsets, rewind, wait_group_caught_up_sync
from wirestream.testkit.workers import WorkerProcess

pytestmark = pytest.mark.integration


def archiver(env: dict[str, str], cwd: Path) -> WorkerProcess:
    """``wirestream worker archiver`` in ``cwd`` (a scratch dir), its log in ``archiver.log``."""
    full = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    return WorkerProcess(free_port(), full, cwd / "archiver.log", service="archiver", cwd=cwd)


def record_topics(kafka: KafkaSettings) -> list[str]:
    return [spec.name(kafka) for spec in RECORD_TOPICS.values()]


def wait_caught_up(kafka: KafkaSettings, group: str) -> None:
    """Until the archiver's group has committed every record it reads: it commits an offset only
    after the file holding that record is written, so nothing is left to flush."""
    wait_group_caught_up_sync(kafka, group, record_topics(kafka))


@pytest.fixture
def ws_kafka(kafka_bootstrap: str, unique_name: Callable[[str], str]) -> KafkaSettings:
    settings = KafkaSettings(
        bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("ar") + "."
    )
    asyncio.run(ensure_topics(settings, list(RECORD_TOPICS.values())))
    return settings


@pytest.fixture(scope="module")
def seed_values(extractor: Extractor, seed_article: Article) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for result in extractor.extract_many([seed_article]):
        out += [(r.kind, jsonio.dumps(r)) for r in result.records]
    return out


async def produce(kafka: KafkaSettings, values: list[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=True)
    await producer.start()
    try:
        for kind, value in values:
            key = json.loads(value)["article_id"].encode()
            await producer.send_and_wait(RECORD_TOPICS[kind].name(kafka), value, key=key)
    finally:
        await producer.stop()


def raw_rows(archive: Path) -> list[tuple[Any, ...]]:
    """Every row in every file (no de-duplication): (kind folder, topic, partition, offset)."""
    files = sorted(str(p) for p in archive.rglob("*.parquet") if not p.name.startswith("."))
    if not files:
        return []
    con = duckdb.connect()
    return con.execute(
        "SELECT regexp_extract(filename, 'kind=([^/]+)/', 1), _topic, _partition, _offset "
        f"FROM read_parquet({files!r}, union_by_name=true, filename=true, hive_partitioning=false)"
    ).fetchall()


def query(archive: Path, sql: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wirestream.cli",
            "archive",
            "query",
            sql,
            "--format",
            "json",
            "--archive",
            str(archive),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_crash_replay_and_schema_evolution(
    ws_kafka: KafkaSettings,
    unique_name: Callable[[str], str],
    tmp_path: Path,
    workers: list[WorkerProcess],
    seed_values: list[tuple[str, bytes]],
) -> None:
    archive = tmp_path / "archive"
    group_id = unique_name("archiver")
    group = ws_kafka.topic_prefix + group_id
    env = {
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": ws_kafka.bootstrap_servers,
        "WIRESTREAM_KAFKA_TOPIC_PREFIX": ws_kafka.topic_prefix,
        "WIRESTREAM_ARCHIVER_ARCHIVE_URL": str(archive),
        "WIRESTREAM_ARCHIVER_GROUP_ID": group_id,
        "WIRESTREAM_ARCHIVER_FLUSH_SECONDS": "1",
    }
    asyncio.run(produce(ws_kafka, seed_values))
    n = len(seed_values)
    distinct = {json.loads(v)["id"] for _, v in seed_values}

    # 1. a worker that dies (SIGKILL) right after its first file is renamed, before the commit
    crashing = archiver({**env, "WIRESTREAM_ARCHIVER_EXIT_AFTER_WRITE": "1"}, tmp_path)
    workers.append(crashing.start())
    assert crashing.process is not None
    assert crashing.process.wait(120) == -9, crashing.log()
    leftovers = raw_rows(archive)
    assert leftovers, "the crashing worker wrote a file before dying"
    assert not asyncio.run(committed_offsets(ws_kafka, group)), "nothing was committed"

    # 2. a normal worker: loses nothing, duplicates nothing
    worker = archiver(env, tmp_path)
    workers.append(worker.start())
    worker.wait_ready()
    wait_caught_up(ws_kafka, group)
    rows = raw_rows(archive)
    assert len(rows) == n and len(set(rows)) == n, worker.log()
    with urllib.request.urlopen(f"http://127.0.0.1:{worker.web_port}/ready", timeout=5) as resp:
        assert resp.status == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{worker.web_port}/metrics", timeout=5) as resp:
        metrics = resp.read().decode()
    archived = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("wirestream_archiver_records_total{")
    )
    assert archived >= n  # this worker's own writes (more if a rebalance made it rewrite)

    # 3. the same records published again (a replay upstream): archived, read once
    asyncio.run(produce(ws_kafka, seed_values))
    wait_caught_up(ws_kafka, group)
    assert len(raw_rows(archive)) == 2 * n
    counts = query(
        archive,
        "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM entities) + "
        "(SELECT count(*) FROM quotes) + (SELECT count(*) FROM events) AS n",
    )
    assert counts == [{"n": len(distinct)}]

    # 4. the group's offsets reset to 0 (a replay of the same offsets): the same files again
    worker.stop()
    files_before = sorted(p.relative_to(archive) for p in archive.rglob("*.parquet"))
    asyncio.run(rewind(ws_kafka, group, record_topics(ws_kafka)))
    worker = archiver(env, tmp_path)
    workers.append(worker.start())
    worker.wait_ready()
    wait_caught_up(ws_kafka, group)
    rows = raw_rows(archive)
    assert len(rows) == 2 * n and len(set(rows)) == 2 * n, worker.log()
    files_after = sorted(p.relative_to(archive) for p in archive.rglob("*.parquet"))
    assert {str(p.parent) for p in files_after} == {str(p.parent) for p in files_before}

    # 5. schema evolution: a newer producer adds an optional field
    entity = next(json.loads(v) for k, v in seed_values if k == "entity")
    entity.update(id="ent_newer", wikidata_id="Q1899")
    asyncio.run(produce(ws_kafka, [("entity", jsonio.dumps(entity))]))
    wait_caught_up(ws_kafka, group)
    newer = query(archive, "SELECT id, wikidata_id FROM entities WHERE wikidata_id IS NOT NULL")
    assert newer == [{"id": "ent_newer", "wikidata_id": "Q1899"}]
    old = query(archive, "SELECT count(*) AS n FROM entities WHERE wikidata_id IS NULL")
    assert old[0]["n"] >= 1

    # 6. compaction against the group's committed offsets: fewer files, the same answers
    before = query(archive, "SELECT count(*) AS n FROM entities")
    done = subprocess.run(
        [sys.executable, "-m", "wirestream.cli", "archive", "compact", "--archive", str(archive)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "0 uncommitted files left alone" in done.stdout, done.stdout
    assert query(archive, "SELECT count(*) AS n FROM entities") == before
    assert len(raw_rows(archive)) < 2 * n + 1, done.stdout  # duplicates merged away
