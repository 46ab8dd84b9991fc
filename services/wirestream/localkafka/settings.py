"""Settings of the local broker (env prefix ``WIRESTREAM_LOCALKAFKA_``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from wirestream.errors import ConfigurationError
from wirestream.streaming.settings import settings_error

ENV_PREFIX = "WIRESTREAM_LOCALKAFKA_"
KAFKA_VERSION = "4.4.0"
"""The Apache Kafka release the local broker runs; docker-compose.yml uses the same version of the
official ``apache/kafka`` image (see docs/KAFKA.md for why 4.4.0)."""


def source_root() -> Path | None:
    """The source checkout this package runs from (it holds ``deploy/kafka/pom.xml``), or None."""
    root = Path(__file__).resolve().parents[3]
    return root if (root / "deploy" / "kafka" / "pom.xml").is_file() else None


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/wirestream`` or ``~/.cache/wirestream``: survives fresh clones."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wirestream"


class LocalKafkaSettings(BaseSettings):
    """Where and how the local broker runs. Each field is read from ``WIRESTREAM_LOCALKAFKA_<FIELD>``.

    - ``host`` — ``WIRESTREAM_LOCALKAFKA_HOST``; default ``127.0.0.1`` (loopback only).
    - ``port`` — ``WIRESTREAM_LOCALKAFKA_PORT``; default 9092, the client (PLAINTEXT) listener.
    - ``controller_port`` — ``WIRESTREAM_LOCALKAFKA_CONTROLLER_PORT``; default 9093 (KRaft).
    - ``data_dir`` — ``WIRESTREAM_LOCALKAFKA_DATA_DIR``; default ``var/kafka`` in the source
      checkout (gitignored), else ``~/.local/share/wirestream/kafka``. Holds the KRaft log dirs,
      the generated ``server.properties``, ``broker.pid`` and ``broker.log``; it survives restarts.
    - ``cache_dir`` — ``WIRESTREAM_LOCALKAFKA_CACHE_DIR``; default ``~/.cache/wirestream``
      (``$XDG_CACHE_HOME`` respected). The jars go to ``<cache_dir>/kafka-<version>/libs``.
    - ``kafka_version`` — ``WIRESTREAM_LOCALKAFKA_KAFKA_VERSION``; default ``4.4.0``.
    - ``deploy_dir`` — ``WIRESTREAM_LOCALKAFKA_DEPLOY_DIR``; default ``deploy/kafka`` in the source
      checkout (pom.xml, server.properties.template, log4j2.properties).
    - ``java`` / ``mvn`` — ``WIRESTREAM_LOCALKAFKA_JAVA`` / ``..._MVN``; defaults ``java`` and
      ``mvn`` on ``PATH``. Java 17 or newer is required by Kafka 4.
    - ``heap`` — ``WIRESTREAM_LOCALKAFKA_HEAP``; default ``512m`` (``-Xmx``/``-Xms``).
    - ``start_timeout`` — ``WIRESTREAM_LOCALKAFKA_START_TIMEOUT``; default 90 s until the
      metadata round trip must succeed.
    - ``stop_timeout`` — ``WIRESTREAM_LOCALKAFKA_STOP_TIMEOUT``; default 30 s after SIGTERM
      before SIGKILL.
    - ``log_level`` — ``WIRESTREAM_LOCALKAFKA_LOG_LEVEL``; default ``INFO`` (the broker's Log4j).
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=9092, ge=1, le=65535)
    controller_port: int = Field(default=9093, ge=1, le=65535)
    data_dir: Path | None = None
    cache_dir: Path | None = None
    kafka_version: str = Field(default=KAFKA_VERSION, pattern=r"^\d+\.\d+\.\d+$")
    deploy_dir: Path | None = None
    java: str = "java"
    mvn: str = "mvn"
    heap: str = Field(default="512m", pattern=r"^\d+[kmgKMG]?$")
    start_timeout: float = Field(default=90.0, gt=0)
    stop_timeout: float = Field(default=30.0, gt=0)
    log_level: str = Field(default="INFO", pattern=r"^(?i:trace|debug|info|warn|error)$")

    @classmethod
    def from_env(cls, **overrides: object) -> LocalKafkaSettings:
        """Read the environment, then apply ``overrides`` (command-line options that were given)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        try:
            settings = cls(**given)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise ConfigurationError(
                f"invalid local Kafka settings: {settings_error(exc, ENV_PREFIX)}"
            ) from exc
        if settings.port == settings.controller_port:
            raise ConfigurationError(
                f"the broker port and the controller port are both {settings.port}: set "
                f"{ENV_PREFIX}CONTROLLER_PORT (or --controller-port) to another port"
            )
        return settings

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def resolved_data_dir(self) -> Path:
        if self.data_dir is not None:
            return self.data_dir.expanduser().resolve()
        root = source_root()
        if root is not None:
            return root / "var" / "kafka"
        return Path.home() / ".local" / "share" / "wirestream" / "kafka"

    def resolved_cache_dir(self) -> Path:
        return (self.cache_dir or default_cache_dir()).expanduser().resolve()

    def resolved_deploy_dir(self) -> Path:
        if self.deploy_dir is not None:
            path = self.deploy_dir.expanduser().resolve()
        else:
            root = source_root()
            if root is None:
                raise ConfigurationError(
                    "deploy/kafka (pom.xml, server.properties.template, log4j2.properties) was not "
                    "found beside this installation: run from a source checkout or set "
                    f"{ENV_PREFIX}DEPLOY_DIR to the checkout's deploy/kafka folder"
                )
            path = root / "deploy" / "kafka"
        for name in ("pom.xml", "server.properties.template", "log4j2.properties"):
            if not (path / name).is_file():
                raise ConfigurationError(
                    f"{path / name} is missing: set {ENV_PREFIX}DEPLOY_DIR to a folder that has "
                    "pom.xml, server.properties.template and log4j2.properties"
                )
        return path
