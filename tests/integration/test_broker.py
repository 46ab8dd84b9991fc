"""The local broker, for real: produce and consume through it, restart it, and its error messages.

Tests marked ``integration`` use the session's broker (``tests/fixtures/kafka.py``). The others
check the clear errors of a bad environment (no Java, no Maven, a port in use) without a broker.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from fixtures.kafka import CreateTopic, SessionBroker
from wirestream.cli import main
from wirestream.errors import EnvironmentNotReadyError
from wirestream.localkafka import LocalBroker, LocalKafkaSettings, probe_metadata
from wirestream.testkit.net import free_port

RECV_TIMEOUT_MS = 20_000


async def produce(bootstrap: str, topic: str, count: int, tag: str) -> list[tuple[bytes, bytes]]:
    """Send ``count`` keyed messages with the idempotent producer; all acknowledged by the log."""
    sent = [(f"key-{i % 7}".encode(), f"{tag}-{i}".encode()) for i in range(count)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        for key, value in sent:
            await producer.send(topic, value=value, key=key)
        await producer.flush()
    finally:
        await producer.stop()
    return sent


async def consume(
    bootstrap: str, topic: str, count: int, group: str | None, *, commit: bool = False
) -> list[tuple[int, bytes, bytes]]:
    """Read ``count`` messages (partition, key, value); optionally commit the group's offsets."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    got: list[tuple[int, bytes, bytes]] = []
    try:
        while len(got) < count:
            batch = await consumer.getmany(timeout_ms=RECV_TIMEOUT_MS, max_records=count - len(got))
            if not batch:
                break
            for tp, messages in batch.items():
                got.extend((tp.partition, m.key, m.value) for m in messages)
        if commit:
            await consumer.commit()
    finally:
        await consumer.stop()
    return got


@pytest.mark.integration
async def test_produce_and_consume_round_trip(
    kafka_bootstrap: str, create_topic: CreateTopic, unique_name: Callable[[str], str]
) -> None:
    topic = create_topic(partitions=3)
    sent = await produce(kafka_bootstrap, topic, 60, "round-trip")

    got = await consume(kafka_bootstrap, topic, 60, unique_name("group"), commit=True)

    assert sorted((k, v) for _, k, v in got) == sorted(sent)
    # One key, one partition, in the order sent.
    for key in {k for k, _ in sent}:
        assert len({p for p, k, _ in got if k == key}) == 1
        assert [v for _, k, v in got if k == key] == [v for k, v in sent if k == key]
    assert len({p for p, _, _ in got}) > 1, "keys spread over the topic's partitions"


@pytest.mark.integration
async def test_committed_messages_and_offsets_survive_a_restart(
    kafka_bootstrap: str,
    broker: SessionBroker,
    create_topic: CreateTopic,
    unique_name: Callable[[str], str],
) -> None:
    topic = create_topic(partitions=2)
    group = unique_name("group")
    first = await produce(kafka_bootstrap, topic, 40, "before")
    # The group reads and commits the first 40, then 25 more arrive before the restart.
    assert len(await consume(kafka_bootstrap, topic, 40, group, commit=True)) == 40
    second = await produce(kafka_bootstrap, topic, 25, "pending")
    pid_before = broker.local.pid()

    await broker.astop()  # SIGTERM: controlled shutdown

    assert not broker.is_running()
    assert probe_metadata(kafka_bootstrap, timeout=2.0) is None, "nothing answers while stopped"
    await broker.astart()  # same data directory, same ports

    assert broker.is_running()
    assert broker.local.pid() != pid_before
    everything = await consume(kafka_bootstrap, topic, 65, None)
    assert sorted((k, v) for _, k, v in everything) == sorted(first + second)
    # The group's committed offsets survived too: it resumes with exactly the 25 pending ones.
    resumed = await consume(kafka_bootstrap, topic, 25, group)
    assert sorted((k, v) for _, k, v in resumed) == sorted(second)


@pytest.mark.integration
async def test_restarted_broker_takes_new_writes(
    kafka_bootstrap: str, broker: SessionBroker, create_topic: CreateTopic
) -> None:
    topic = create_topic()
    broker.restart()
    sent = await produce(kafka_bootstrap, topic, 5, "after")
    got = await consume(kafka_bootstrap, topic, 5, None)
    assert [(k, v) for _, k, v in got] == sent
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap)
    await consumer.start()
    try:
        end = await consumer.end_offsets([TopicPartition(topic, 0)])
    finally:
        await consumer.stop()
    assert end[TopicPartition(topic, 0)] == 5


@pytest.mark.integration
def test_cli_starts_reports_and_stops_a_broker(
    broker: SessionBroker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``wirestream kafka start|status|stop`` on their own ports and data directory."""
    port, controller = free_port(), free_port()
    options = ["--port", str(port), "--controller-port", str(controller)]
    options += ["--data-dir", str(tmp_path / "kafka")]

    def cli(*argv: str) -> int:
        with pytest.raises(SystemExit) as exit_info:
            main(["kafka", *argv, *options])
        return int(exit_info.value.code or 0)

    assert cli("status") == 1
    try:
        assert cli("start") == 0
        assert f"ready on 127.0.0.1:{port}" in capsys.readouterr().out.replace("Kafka is ", "")
        assert cli("status") == 0
        assert probe_metadata(f"127.0.0.1:{port}") is not None
        assert (tmp_path / "kafka" / "kraft" / "meta.properties").is_file()
    finally:
        assert cli("stop") == 0
    assert "stopped" in capsys.readouterr().out
    assert cli("status") == 1
    assert probe_metadata(f"127.0.0.1:{port}", timeout=2.0) is None


@pytest.mark.integration
def test_a_broker_that_does_not_become_ready_is_stopped_with_its_log(
    broker: SessionBroker, tmp_path: Path
) -> None:
    settings = LocalKafkaSettings(
        port=free_port(),
        controller_port=free_port(),
        data_dir=tmp_path / "kafka",
        start_timeout=0.5,
    )
    local = LocalBroker(settings)
    with pytest.raises(EnvironmentNotReadyError) as error:
        local.start()
    assert "did not answer a metadata request within" in str(error.value)
    assert str(local.log_file) in str(error.value)
    assert local.pid() is None, "the half-started broker was stopped"


@pytest.mark.integration
def test_a_broker_that_exits_during_start_up_says_how_it_ended(
    broker: SessionBroker, tmp_path: Path
) -> None:
    """A "java" that formats storage but whose broker exits at once (status 3)."""
    java = tmp_path / "java"
    java.write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        "  *-version*) echo 'openjdk version \"17.0.15\" 2025-04-15' >&2; exit 0 ;;\n"
        '  *kafka.Kafka*) echo "the broker gives up (test)"; exit 3 ;;\n'
        "esac\n"
        "exit 0\n"
    )
    java.chmod(0o755)
    settings = LocalKafkaSettings(
        java=str(java),
        port=free_port(),
        controller_port=free_port(),
        data_dir=tmp_path / "kafka",
    )
    local = LocalBroker(settings)
    with pytest.raises(EnvironmentNotReadyError) as error:
        local.start()
    message = str(error.value)
    assert "exited during start-up (exit status 3)" in message
    assert "the broker gives up (test)" in message
    assert local.pid() is None


# -- a bad environment: clear errors, no broker needed -------------------------------------------


def test_port_in_use_says_which_option_to_change(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        local = LocalBroker(
            LocalKafkaSettings(port=port, controller_port=free_port(), data_dir=tmp_path)
        )
        with pytest.raises(EnvironmentNotReadyError) as error:
            local.check_ports()
    message = str(error.value)
    assert f"port {port} on 127.0.0.1 is already in use" in message
    assert "--port" in message and "WIRESTREAM_LOCALKAFKA_PORT" in message


def test_missing_java_says_to_install_java_17(tmp_path: Path) -> None:
    local = LocalBroker(LocalKafkaSettings(java=str(tmp_path / "no-java"), data_dir=tmp_path))
    with pytest.raises(EnvironmentNotReadyError) as error:
        local.start()
    message = str(error.value)
    assert "Java 17+" in message and "WIRESTREAM_LOCALKAFKA_JAVA" in message
    assert "KAFKA_BOOTSTRAP_SERVERS" in message


def test_missing_maven_says_to_install_maven(tmp_path: Path) -> None:
    from wirestream.localkafka import resolve_jars

    settings = LocalKafkaSettings(mvn=str(tmp_path / "no-mvn"), cache_dir=tmp_path / "cache")
    with pytest.raises(EnvironmentNotReadyError) as error:
        resolve_jars(settings)
    message = str(error.value)
    assert "Maven is needed" in message and "WIRESTREAM_LOCALKAFKA_MVN" in message
    assert not (tmp_path / "cache" / f"kafka-{settings.kafka_version}" / "libs").exists()


def test_same_port_for_broker_and_controller_is_a_configuration_error() -> None:
    from wirestream.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="WIRESTREAM_LOCALKAFKA_CONTROLLER_PORT"):
        LocalKafkaSettings.from_env(port=19092, controller_port=19092)


def test_jars_resolve_into_an_empty_cache_once(tmp_path: Path) -> None:
    """The fresh-clone path: Maven fills an empty cache; afterwards Maven is not needed."""
    import shutil

    from wirestream.localkafka import resolve_jars
    from wirestream.localkafka.jars import is_resolved

    if shutil.which("mvn") is None:
        pytest.fail("Maven (mvn) is a prerequisite of this project: install it (see docs/KAFKA.md)")
    settings = LocalKafkaSettings(cache_dir=tmp_path / "cache")
    libs = resolve_jars(settings)

    assert libs == tmp_path / "cache" / f"kafka-{settings.kafka_version}" / "libs"
    names = {p.name for p in libs.glob("*.jar")}
    assert f"kafka_2.13-{settings.kafka_version}.jar" in names
    assert any(n.startswith("log4j-slf4j-impl-") for n in names), "the SLF4J binding is there"
    assert is_resolved(settings)
    # Once cached, Maven is not run again (here it could not be).
    offline = LocalKafkaSettings(cache_dir=tmp_path / "cache", mvn=str(tmp_path / "no-mvn"))
    assert resolve_jars(offline) == libs
    assert [p.name for p in libs.parent.iterdir()] == ["libs"], "no staging folder left behind"
