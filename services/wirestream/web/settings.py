"""Live view settings (env prefix ``WIRESTREAM_WEB_``), read once at start-up."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from wirestream.streaming.service import ServiceSettings

ENV_PREFIX = "WIRESTREAM_WEB_"


class WebSettings(ServiceSettings):
    """Where the live view listens, how much it keeps, and who may see it.

    - ``web_bind`` — ``WIRESTREAM_WEB_WEB_BIND``; default ``127.0.0.1`` (loopback only; compose
      sets ``0.0.0.0`` and publishes the port on the host's loopback). The name follows every
      service's ``WIRESTREAM_<SERVICE>_WEB_BIND``; this service's name is ``web``.
    - ``web_port`` — ``WIRESTREAM_WEB_WEB_PORT``; default 6069: the page, its files, the stream
      (``/api/stream``) and ``/health``, ``/ready``, ``/metrics``.
    - ``token`` — ``WIRESTREAM_WEB_TOKEN``; default none (no authentication: loopback use). When
      set, every request but ``/health``, ``/ready`` and ``/metrics`` needs it: open the page once
      as ``/?token=...`` (the service sets an HttpOnly cookie and drops it from the address), or
      send ``Authorization: Bearer ...``. A secret: never logged.
    - ``backlog`` — ``WIRESTREAM_WEB_BACKLOG``; default 500: records of each kind (event, quote,
      article, incident) kept in memory and sent to a page when it connects. On start the service reads
      the last ``backlog`` records of every record topic's and the incidents topic's
      partitions (ten times as many
      entities, for the article view), so the first paint is never empty.
    - ``articles`` — ``WIRESTREAM_WEB_ARTICLES``; default 200: articles (with their entities,
      quotes and events) kept for the article view, the oldest dropped first.
    - ``page_limit`` — ``WIRESTREAM_WEB_PAGE_LIMIT``; default 10000: events and incidents a page keeps (the feed
      is virtualised; older rows fall off the end).
    - ``group_id`` — ``WIRESTREAM_WEB_GROUP_ID``; default ``wirestream-web`` (after
      ``WIRESTREAM_KAFKA_TOPIC_PREFIX``): the client's group. The service assigns itself every
      partition (each replica shows everything) and never commits: it is read-only.
    - ``extractor_group`` — ``WIRESTREAM_WEB_EXTRACTOR_GROUP``; default ``extractor`` (after the
      topic prefix; the extractor's ``WIRESTREAM_EXTRACTOR_APP_ID``): whose lag on the raw topic
      the stream strip shows.
    - ``log_level`` — ``WIRESTREAM_WEB_LOG_LEVEL``; default ``INFO`` (``--log-level`` overrides it).
    - ``provision_topics`` — ``WIRESTREAM_WEB_PROVISION_TOPICS``: read-only, it creates no topic.
    - ``stats_interval`` — ``WIRESTREAM_WEB_STATS_INTERVAL``; default 2 s between two readings of
      the lag and dead-letter counts (and two stream-strip updates).
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")
    SERVICE: ClassVar[str] = "live view"

    web_port: int = Field(default=6069, ge=1, le=65535)
    token: SecretStr | None = None
    backlog: int = Field(default=500, ge=1, le=100_000)
    articles: int = Field(default=200, ge=1, le=100_000)
    page_limit: int = Field(default=10_000, ge=100, le=100_000)
    group_id: str = Field(default="wirestream-web", min_length=1)
    extractor_group: str = Field(default="extractor", min_length=1)
    stats_interval: float = Field(default=2.0, gt=0, le=60)

    @field_validator("token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """``WIRESTREAM_WEB_TOKEN=`` (compose's ``${VAR:-}``) means no token."""
        return None if isinstance(value, str) and not value.strip() else value

    def __str__(self) -> str:
        return (
            f"bind={self.web_bind}:{self.web_port} backlog={self.backlog} "
            f"articles={self.articles} group={self.group_id} extractor={self.extractor_group} "
            f"token={'set' if self.token else 'none'}"
        )
