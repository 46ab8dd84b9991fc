"""Alerter settings (env prefix ``WIRESTREAM_ALERTER_``), read once at start-up."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from wirestream.streaming.service import ServiceSettings

ENV_PREFIX = "WIRESTREAM_ALERTER_"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class AlerterSettings(ServiceSettings):
    """The rules, the webhooks' limits, and the worker's identity.

    - ``rules_file`` — ``WIRESTREAM_ALERTER_RULES_FILE``; default ``deploy/alerter/rules.yaml``.
    - ``webhook_allowlist`` — ``WIRESTREAM_ALERTER_WEBHOOK_ALLOWLIST``, comma-separated host names
      (``hooks.example.org``, ``*.example.org``, or an IP address); default empty: no webhook may
      be called, and a rule naming one is refused at start-up.
    - ``webhook_allow_networks`` — ``WIRESTREAM_ALERTER_WEBHOOK_ALLOW_NETWORKS``, comma-separated
      CIDRs that may be called although they are not public (loopback, private, link-local such
      as the 169.254.169.254 metadata service); default empty: such addresses are refused.
    - ``webhook_secret`` — ``WIRESTREAM_ALERTER_WEBHOOK_SECRET``; default none. When set, every
      POST carries ``X-Wirestream-Signature: sha256=<HMAC-SHA256 of the body, hex>``.
    - ``webhook_timeout`` — ``WIRESTREAM_ALERTER_WEBHOOK_TIMEOUT``; default 5 seconds per attempt.
    - ``webhook_retries`` — ``WIRESTREAM_ALERTER_WEBHOOK_RETRIES``; default 4 retries after the
      first attempt, then the alert is dead-lettered.
    - ``webhook_backoff`` — ``WIRESTREAM_ALERTER_WEBHOOK_BACKOFF``; default 0.5 s before the first
      retry, doubling each time up to ``webhook_backoff_max`` (``..._BACKOFF_MAX``, default 30 s).
    - ``group_id`` — ``WIRESTREAM_ALERTER_GROUP_ID``; default ``wirestream-alerter`` (the faust
      app id: consumer group and table changelog prefix).
    - ``data_dir`` — ``WIRESTREAM_ALERTER_DATA_DIR``; default ``var/alerter`` (faust's data directory,
      created at start-up).
    - ``web_port`` — ``WIRESTREAM_ALERTER_WEB_PORT``; default 6068 (``/health``, ``/ready``,
      ``/metrics``; nothing else is served). ``web_bind`` — ``WIRESTREAM_ALERTER_WEB_BIND``;
      default ``127.0.0.1`` (loopback only; ``0.0.0.0`` in a container whose port is scraped).
    - ``log_level`` — ``WIRESTREAM_ALERTER_LOG_LEVEL``; default ``INFO`` (``--log-level`` overrides it).
    - ``provision_topics`` — ``WIRESTREAM_ALERTER_PROVISION_TOPICS``; default true: create the
      declared topics that are missing before starting.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")
    SERVICE: ClassVar[str] = "alerter"

    rules_file: Path = Path("deploy/alerter/rules.yaml")
    webhook_allowlist: Annotated[list[str], NoDecode] = Field(default_factory=list)
    webhook_allow_networks: Annotated[list[Network], NoDecode] = Field(default_factory=list)
    webhook_secret: SecretStr | None = None
    webhook_timeout: float = Field(default=5.0, gt=0)
    webhook_retries: int = Field(default=4, ge=0, le=20)
    webhook_backoff: float = Field(default=0.5, ge=0)
    webhook_backoff_max: float = Field(default=30.0, ge=0)
    group_id: str = Field(default="wirestream-alerter", min_length=1)
    data_dir: Path = Path("var/alerter")
    web_port: int = Field(default=6068, ge=1, le=65535)

    @field_validator("webhook_allowlist", "webhook_allow_networks", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("webhook_allowlist")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.lower().rstrip(".") for v in value]

    def __str__(self) -> str:
        return (
            f"rules={self.rules_file} allowlist={','.join(self.webhook_allowlist) or '-'} "
            f"networks={','.join(map(str, self.webhook_allow_networks)) or '-'} "
            f"secret={'set' if self.webhook_secret else 'none'} group={self.group_id}"
        )
