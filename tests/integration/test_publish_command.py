"""``wirestream publish`` on a real broker: one bad line is rejected alone, the others still go out."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.kafka import CreateTopic
from wirestream.core import jsonio
from wirestream.core.contracts import MAX_RAW_MESSAGE_BYTES
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "wirestream.cli"]


def cli_env(kafka: KafkaSettings) -> dict[str, str]:
    return {
        **os.environ,
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "WIRESTREAM_KAFKA_TOPIC_PREFIX": kafka.topic_prefix,
    }


def tail_json(env: dict[str, str], topic: str, expected: int) -> list[bytes]:
    """Every message of ``topic`` (waits at most 10 s idle for up to ``expected + 1`` of them)."""
    command = [*CLI, "tail", topic, "--from-beginning", "--json", "--timeout", "10"]
    command += ["--max", str(expected + 1)]
    done = subprocess.run(command, env=env, capture_output=True, timeout=90, check=True)
    return done.stdout.splitlines()


def test_publish_rejects_an_oversized_line_and_sends_the_others(
    kafka_bootstrap: str, unique_name: Callable[[str], str], tmp_path: Path
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("ws") + ".")
    asyncio.run(ensure_topics(kafka))
    env = cli_env(kafka)
    first = {"id": "pub-1", "body": "Talks resumed in Geneva on Monday."}
    huge = {"id": "pub-huge", "body": "x", "metadata": {"blob": "y" * (MAX_RAW_MESSAGE_BYTES + 10)}}
    last = {"id": "pub-3", "body": "Farmers near Lagos reported a poor harvest."}
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(jsonio.dumps(a) for a in (first, huge, last)) + b"\n")

    checked = subprocess.run(
        [*CLI, "publish", "--no-progress", str(path)], env=env, capture_output=True, timeout=120
    )
    assert checked.returncode == 1, checked.stderr
    assert f"rejected {path}:2: ".encode() in checked.stderr
    assert b"over the raw topic's limit of 8,388,608 bytes" in checked.stderr
    assert b"published 2 message(s)" in checked.stderr

    raw = subprocess.run(
        [*CLI, "publish", "--raw", "--no-progress", str(path)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert raw.returncode == 1, raw.stderr
    assert f"rejected {path}:2: ".encode() in raw.stderr
    values = tail_json(env, "raw", 4)
    assert sorted(values) == sorted(
        [jsonio.dumps(first), jsonio.dumps(last), jsonio.dumps(first), jsonio.dumps(last)]
    )


def test_publish_survives_lines_the_broker_refuses(
    kafka_bootstrap: str,
    unique_name: Callable[[str], str],
    create_topic: CreateTopic,
    tmp_path: Path,
) -> None:
    """A topic with a 2,000-byte max.message.bytes: the broker itself refuses the long lines.

    One partition, so the lines after a refused one land where the idempotent producer's sequence
    was broken: they must still arrive (the producer is replaced and they are sent again).
    """
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("ws") + ".")
    topic = create_topic(config={"max.message.bytes": "2000"})
    lines = [b'{"n": 1}', b"z" * 5000, b'{"n": 3}', b'{"n": 4}', b"w" * 9000, b'{"n": 6}']
    path = tmp_path / "lines.txt"
    path.write_bytes(b"\n".join(lines) + b"\n")
    env = cli_env(kafka)
    done = subprocess.run(
        [*CLI, "publish", "--raw", "--no-progress", "--topic", topic, str(path)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    for number in (2, 5):
        assert f"rejected {path}:{number}: the broker refused it".encode() in done.stderr
    assert b"MessageSizeTooLargeError" in done.stderr
    assert b"published 4 message(s)" in done.stderr, done.stderr
    assert tail_json(env, topic, 4) == [b'{"n": 1}', b'{"n": 3}', b'{"n": 4}', b'{"n": 6}']
