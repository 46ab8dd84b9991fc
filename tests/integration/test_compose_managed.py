"""docker-compose.managed.yml (a managed SASL_SSL cluster) read against the settings classes.

Like ``test_compose_file``, no Docker engine is needed: the override is merged with
docker-compose.yml the way compose merges environment maps, given example values for the required
variables, and the result must be accepted by :class:`KafkaSettings` as SASL_SSL.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from wirestream.streaming.settings import KafkaSettings

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("topics", "extractor", "archiver", "alerter", "copies", "incidents", "web")
GIVEN = {
    "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": "pkc-00000.eu-west-1.aws.confluent.cloud:9092",
    "WIRESTREAM_KAFKA_SASL_USERNAME": "API-KEY",
    "WIRESTREAM_KAFKA_SASL_PASSWORD": "api-secret",
}
_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}")


def interpolate(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        name, kind, default = match.groups()
        if name in GIVEN:
            return GIVEN[name]
        assert kind == "-", f"{name} is required by the override but has no example value"
        return default

    return _VAR.sub(one, value)


@pytest.mark.parametrize("name", SERVICES)
def test_managed_override_gives_accepted_sasl_ssl_settings(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    base: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    override: dict[str, Any] = yaml.safe_load(
        (ROOT / "docker-compose.managed.yml").read_text("utf-8")
    )
    env = {**base["services"][name]["environment"], **override["services"][name]["environment"]}
    for key in list(os.environ):
        if key.startswith("WIRESTREAM_") or key == "KAFKA_BOOTSTRAP_SERVERS":
            monkeypatch.delenv(key)
    for key, value in env.items():
        if value is not None:
            monkeypatch.setenv(key, interpolate(str(value)))
    kafka = KafkaSettings.from_env()
    assert kafka.security_protocol == "SASL_SSL" and kafka.sasl_mechanism == "PLAIN"
    assert kafka.bootstrap_servers == GIVEN["WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"]
    assert kafka.replication_factor == 3
    assert kafka.client_options()["sasl_plain_username"] == "API-KEY"
