"""Kafka connection settings shared by every service (env prefix ``WIRESTREAM_KAFKA_``)."""

from __future__ import annotations

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from wirestream.errors import ConfigurationError


class KafkaSettings(BaseSettings):
    """Where the broker is and how topics are named.

    - ``bootstrap_servers`` — ``WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS`` (falls back to
      ``KAFKA_BOOTSTRAP_SERVERS``); default ``127.0.0.1:9092``, the local broker of
      ``wirestream kafka start``.
    - ``topic_prefix`` — ``WIRESTREAM_KAFKA_TOPIC_PREFIX``; default ``wirestream.``. Every topic name
      is the prefix plus the topic's declared suffix, so one broker can host several deployments.
    - ``replication_factor`` — ``WIRESTREAM_KAFKA_REPLICATION_FACTOR``; default 1 (single node).
    """

    model_config = SettingsConfigDict(
        env_prefix="WIRESTREAM_KAFKA_", frozen=True, extra="ignore", populate_by_name=True
    )

    bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias="WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS",
    )
    topic_prefix: str = "wirestream."
    replication_factor: int = Field(default=1, ge=1)

    @classmethod
    def from_env(cls) -> KafkaSettings:
        """Read the environment once at start-up; a bad value says which variable to fix."""
        import os

        try:
            if "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS" not in os.environ and os.environ.get(
                "KAFKA_BOOTSTRAP_SERVERS"
            ):
                return cls(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])
            return cls()
        except ValidationError as exc:
            raise ConfigurationError(f"invalid Kafka settings: {settings_error(exc)}") from exc


def settings_error(exc: ValidationError, prefix: str = "WIRESTREAM_KAFKA_") -> str:
    """A one-line account of a settings ValidationError naming the environment variables."""
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "?"
        parts.append(f"set {prefix}{name.upper()}: {err['msg']}")
    return "; ".join(parts)
