"""Incident stage settings (env prefix ``WIRESTREAM_INCIDENTS_``), read once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from wirestream.streaming.service import ServiceSettings

ENV_PREFIX = "WIRESTREAM_INCIDENTS_"


class IncidentSettings(ServiceSettings):
    """The clustering's windows and the worker's identity.

    - ``event_days`` — ``WIRESTREAM_INCIDENTS_EVENT_DAYS``; default 1: two events whose texts
      date them may be one happening when their days are at most this far apart.
    - ``report_days`` — ``WIRESTREAM_INCIDENTS_REPORT_DAYS``; default 2: the same when a member is
      dated by its publication only.
    - ``fine_km`` — ``WIRESTREAM_INCIDENTS_FINE_KM``; default 2.0: two place-level points this
      close are the same place.
    - ``horizon_days`` — ``WIRESTREAM_INCIDENTS_HORIZON_DAYS``; default 30: members this many days
      older than their key's newest member are forgotten (their incidents stay as published), a
      member that old on arrival is ignored, and retractions and copy markings are forgotten
      this long after what they concerned (by member day in a key, by message time in the
      ``retracted``/``copied`` notes).
    - ``group_id`` — ``WIRESTREAM_INCIDENTS_GROUP_ID``; default ``wirestream-incidents`` (the
      faust app id: consumer group and table changelog prefix).
    - ``data_dir`` — ``WIRESTREAM_INCIDENTS_DATA_DIR``; default ``var/incidents``.
    - ``web_port`` — ``WIRESTREAM_INCIDENTS_WEB_PORT``; default 6071 (``/health``, ``/ready``,
      ``/metrics``). ``web_bind`` — ``WIRESTREAM_INCIDENTS_WEB_BIND``; default ``127.0.0.1``.
    - ``log_level`` — ``WIRESTREAM_INCIDENTS_LOG_LEVEL``; default ``INFO`` (``--log-level``
      overrides it).
    - ``provision_topics`` — ``WIRESTREAM_INCIDENTS_PROVISION_TOPICS``; default true: create the
      declared topics that are missing before starting.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")
    SERVICE: ClassVar[str] = "incident"

    event_days: int = Field(default=1, ge=0, le=30)
    report_days: int = Field(default=2, ge=0, le=30)
    fine_km: float = Field(default=2.0, gt=0)
    horizon_days: int = Field(default=30, ge=1, le=3650)
    group_id: str = Field(default="wirestream-incidents", min_length=1)
    data_dir: Path = Path("var/incidents")
    web_port: int = Field(default=6071, ge=1, le=65535)

    def __str__(self) -> str:
        return (
            f"event_days={self.event_days} report_days={self.report_days} "
            f"fine_km={self.fine_km} horizon_days={self.horizon_days} group={self.group_id}"
        )
