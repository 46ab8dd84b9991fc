"""Kafka connection settings shared by every service and command (env prefix ``WIRESTREAM_KAFKA_``).

Every Kafka client Wirestream builds - the extractor's consumers and transactional producers, the
faust apps of the archiver and alerter, the admin clients, and the ``publish``, ``tail``,
``topics``, ``archive`` and ``demo`` commands - takes its connection options from one
:class:`KafkaSettings`: :meth:`KafkaSettings.client_options` for aiokafka clients,
:meth:`KafkaSettings.faust_options` for faust apps. TLS and SASL (PLAIN, SCRAM-SHA-256,
SCRAM-SHA-512) are therefore configured once, by environment variables, for all of them.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from wirestream.errors import ConfigurationError

ENV_PREFIX = "WIRESTREAM_KAFKA_"

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class KafkaSettings(BaseSettings):
    """Where the broker is, how to reach it securely, and how topics are named.

    - ``bootstrap_servers`` — ``WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS`` (falls back to
      ``KAFKA_BOOTSTRAP_SERVERS``); default ``127.0.0.1:9092``, the local broker of
      ``wirestream kafka start``.
    - ``topic_prefix`` — ``WIRESTREAM_KAFKA_TOPIC_PREFIX``; default ``wirestream.``. Every topic name
      is the prefix plus the topic's declared suffix, so one broker can host several deployments.
    - ``replication_factor`` — ``WIRESTREAM_KAFKA_REPLICATION_FACTOR``; default 1 (single node).
    - ``security_protocol`` — ``WIRESTREAM_KAFKA_SECURITY_PROTOCOL``: ``PLAINTEXT`` (default),
      ``SSL``, ``SASL_PLAINTEXT`` or ``SASL_SSL`` (managed clusters: Confluent Cloud, MSK with
      SASL/SCRAM, Aiven, Redpanda Cloud).
    - ``sasl_mechanism`` — ``WIRESTREAM_KAFKA_SASL_MECHANISM``: ``PLAIN`` (default),
      ``SCRAM-SHA-256`` or ``SCRAM-SHA-512``; used with the ``SASL_*`` protocols.
    - ``sasl_username`` / ``sasl_password`` — ``WIRESTREAM_KAFKA_SASL_USERNAME`` /
      ``WIRESTREAM_KAFKA_SASL_PASSWORD``; no default, required with the ``SASL_*`` protocols
      (Confluent Cloud: the API key and secret). The password is a secret: it is never logged,
      printed or shown in errors.
    - ``ssl_cafile`` — ``WIRESTREAM_KAFKA_SSL_CAFILE``: a PEM file of the certificate authorities
      that sign the brokers' certificates; default none, i.e. the system's trust store (enough for
      Confluent Cloud, MSK, Redpanda Cloud; Aiven and self-run brokers give you a CA file).
    - ``ssl_certfile`` / ``ssl_keyfile`` — ``WIRESTREAM_KAFKA_SSL_CERTFILE`` /
      ``WIRESTREAM_KAFKA_SSL_KEYFILE``: a client certificate and its key (PEM) for brokers that
      authenticate clients by TLS (Aiven's default); default none. ``ssl_key_password`` —
      ``WIRESTREAM_KAFKA_SSL_KEY_PASSWORD`` (a secret), when the key file is encrypted.
    - ``ssl_check_hostname`` — ``WIRESTREAM_KAFKA_SSL_CHECK_HOSTNAME``; default true: the broker's
      certificate must name the host connected to.
    - ``connect_timeout`` — ``WIRESTREAM_KAFKA_CONNECT_TIMEOUT``; default 10 seconds for the
      start-up connection check (:func:`wirestream.streaming.connection.check_connection`), after
      which a broker that accepts TCP but completes no TLS or SASL handshake is reported.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, frozen=True, extra="ignore", populate_by_name=True
    )

    bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        # The first variable set wins: Wirestream's own, then the common unprefixed name.
        validation_alias=AliasChoices(
            "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"
        ),
    )
    topic_prefix: str = "wirestream."
    replication_factor: int = Field(default=1, ge=1)
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism = "PLAIN"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    ssl_key_password: SecretStr | None = None
    ssl_check_hostname: bool = True
    connect_timeout: float = Field(default=10.0, gt=0)

    @field_validator(
        "sasl_username", "sasl_password", "ssl_cafile", "ssl_certfile", "ssl_keyfile",
        "ssl_key_password", mode="before",
    )  # fmt: skip
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        """``VAR=`` (compose's ``${VAR:-}``) means not set."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _consistent(self) -> KafkaSettings:
        if self.uses_sasl:
            missing = [
                f"{ENV_PREFIX}{name.upper()}"
                for name in ("sasl_username", "sasl_password")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(
                    f"{' and '.join(missing)} must be set with security protocol "
                    f"{self.security_protocol}"
                )
        for name in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
            path = getattr(self, name)
            if path is not None and not Path(path).expanduser().is_file():
                raise ValueError(f"{ENV_PREFIX}{name.upper()}={path} is not a readable file")
        if self.ssl_keyfile is not None and self.ssl_certfile is None:
            raise ValueError(
                f"{ENV_PREFIX}SSL_KEYFILE is set without {ENV_PREFIX}SSL_CERTFILE: set both"
            )
        return self

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    @classmethod
    def from_env(cls, **overrides: Any) -> KafkaSettings:
        """Read the environment once at start-up; a bad value says which variable to fix.

        ``overrides`` (command-line options that were given; None values are ignored) win over
        the environment."""
        given = {k: v for k, v in overrides.items() if v is not None}
        try:
            return cls(**given)
        except ValidationError as exc:
            raise ConfigurationError(f"invalid Kafka settings: {settings_error(exc)}") from exc

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context of every connection (None for the plaintext protocols)."""
        if not self.uses_tls:
            return None
        from aiokafka.helpers import create_ssl_context

        try:
            context: ssl.SSLContext = create_ssl_context(
                cafile=str(self.ssl_cafile) if self.ssl_cafile else None,
                certfile=str(self.ssl_certfile) if self.ssl_certfile else None,
                keyfile=str(self.ssl_keyfile) if self.ssl_keyfile else None,
                password=(
                    self.ssl_key_password.get_secret_value() if self.ssl_key_password else None
                ),
            )
        except (ssl.SSLError, OSError) as exc:
            raise ConfigurationError(
                f"cannot load the TLS files ({exc.__class__.__name__}: {exc}): check "
                f"{ENV_PREFIX}SSL_CAFILE, {ENV_PREFIX}SSL_CERTFILE, {ENV_PREFIX}SSL_KEYFILE and "
                f"{ENV_PREFIX}SSL_KEY_PASSWORD"
            ) from exc
        context.check_hostname = self.ssl_check_hostname
        return context

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (consumer, producer, admin client).

        ``bootstrap_servers``, ``security_protocol`` and, as configured, ``ssl_context`` and the
        SASL options. Callers add their own options (group, timeouts) beside these."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
        }
        if self.uses_tls:
            options["ssl_context"] = self.ssl_context()
        if self.uses_sasl:
            assert self.sasl_password is not None  # the validator saw to it
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.sasl_username
            options["sasl_plain_password"] = self.sasl_password.get_secret_value()
        return options

    def faust_options(self) -> dict[str, Any]:
        """faust App settings for the same security (``broker_credentials``, ``ssl_context``)."""
        import faust

        context = self.ssl_context()
        if self.uses_sasl:
            assert self.sasl_password is not None
            credentials: Any = faust.SASLCredentials(
                username=self.sasl_username,
                password=self.sasl_password.get_secret_value(),
                ssl_context=context,
                mechanism=self.sasl_mechanism,
            )
            return {"broker_credentials": credentials, "ssl_context": context}
        if context is not None:
            return {"broker_credentials": faust.SSLCredentials(context), "ssl_context": context}
        return {}

    def environment(self) -> dict[str, str]:
        """These settings as ``WIRESTREAM_KAFKA_*`` variables, secrets included: for the
        environment of a child process (a worker the harness starts), never for printing."""
        env: dict[str, str] = {}
        for name, value in self:
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, bool):
                value = "true" if value else "false"
            env[f"{ENV_PREFIX}{name.upper()}"] = str(value)
        return env

    def describe(self) -> str:
        """A one-line account for logs: servers, protocol, mechanism and user, never a secret."""
        text = f"{self.bootstrap_servers} ({self.security_protocol}"
        if self.uses_sasl:
            text += f", {self.sasl_mechanism} as {self.sasl_username}"
        return text + ")"

    def __str__(self) -> str:
        return f"KafkaSettings({self.describe()}, topic_prefix={self.topic_prefix!r})"


def settings_error(exc: ValidationError, prefix: str = ENV_PREFIX) -> str:
    """A one-line account of a settings ValidationError naming the environment variables.

    Only the variable and pydantic's message are shown, never the value given (it may be a
    secret)."""
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        variable = name.upper() if name.upper().startswith(prefix) else prefix + name.upper()
        parts.append(f"set {variable}: {msg}" if name else msg)
    return "; ".join(parts)
