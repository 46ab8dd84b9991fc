"""Delivery under faults, against the real broker, with workers as real processes (issue 12).

- poison that passes validation or is too large, mixed with valid articles: each dead-lettered,
  no neighbour lost, the worker healthy afterwards without a restart;
- SIGKILL of one of two workers: the survivor processes the killed worker's partitions within
  45 s, nothing lost, no record visible twice to a ``read_committed`` consumer;
- a stuck partition (an injected fault that makes its every transaction fail) turns ``/health``
  red within 90 s while the other partitions go on;
- SIGTERM ends a busy worker within its shutdown bound.

Articles are generated from sentences written for the tests (``make_article``).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from integration.test_extractor_stream import make_article
from wirestream.core import jsonio
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.records import RecordCollector, collect_complete, publish
from wirestream.testkit.waiting import wait_until
from wirestream.testkit.workers import WorkerProcess, start_workers

pytestmark = pytest.mark.integration

MARKER = "integration-fault-marker"
TAKEOVER_BOUND = 45.0
"""Seconds within which a survivor must process a killed worker's partitions (issue 12)."""


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def deep_article_bytes() -> bytes:
    """A valid-looking article whose metadata nests 300 levels (orjson cannot write that)."""
    article = make_article(9000)
    article["id"] = "poison-deep"
    text = json.dumps(article)
    return text[:-1].encode() + b', "metadata": ' + json.dumps(nested(300)).encode() + b"}"


def status(worker: WorkerProcess, path: str) -> tuple[int, dict[str, Any]]:
    code, body = worker.get(path)
    return code, (json.loads(body) if body else {})


def visible_twice(collector: RecordCollector) -> dict[str, int]:
    """Record ids a read_committed consumer saw more than once."""
    counts: dict[str, int] = {}
    for key in ("articles", "entities", "quotes", "events"):
        for value in collector.raw_values[key]:
            record_id = json.loads(value)["id"]
            counts[record_id] = counts.get(record_id, 0) + 1
    return {k: n for k, n in counts.items() if n > 1}


def test_poison_is_dead_lettered_and_neighbours_are_untouched(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    kafka = ws_kafka
    workers.extend(
        start_workers(
            1,
            kafka,
            app_id=unique_name("extractor"),
            work_dir=tmp_path,
            extra_env={"WIRESTREAM_EXTRACTOR_FAULT_MARKER": MARKER},
        )
    )
    articles = [make_article(4000 + i) for i in range(24)]
    fault = make_article(4100) | {"id": "poison-raises", "metadata": {"wirestream_fault": MARKER}}
    poison: dict[str, bytes] = {
        "poison-deep": deep_article_bytes(),
        "poison-7mb": b"\x00not json " + os.urandom(7_000_000 - 10),
        "poison-raises": jsonio.dumps(fault),
    }
    messages: list[tuple[bytes | None, bytes]] = [
        (str(a["id"]).encode(), jsonio.dumps(a)) for a in articles
    ]
    for position, (key, value) in zip((3, 11, 19), poison.items(), strict=True):
        messages.insert(position, (key.encode(), value))
    asyncio.run(publish(kafka, messages))
    ids = [str(a["id"]) for a in articles]
    collector = asyncio.run(
        collect_complete(kafka, ids + list(poison), dead_letters=len(poison), timeout=180.0)
    )

    assert all(collector.articles[i].dead_letters == [] for i in ids)
    stages = {key: collector.articles[key].dead_letters[0] for key in poison}
    assert stages["poison-deep"]["stage"] == "validate"
    assert "metadata" in stages["poison-deep"]["error_message"]
    assert stages["poison-7mb"]["stage"] == "decode"
    assert stages["poison-7mb"]["original_truncated"] is True
    assert stages["poison-7mb"]["original_size"] == 7_000_000
    assert (stages["poison-raises"]["stage"], stages["poison-raises"]["error_type"]) == (
        "extract",
        "InjectedFault",
    )
    assert visible_twice(collector) == {}
    worker = workers[0]
    assert worker.alive()
    code, health = status(worker, "/health")
    assert code == 200 and health["restarts"] == 0, health
    _, ready = status(worker, "/ready")
    assert code == 200 and all(p["lag"] == 0 for p in ready["partitions"]), ready


def test_sigkill_of_one_of_two_workers_is_taken_over_within_45s(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    """Default session timeout: the survivor must resume the killed worker's partitions within
    45 s of the kill; every article comes out once to a read_committed consumer."""
    kafka = ws_kafka
    workers.extend(start_workers(2, kafka, app_id=unique_name("extractor"), work_dir=tmp_path))
    articles = [make_article(5000 + i) for i in range(240)]
    ids = [str(a["id"]) for a in articles]
    victim, survivor = workers

    async def kill_mid_stream() -> float:
        collector = RecordCollector(kafka)
        await collector.start()
        try:
            await publish(
                kafka, [(i.encode(), jsonio.dumps(a)) for i, a in zip(ids, articles, strict=True)]
            )
            while len(ids) - len(collector.missing(ids)) < len(ids) // 4:
                await collector.poll()
            owned = [p["partition"] for p in status(victim, "/ready")[1]["partitions"]]
            assert owned, "the victim held no partition"
            victim.kill()
            killed = time.monotonic()
            base: dict[int, int | None] | None = None
            while time.monotonic() - killed < TAKEOVER_BOUND + 30:
                await collector.poll(timeout=0.2)
                code, ready = status(survivor, "/ready")
                held = {p["partition"]: p["committed"] for p in ready.get("partitions", [])}
                if code == 200 and all(p in held for p in owned):
                    if base is None:
                        base = {p: held[p] for p in owned}
                    moved = all(held[p] != base[p] for p in owned)
                    if moved or not collector.missing(ids):
                        return time.monotonic() - killed
            raise AssertionError(f"the survivor did not take over {owned}")
        finally:
            await collector.stop()

    took = asyncio.run(kill_mid_stream())
    assert took <= TAKEOVER_BOUND, f"takeover took {took:.1f}s"
    collector = asyncio.run(collect_complete(kafka, ids, timeout=180.0))
    assert visible_twice(collector) == {}
    assert collector.raw_values["raw_dlq"] == []
    assert status(survivor, "/health")[0] == 200


def test_a_stuck_partition_turns_health_red_and_the_others_go_on(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    kafka = ws_kafka
    workers.extend(
        start_workers(
            1,
            kafka,
            app_id=unique_name("extractor"),
            work_dir=tmp_path,
            extra_env={
                "WIRESTREAM_EXTRACTOR_FAULT_MARKER": MARKER,
                "WIRESTREAM_EXTRACTOR_STALL_TIMEOUT": "10",
            },
        )
    )
    worker = workers[0]
    stuck = make_article(6000) | {
        "id": "stuck",
        "metadata": {"wirestream_fault": f"{MARKER}:stall"},
    }
    others = [make_article(6001 + i) for i in range(12)]
    asyncio.run(publish(kafka, [(b"stuck", jsonio.dumps(stuck))]))
    published = time.monotonic()
    asyncio.run(publish(kafka, [(str(a["id"]).encode(), jsonio.dumps(a)) for a in others]))

    seen: list[dict[str, Any]] = [{}]

    def unhealthy() -> bool:
        code, seen[0] = status(worker, "/health")
        return code == 503

    wait_until(
        "/health to say 503 with a stuck partition",
        unhealthy,
        90 - (time.monotonic() - published),
        interval=0.5,
        detail=lambda: f"last /health: {seen[0]}",
    )
    health = seen[0]
    assert "no committed progress" in health["problems"][0]
    _, ready = status(worker, "/ready")
    stalled = [p for p in ready["partitions"] if p["stalled_seconds"] >= 10]
    assert len(stalled) == 1 and stalled[0]["lag"] >= 1 and stalled[0]["failures"] >= 1, ready
    metrics = worker.get("/metrics")[1].decode()
    assert "wirestream_extractor_healthy 0.0" in metrics
    stuck_partition = stalled[0]["partition"]
    same = [a for a in others if _partition_of(kafka, str(a["id"])) == stuck_partition]
    ids = [str(a["id"]) for a in others if a not in same]
    asyncio.run(collect_complete(kafka, ids, timeout=60.0))


def _partition_of(kafka: KafkaSettings, key: str) -> int:
    """The raw partition the default partitioner gives ``key`` (murmur2, 4 partitions)."""
    from aiokafka.partitioner import DefaultPartitioner

    partitions = list(range(4))
    return int(DefaultPartitioner()(key.encode(), partitions, partitions))


def test_sigterm_ends_a_busy_worker_within_its_bound(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    kafka = ws_kafka
    workers.extend(start_workers(1, kafka, app_id=unique_name("extractor"), work_dir=tmp_path))
    articles = [make_article(7000 + i) for i in range(150)]
    asyncio.run(publish(kafka, [(str(a["id"]).encode(), jsonio.dumps(a)) for a in articles]))
    worker = workers[0]
    wait_until(
        "a first committed offset",
        lambda: any(
            (p["committed"] or 0) > 0 for p in status(worker, "/ready")[1].get("partitions", [])
        ),
        120,
        detail=worker.log,
    )
    started = time.monotonic()
    assert worker.stop(timeout=60) == 0
    took = time.monotonic() - started
    assert took < 30.0, f"SIGTERM took {took:.1f}s"
    log = worker.log_path.read_text()
    assert '"message":"stopped"' in log
