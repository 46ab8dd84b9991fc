"""Archiver settings (env prefix ``WIRESTREAM_ARCHIVER_``), read once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from wirestream.streaming.service import ServiceSettings

ENV_PREFIX = "WIRESTREAM_ARCHIVER_"


class ArchiverSettings(ServiceSettings):
    """Where the archive lives and when the archiver writes a file.

    - ``archive_url`` — ``WIRESTREAM_ARCHIVER_ARCHIVE_URL``; default ``./var/archive`` (a local
      directory). ``s3://bucket/prefix`` writes to an S3-compatible store (MinIO) instead.
    - ``s3_endpoint`` — ``WIRESTREAM_ARCHIVER_S3_ENDPOINT``; default none (AWS). For MinIO e.g.
      ``http://minio:9000``.
    - ``s3_access_key`` / ``s3_secret_key`` — ``WIRESTREAM_ARCHIVER_S3_ACCESS_KEY`` /
      ``WIRESTREAM_ARCHIVER_S3_SECRET_KEY``; default none (the SDK's usual credential chain).
    - ``s3_region`` — ``WIRESTREAM_ARCHIVER_S3_REGION``; default ``us-east-1``.
    - ``flush_records`` — ``WIRESTREAM_ARCHIVER_FLUSH_RECORDS``; default 5000: a topic-partition's
      buffer is written once it holds this many records...
    - ``flush_seconds`` — ``WIRESTREAM_ARCHIVER_FLUSH_SECONDS``; default 60: ...or once its oldest
      record has waited this long.
    - ``group_id`` — ``WIRESTREAM_ARCHIVER_GROUP_ID``; default ``wirestream-archiver`` (also the
      faust app id).
    - ``data_dir`` — ``WIRESTREAM_ARCHIVER_DATA_DIR``; default ``var/archiver`` (faust's data directory,
      created at start-up).
    - ``web_port`` — ``WIRESTREAM_ARCHIVER_WEB_PORT``; default 6067 (``/health``, ``/ready``,
      ``/metrics``; nothing else is served). ``web_bind`` — ``WIRESTREAM_ARCHIVER_WEB_BIND``;
      default ``127.0.0.1`` (loopback only; ``0.0.0.0`` in a container whose port is scraped).
    - ``exit_after_write`` — ``WIRESTREAM_ARCHIVER_EXIT_AFTER_WRITE``; default false. A test hook:
      the process kills itself right after the first file is renamed into place and before the
      offsets are committed, to prove a crash there loses and duplicates nothing.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")
    SERVICE: ClassVar[str] = "archiver"

    archive_url: str = "./var/archive"
    s3_endpoint: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    s3_region: str = "us-east-1"
    flush_records: int = Field(default=5000, ge=1)
    flush_seconds: float = Field(default=60.0, gt=0)
    group_id: str = Field(default="wirestream-archiver", min_length=1)
    data_dir: Path = Path("var/archiver")
    web_port: int = Field(default=6067, ge=1, le=65535)
    exit_after_write: bool = False

    @field_validator("archive_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if "://" in value and not value.startswith(("s3://", "file://")):
            raise ValueError("use a local directory, file:///path or s3://bucket/prefix")
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    def __str__(self) -> str:
        return (
            f"archive={self.archive_url} endpoint={self.s3_endpoint or '-'} "
            f"flush={self.flush_records} records/{self.flush_seconds}s group={self.group_id}"
        )
