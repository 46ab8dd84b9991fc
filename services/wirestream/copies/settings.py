"""The copies stage's settings: one frozen object read once at start-up (env ``WIRESTREAM_COPIES_``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from wirestream.streaming.service import ServiceSettings, group_id_field

ENV_PREFIX = "WIRESTREAM_COPIES_"


class CopiesSettings(ServiceSettings):
    """Everything the copies stage can be told, each by one environment variable.

    - ``group_id`` — ``WIRESTREAM_COPIES_GROUP_ID`` (or, as before, ``..._APP_ID``); default
      ``copies``. The consumer group and the transactional id's prefix are
      ``WIRESTREAM_KAFKA_TOPIC_PREFIX`` + this.
    - ``threshold`` — ``WIRESTREAM_COPIES_THRESHOLD``; default 0.95 (SimHash similarity, as the
      extractor's ``WIRESTREAM_EXTRACTOR_DEDUP_THRESHOLD``).
    - ``window`` — ``WIRESTREAM_COPIES_WINDOW``; default 172800 s (2 days): an article is a copy
      only of articles at most this much earlier.
    - ``batch_size`` — ``WIRESTREAM_COPIES_BATCH_SIZE``; default 500 fingerprints per transaction.
    - ``web_port`` — ``WIRESTREAM_COPIES_WEB_PORT``; default 6070 (``/health``, ``/ready``,
      ``/metrics``). ``web_bind`` — ``WIRESTREAM_COPIES_WEB_BIND``; default ``127.0.0.1``.
    - ``session_timeout`` — ``WIRESTREAM_COPIES_SESSION_TIMEOUT``; default 20 s.
    - ``transaction_timeout`` — ``WIRESTREAM_COPIES_TRANSACTION_TIMEOUT``; default 60 s.
    - ``log_level`` — ``WIRESTREAM_COPIES_LOG_LEVEL``; default ``INFO``.
    - ``provision_topics`` — ``WIRESTREAM_COPIES_PROVISION_TOPICS``; default true.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, frozen=True, extra="ignore", populate_by_name=True
    )
    SERVICE: ClassVar[str] = "copies"

    group_id: str = group_id_field("copies", ENV_PREFIX, old_name="APP_ID")
    threshold: float = Field(default=0.95, gt=0.5, le=1.0)
    window: float = Field(default=172_800.0, gt=0)
    batch_size: int = Field(default=500, ge=1, le=100_000)
    web_port: int = Field(default=6070, ge=1, le=65535)
    session_timeout: float = Field(default=20.0, ge=6.0, le=300.0)
    transaction_timeout: float = Field(default=60.0, ge=5.0, le=900.0)
