"""TLS and SASL against a real broker with a SASL_SSL listener (``fixtures.secure_kafka``).

- every mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) connects, creates topics, produces and
  consumes with the options every Wirestream client is built from;
- a wrong password and an untrusted certificate each fail within seconds, in the library and in
  the ``publish`` / ``tail`` / ``topics`` commands, with a message naming the setting and never the
  password;
- the whole pipeline runs through the listener: ``wirestream publish`` -> extractor worker ->
  archiver and alerter workers -> ``wirestream tail``; the workers serve only their own views.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from fixtures.secure_kafka import SecureKafka
from wirestream.errors import ConfigurationError
from wirestream.streaming.connection import check_connection
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import SaslMechanism
from wirestream.streaming.web import PROMETHEUS_CONTENT_TYPE
from wirestream.testkit.net import free_port
from wirestream.testkit.waiting import wait_until
from wirestream.testkit.workers import WorkerProcess, start_workers

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "wirestream.cli"]
FAIL_FAST = 30.0
"""Seconds within which a misconfigured client must have given up (the check's own limit is 10)."""
SEED = Path(__file__).resolve().parents[1] / "data" / "seed_article.json"


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
async def test_every_mechanism_produces_and_consumes(
    secure_kafka: SecureKafka, mechanism: SaslMechanism, unique_name: Callable[[str], str]
) -> None:
    kafka = secure_kafka.settings(mechanism, topic_prefix=unique_name("sasl") + ".")
    assert await check_connection(kafka) is True
    from wirestream.streaming.topics import RAW_ARTICLES

    created = await ensure_topics(kafka, [RAW_ARTICLES])
    assert created == [RAW_ARTICLES.name(kafka)]
    producer = AIOKafkaProducer(**kafka.client_options(), enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(RAW_ARTICLES.name(kafka), b"over tls", key=b"k")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        RAW_ARTICLES.name(kafka), **kafka.client_options(), auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), 30)
    finally:
        await consumer.stop()
    assert message.value == b"over tls"


async def test_wrong_password_fails_fast_naming_the_setting(secure_kafka: SecureKafka) -> None:
    kafka = secure_kafka.settings("SCRAM-SHA-512", sasl_password="not-the-password")
    started = time.monotonic()
    with pytest.raises(ConfigurationError) as caught:
        await check_connection(kafka)
    assert time.monotonic() - started < FAIL_FAST
    message = str(caught.value)
    assert "WIRESTREAM_KAFKA_SASL_PASSWORD" in message and "scram512-user" in message
    assert "not-the-password" not in message


async def test_untrusted_certificate_fails_fast_naming_the_setting(
    secure_kafka: SecureKafka,
) -> None:
    kafka = secure_kafka.settings("PLAIN", ssl_cafile=secure_kafka.other_ca_file)
    started = time.monotonic()
    with pytest.raises(ConfigurationError, match="WIRESTREAM_KAFKA_SSL_CAFILE"):
        await check_connection(kafka)
    assert time.monotonic() - started < FAIL_FAST


async def test_plaintext_client_on_the_tls_listener_does_not_hang(
    secure_kafka: SecureKafka,
) -> None:
    kafka = secure_kafka.settings("PLAIN", security_protocol="PLAINTEXT", connect_timeout=3.0)
    started = time.monotonic()
    with pytest.raises(ConfigurationError, match="WIRESTREAM_KAFKA_SECURITY_PROTOCOL"):
        await check_connection(kafka)
    assert time.monotonic() - started < FAIL_FAST


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"sasl_password": "wrong-password-9"}, "WIRESTREAM_KAFKA_SASL_PASSWORD"),
        ({"ssl_cafile": "OTHER_CA"}, "WIRESTREAM_KAFKA_SSL_CAFILE"),
    ],
    ids=["wrong-password", "untrusted-certificate"],
)
def test_commands_fail_fast_naming_the_setting(
    secure_kafka: SecureKafka, tmp_path: Path, change: dict[str, object], named: str
) -> None:
    if change.get("ssl_cafile") == "OTHER_CA":
        change = {"ssl_cafile": secure_kafka.other_ca_file}
    env = secure_kafka.environment("SCRAM-SHA-256", **change)
    for command in (
        ["publish", "--no-progress", str(SEED)],
        ["tail", "raw", "--max", "1", "--timeout", "5"],
        ["topics", "list"],
    ):
        started = time.monotonic()
        done = subprocess.run(
            [*CLI, *command], env=env, capture_output=True, text=True, timeout=120
        )
        assert time.monotonic() - started < FAIL_FAST + 20  # interpreter start-up included
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert named in done.stderr, (command, done.stderr)
        assert "wrong-password-9" not in done.stdout + done.stderr


@pytest.mark.parametrize("service", ["extractor", "archiver", "alerter"])
def test_workers_with_a_wrong_password_exit_fast_naming_the_setting(
    secure_kafka: SecureKafka, tmp_path: Path, service: str
) -> None:
    env = secure_kafka.environment("PLAIN", sasl_password="wrong-password-9")
    env.update(
        {
            "WIRESTREAM_ARCHIVER_DATA_DIR": str(tmp_path / "archiver"),
            "WIRESTREAM_ARCHIVER_ARCHIVE_URL": str(tmp_path / "archive"),
            "WIRESTREAM_ALERTER_DATA_DIR": str(tmp_path / "alerter"),
            "WIRESTREAM_ALERTER_RULES_FILE": str(tmp_path / "rules.yaml"),
        }
    )
    (tmp_path / "rules.yaml").write_text(RULES)
    started = time.monotonic()
    done = subprocess.run(
        [*CLI, "worker", service, "--web-port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert time.monotonic() - started < FAIL_FAST + 30  # interpreter and imports included
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "WIRESTREAM_KAFKA_SASL_PASSWORD" in done.stderr and "plain-user" in done.stderr
    assert "wrong-password-9" not in done.stdout + done.stderr


def _get(port: int, path: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


RULES = """\
rules:
  - name: every-article
    severity: info
    match: {kind: article}
    group_by: record
"""


def test_pipeline_through_sasl_ssl(
    secure_kafka: SecureKafka,
    unique_name: Callable[[str], str],
    tmp_path: Path,
    workers: list[WorkerProcess],
) -> None:
    prefix = unique_name("secure") + "."
    kafka = secure_kafka.settings("SCRAM-SHA-512", topic_prefix=prefix)
    env = secure_kafka.environment("SCRAM-SHA-512", topic_prefix=prefix)
    asyncio.run(ensure_topics(kafka))

    extractor = start_workers(1, kafka, app_id="sasl-extractor", work_dir=tmp_path)[0]
    try:
        rules = tmp_path / "rules.yaml"
        rules.write_text(RULES)
        services: dict[str, WorkerProcess] = {}
        for name, extra in {
            "archiver": {
                "WIRESTREAM_ARCHIVER_ARCHIVE_URL": str(tmp_path / "archive"),
                "WIRESTREAM_ARCHIVER_DATA_DIR": str(tmp_path / "archiver"),
                "WIRESTREAM_ARCHIVER_FLUSH_SECONDS": "1",
            },
            "alerter": {
                "WIRESTREAM_ALERTER_RULES_FILE": str(rules),
                "WIRESTREAM_ALERTER_DATA_DIR": str(tmp_path / "alerter"),
            },
        }.items():
            full = {**env, **extra, "PYTHONUNBUFFERED": "1"}
            log = tmp_path / f"{name}.log"
            worker = WorkerProcess(free_port(), full, log, service=name, cwd=tmp_path)
            workers.append(worker.start())
            services[name] = worker
        for worker in services.values():
            worker.wait_ready()

        published = subprocess.run(
            [*CLI, "publish", "--no-progress", str(SEED)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert published.returncode == 0, published.stderr
        tail = [*CLI, "tail", "--from-beginning", "--json", "--max", "1", "--timeout", "120"]
        alert = subprocess.run(
            [*tail, "alerts"], env=env, capture_output=True, text=True, timeout=240
        )
        assert alert.returncode == 0 and '"every-article"' in alert.stdout, (
            alert.stderr,
            services["alerter"].log(),
            extractor.log(),
        )

        def archived() -> float:
            status, content_type, body = _get(services["archiver"].web_port, "/metrics")
            assert status == 200 and content_type == PROMETHEUS_CONTENT_TYPE
            return sum(
                float(line.rsplit(" ", 1)[1])
                for line in body.decode().splitlines()
                if line.startswith("wirestream_archiver_records_total{")
            )

        wait_until("archived records", archived, 120, interval=0.5, detail=services["archiver"].log)

        for name, worker in services.items():
            port = worker.web_port
            _, _, body = _get(port, "/metrics")
            assert b"process_resident_memory_bytes" in body and b"python_info" in body, name
            for path in ("/router/", "/table/windows/", "/", "/stats/"):
                assert _get(port, path)[0] == 404, (name, path)
        logs = "".join(
            w.log_path.read_text(errors="replace") for w in [*services.values(), extractor]
        )
        assert "scram512-secret-3" not in logs
    finally:
        extractor.stop()
