"""The alerter on a real broker, as a real worker process, with a real local webhook receiver.

One worker run covers the rule behaviour the issue asks for (the seed article's casualty event,
its background events, a windowed rule and its suppression, a webhook that fails twice); the rules
file checks need no broker.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from wirestream.alerter.webhooks import SIGNATURE_HEADER, verify
from wirestream.core import jsonio
from wirestream.core.contracts import AlertRecord, Article
from wirestream.core.extraction import Extractor
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import ALERT_DEAD_LETTERS, ALERTS, EVENTS, RECORD_TOPICS
from wirestream.testkit.net import free_port
from wirestream.testkit.offsets import wait_group_caught_up
from wirestream.testkit.waiting import async_wait_until
from wirestream.testkit.webhooks import WebhookReceiver
from wirestream.testkit.workers import WorkerProcess

SECRET = "integration-secret"
RULES = """\
rules:
  - name: seed-casualties
    severity: high
    match: {kind: event, event_type: ASSAULT, casualties_at_least: 1}
    webhooks: [HOOK]
  - name: every-current-assault
    severity: low
    match: {kind: event, event_type: ASSAULT}
    group_by: record
  - name: kharkiv-cluster
    severity: critical
    match: {kind: event, event_type: ASSAULT, place: [Kharkiv]}
    window: {count: 3, within: 1h}
    group_by: place
    suppress_for: 1h
"""


@pytest.fixture
def hook() -> Iterator[tuple[WebhookReceiver, str]]:
    """A webhook receiver that answers 500 to the first two requests, then 200."""
    with WebhookReceiver(ok_status=200, failures=2, failure_status=500) as rec:
        yield rec, rec.url("/hook")


def alerter(env: dict[str, str], cwd: Path) -> WorkerProcess:
    """``wirestream worker alerter`` in ``cwd``, its log in ``alerter.log`` (not started)."""
    return WorkerProcess(free_port(), env, cwd / "alerter.log", service="alerter", cwd=cwd)


def served_topics(kafka: KafkaSettings, group: str) -> list[str]:
    """Every topic the alerter's group reads: the event records, its hits, the alerts."""
    return [EVENTS.name(kafka), f"{kafka.topic_prefix}{group}-hits", ALERTS.name(kafka)]


def kharkiv_event(n: int) -> dict[str, Any]:
    span = {"start": 0, "end": 6, "text": "struck", "field": "body"}
    location = {"entity_id": None, "name": "Kharkiv", "country": "UA", "geo": None, "span": span}
    return {
        "kind": "event",
        "schema_version": 1,
        "id": f"evt_kharkiv_{n}",
        "article_id": f"art_kharkiv_{n}",
        "type": "ASSAULT",
        "mode": None,
        "trigger": span,
        "evidence": {**span, "text": f"Missiles struck Kharkiv (report {n})."},
        "actors": [],
        "recipients": [],
        "location": location,
        "locations": [location],
        "date": None,
        "quantities": [],
        "casualties": {"killed": None, "injured": None},
        "weapons": [],
        "claim": None,
        "timeframe": "current",
        "confidence": 0.9,
    }


async def produce(kafka: KafkaSettings, records: list[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers)
    await producer.start()
    try:
        for record in records:
            topic = RECORD_TOPICS[record["kind"]].name(kafka)
            await producer.send_and_wait(
                topic, jsonio.dumps(record), key=record["article_id"].encode()
            )
    finally:
        await producer.stop()


async def read_all(consumer: AIOKafkaConsumer, out: dict[str, list[bytes]]) -> None:
    batches = await consumer.getmany(timeout_ms=300)
    for tp, messages in batches.items():
        out.setdefault(tp.topic, []).extend(m.value for m in messages)


async def read_to(
    consumer: AIOKafkaConsumer,
    out: dict[str, list[bytes]],
    ends: dict[TopicPartition, int],
    topic: str,
) -> bool:
    """Read on; True once ``consumer`` is at ``ends`` on every partition of ``topic``."""
    await read_all(consumer, out)
    for tp, end in ends.items():
        if tp.topic == topic and await consumer.position(tp) < end:
            return False
    return True


def worker_env(kafka: KafkaSettings, tmp_path: Path, rules: Path, group: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "WIRESTREAM_KAFKA_TOPIC_PREFIX": kafka.topic_prefix,
        "WIRESTREAM_ALERTER_RULES_FILE": str(rules),
        "WIRESTREAM_ALERTER_GROUP_ID": group,
        "WIRESTREAM_ALERTER_DATA_DIR": str(tmp_path / "data"),
        "WIRESTREAM_ALERTER_WEBHOOK_ALLOWLIST": "127.0.0.1",
        "WIRESTREAM_ALERTER_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8",
        "WIRESTREAM_ALERTER_WEBHOOK_SECRET": SECRET,
        "WIRESTREAM_ALERTER_WEBHOOK_BACKOFF": "0.2",
        "WIRESTREAM_ALERTER_WEBHOOK_RETRIES": "4",
    }


@pytest.mark.integration
async def test_rules_fire_window_suppresses_webhook_retries(
    kafka_bootstrap: str,
    unique_name: Callable[[str], str],
    tmp_path: Path,
    hook: tuple[WebhookReceiver, str],
    extractor: Extractor,
    seed_article: Article,
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("al") + ".")
    await ensure_topics(kafka, [*RECORD_TOPICS.values(), ALERTS, ALERT_DEAD_LETTERS])
    receiver, url = hook
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES.replace("HOOK", url))
    seed = [
        json.loads(jsonio.dumps(r))
        for result in extractor.extract_many([seed_article])
        for r in result.records
    ]
    events = [r for r in seed if r["kind"] == "event"]
    casualty = [e["id"] for e in events if e["casualties"]["killed"] or e["casualties"]["injured"]]
    current = {e["id"] for e in events if e["type"] == "ASSAULT" and e["timeframe"] == "current"}
    background = {e["id"] for e in events if e["timeframe"] == "background"}
    assert len(casualty) == 1 and background and current

    group = unique_name("alerter")
    worker = alerter(worker_env(kafka, tmp_path, rules, group), tmp_path).start()
    consumer = AIOKafkaConsumer(
        ALERTS.name(kafka),
        ALERT_DEAD_LETTERS.name(kafka),
        bootstrap_servers=kafka.bootstrap_servers,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    seen: dict[str, list[bytes]] = {}

    def progress() -> str:
        return (
            f"alerts so far: {sorted(a.rule for a in alerts())}, webhook received "
            f"{len(receiver.received)}, expected {expected_rules}:\n{worker.log()}"
        )

    async def until(condition: Callable[[], bool], timeout: float) -> None:
        async def check() -> bool:
            assert worker.alive(), f"the alerter exited:\n{worker.log()}"
            await read_all(consumer, seen)
            return condition()

        await async_wait_until("the alerts", check, timeout, detail=progress)

    expected_rules = 0

    def alerts() -> list[AlertRecord]:
        return [AlertRecord.model_validate_json(v) for v in seen.get(ALERTS.name(kafka), [])]

    try:
        await asyncio.to_thread(worker.wait_ready)
        kharkiv = [kharkiv_event(i) for i in range(1, 6)]
        await produce(kafka, seed + kharkiv)
        expected_rules = len(current) + len(kharkiv) + 2
        await until(lambda: len(alerts()) >= expected_rules and receiver.received != [], 90)
        # Anything extra (a repeat, a late duplicate) is on the alerts topic once the group has
        # committed all it reads: it commits only what it has handled and sent.
        ends = await wait_group_caught_up(
            kafka, kafka.topic_prefix + group, served_topics(kafka, group), detail=progress
        )
        await async_wait_until(
            "the alerts topic read to its end",
            lambda: read_to(consumer, seen, ends, ALERTS.name(kafka)),
            30,
        )

        by_rule: dict[str, list[AlertRecord]] = {}
        for alert in alerts():
            by_rule.setdefault(alert.rule, []).append(alert)
        [fired] = by_rule["seed-casualties"]
        assert fired.record_ids == casualty and fired.article_ids == [seed_article.id]
        assert "killed 4, injured 30" in fired.summary
        fired_ids = {i for a in by_rule["every-current-assault"] for i in a.record_ids}
        assert fired_ids == current | {e["id"] for e in kharkiv}
        assert not fired_ids & background
        [cluster] = by_rule["kharkiv-cluster"]
        # the third of five matching events fires (which three depends on the order the
        # partitions are read in); the other two fall in the suppression window
        assert len(cluster.record_ids) == 3
        assert set(cluster.record_ids) < {e["id"] for e in kharkiv}
        assert cluster.window_key == "Kharkiv"

        assert receiver.attempts == 3
        [hit] = receiver.received
        assert AlertRecord.model_validate_json(hit.body) == fired
        assert verify(hit.body, SECRET, hit.headers[SIGNATURE_HEADER])
        assert seen.get(ALERT_DEAD_LETTERS.name(kafka), []) == []
    finally:
        await consumer.stop()
        worker.stop()


def metric(port: int, name: str) -> float:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as resp:
            text = resp.read().decode()
    except OSError:
        return 0.0
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


@pytest.mark.integration
async def test_window_counts_survive_a_restart(
    kafka_bootstrap: str, unique_name: Callable[[str], str], tmp_path: Path
) -> None:
    """Two events, a graceful restart, a third event: the window (a faust table, recovered from
    its changelog) still holds the first two, so the rule fires."""
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("ar") + ".")
    await ensure_topics(kafka, [*RECORD_TOPICS.values(), ALERTS, ALERT_DEAD_LETTERS])
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES.replace("    webhooks: [HOOK]\n", ""))
    group = unique_name("alerter")
    env = worker_env(kafka, tmp_path, rules, group)
    hits = 'wirestream_alerter_hits_total{rule="kharkiv-cluster"}'

    first = alerter(env, tmp_path).start()
    try:
        await asyncio.to_thread(first.wait_ready)
        await produce(kafka, [kharkiv_event(1), kharkiv_event(2)])
        await async_wait_until(
            "two hits", lambda: metric(first.web_port, hits) == 2, 90, detail=first.log
        )
        # the evaluate agent has read both hits (and written its table) once the group has
        # committed them
        await wait_group_caught_up(
            kafka, kafka.topic_prefix + group, served_topics(kafka, group)[:2], detail=first.log
        )
    finally:
        assert first.stop(timeout=60) == 0
    second = alerter(env, tmp_path).start()
    consumer = AIOKafkaConsumer(
        ALERTS.name(kafka), bootstrap_servers=kafka.bootstrap_servers, auto_offset_reset="earliest"
    )
    await consumer.start()
    seen: dict[str, list[bytes]] = {}
    try:
        await asyncio.to_thread(second.wait_ready)
        await produce(kafka, [kharkiv_event(3)])

        def fired() -> list[AlertRecord]:
            values = seen.get(ALERTS.name(kafka), [])
            return [
                a
                for a in map(AlertRecord.model_validate_json, values)
                if a.rule == "kharkiv-cluster"
            ]

        async def poll() -> None:
            await read_all(consumer, seen)

        async def any_fired() -> bool:
            assert second.alive(), second.log()
            await poll()
            return bool(fired())

        await async_wait_until("the kharkiv-cluster alert", any_fired, 90, detail=second.log)
        [alert] = fired()
        assert sorted(alert.record_ids) == ["evt_kharkiv_1", "evt_kharkiv_2", "evt_kharkiv_3"]
    finally:
        await consumer.stop()
        second.stop(timeout=60)


EVERY_EVENT = """\
rules:
  - name: every-assault
    severity: low
    match: {kind: event, event_type: ASSAULT}
    group_by: record
"""


@pytest.mark.integration
async def test_a_sigkill_while_events_stream_in_loses_no_alert(
    kafka_bootstrap: str, unique_name: Callable[[str], str], tmp_path: Path
) -> None:
    """The alerter's agents consume through faust like the incident stage's: SIGKILLed while
    events stream in over every partition (no graceful commit, no table flush) and started
    again, it alerts on every event, those before the kill included (issue 16's loss was in
    partitions without a committed offset; ``fausthooks.seek_uncommitted``)."""
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("ak") + ".")
    await ensure_topics(kafka, [*RECORD_TOPICS.values(), ALERTS, ALERT_DEAD_LETTERS])
    rules = tmp_path / "rules.yaml"
    rules.write_text(EVERY_EVENT)
    env = worker_env(kafka, tmp_path, rules, unique_name("alerter"))
    events = [kharkiv_event(n) for n in range(48)]
    consumer = AIOKafkaConsumer(
        ALERTS.name(kafka), bootstrap_servers=kafka.bootstrap_servers, auto_offset_reset="earliest"
    )
    await consumer.start()
    seen: dict[str, list[bytes]] = {}

    async def alerted() -> set[str]:
        await read_all(consumer, seen)
        alerts = map(AlertRecord.model_validate_json, seen.get(ALERTS.name(kafka), []))
        return {r for a in alerts if a.rule == "every-assault" for r in a.record_ids}

    worker = alerter(env, tmp_path).start()
    try:
        await asyncio.to_thread(worker.wait_ready)
        await produce(kafka, events[:32])

        async def some() -> bool:
            assert worker.alive(), worker.log()
            return len(await alerted()) >= 4

        await async_wait_until("the first alerts", some, 90, detail=worker.log)
        worker.kill()
        worker = alerter(env, tmp_path).start()
        await asyncio.to_thread(worker.wait_ready)
        await produce(kafka, events[32:])
        expected = {e["id"] for e in events}

        async def every() -> bool:
            assert worker.alive(), worker.log()
            return await alerted() == expected

        # the killed member's session must expire before its partitions move (up to a minute)
        await async_wait_until("an alert for every event", every, 180, detail=worker.log)
    finally:
        await consumer.stop()
        worker.stop(timeout=60)


BAD_RULES = """\
rules:
  - name: ok
    severity: high
    match: {kind: event}
  - name: broken
    severity: high
    match:
      kind: quote
      casualties_at_least: 3
"""


def run_check(tmp_path: Path, text: str, extra: dict[str, str] | None = None) -> Any:
    rules = tmp_path / "rules.yaml"
    rules.write_text(text)
    env = {
        **os.environ,
        "WIRESTREAM_ALERTER_RULES_FILE": str(rules),
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",  # never reached: it fails first
        **(extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "wirestream.cli", "worker", "alerter"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_malformed_rules_file_is_refused_with_its_line(tmp_path: Path) -> None:
    done = run_check(tmp_path, BAD_RULES)
    assert done.returncode == 2
    assert (
        f"{tmp_path / 'rules.yaml'}:9: rules[1].match.casualties_at_least: applies to event "
        "and incident records, not quote" in done.stderr
    )
    broken_yaml = run_check(tmp_path, BAD_RULES.replace("kind: quote", "kind: [quote"))
    assert broken_yaml.returncode == 2 and "rules.yaml:9: not valid YAML" in broken_yaml.stderr


def test_webhook_to_loopback_is_refused_at_startup(tmp_path: Path) -> None:
    text = BAD_RULES.replace("kind: quote\n      casualties_at_least: 3\n", "kind: quote\n")
    text += "    webhooks: [http://127.0.0.1:9/hook]\n"
    done = run_check(tmp_path, text, {"WIRESTREAM_ALERTER_WEBHOOK_ALLOWLIST": "127.0.0.1"})
    assert done.returncode == 2
    assert "rules.yaml:9: rules[1].webhooks[0]: webhook host '127.0.0.1' resolves to 127.0.0.1" in (
        done.stderr
    )
    assert "WIRESTREAM_ALERTER_WEBHOOK_ALLOW_NETWORKS" in done.stderr
