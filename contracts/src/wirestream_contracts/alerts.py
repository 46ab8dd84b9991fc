"""Alerts: a rule fired on one or more records."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wirestream_contracts.base import ReadingModel


class AlertRecord(ReadingModel):
    """One firing of one rule, with the records that triggered it and a summary for people."""

    kind: Literal["alert"] = "alert"
    schema_version: Literal[1] = 1
    id: str = Field(description="Deterministic: rule name and triggering record ids.")
    rule: str
    severity: Literal["info", "low", "medium", "high", "critical"]
    summary: str
    record_ids: list[str]
    article_ids: list[str]
    window_key: str | None = Field(
        default=None, description="The group a windowed rule counted in (e.g. a region)."
    )
    fired_at: str = Field(description="RFC 3339 UTC.")
