"""``wirestream topics create|list`` against the real broker: every declared topic, idempotently."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from wirestream.cli import main
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import ALL_TOPICS


def run_cli(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    return int(exit_info.value.code or 0)


async def broker_topics(bootstrap: str, names: list[str]) -> dict[str, tuple[int, dict[str, str]]]:
    """Partition count and the topic-level configuration the broker has for each name."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(names)
        partitions = {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}
        responses = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in partitions]
        )
    finally:
        await admin.close()
    configs: dict[str, dict[str, str]] = {}
    for response in responses:
        for _code, _msg, _type, name, entries in response.resources:
            configs[name] = {entry[0]: entry[1] for entry in entries}
    return {name: (count, configs[name]) for name, count in partitions.items()}


@pytest.mark.integration
def test_topics_create_provisions_every_declared_topic_idempotently(
    kafka_bootstrap: str,
    unique_name: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A synchronous test: the command runs its own event loop, as it does from a shell."""
    prefix = unique_name("ws") + "."
    monkeypatch.setenv("WIRESTREAM_KAFKA_TOPIC_PREFIX", prefix)
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=prefix)
    names = [spec.name(settings) for spec in ALL_TOPICS]

    assert run_cli("topics", "create", "--bootstrap-servers", kafka_bootstrap) == 0
    first = capsys.readouterr().out
    assert f"{len(ALL_TOPICS)} created, 0 already there" in first

    on_broker = asyncio.run(broker_topics(kafka_bootstrap, names))
    assert sorted(on_broker) == sorted(names)
    for spec in ALL_TOPICS:
        partitions, config = on_broker[spec.name(settings)]
        assert partitions == spec.partitions, spec.key
        for key, value in spec.config().items():
            assert config[key] == value, (spec.key, key)

    # Again: nothing to do, still success, nothing changed.
    assert run_cli("topics", "create", "--bootstrap-servers", kafka_bootstrap) == 0
    assert f"0 created, {len(ALL_TOPICS)} already there" in capsys.readouterr().out
    assert asyncio.run(broker_topics(kafka_bootstrap, names)) == on_broker

    assert run_cli("topics", "list", "--bootstrap-servers", kafka_bootstrap) == 0
    listing = capsys.readouterr().out.splitlines()
    for spec in ALL_TOPICS:
        row = next(line for line in listing if line.startswith(spec.name(settings) + " "))
        assert row.split()[1:3] == [str(spec.partitions), str(spec.partitions)]


@pytest.mark.integration
def test_topics_list_shows_missing_topics(
    kafka_bootstrap: str,
    unique_name: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prefix = unique_name("none") + "."
    monkeypatch.setenv("WIRESTREAM_KAFKA_TOPIC_PREFIX", prefix)
    assert run_cli("topics", "list", "--bootstrap-servers", kafka_bootstrap) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith(prefix)]
    assert len(rows) == len(ALL_TOPICS)
    assert all(row.split()[1] == "missing" for row in rows)


def test_topics_without_a_broker_says_how_to_start_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from wirestream.testkit.net import free_port

    nobody = f"127.0.0.1:{free_port()}"
    assert run_cli("topics", "list", "--bootstrap-servers", nobody, "--timeout", "2") == 2
    error = capsys.readouterr().err
    assert f"no Kafka broker answered on {nobody}" in error
    assert "wirestream kafka start" in error
