"""The input contract: one raw article as a publisher sends it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from wirestream.core.ids import content_id

MAX_BODY_CHARS = 1_000_000
"""Longest body accepted, in characters (Python string length)."""


class Article(BaseModel):
    """A raw article. Unknown fields are rejected with a message naming them.

    ``id`` is derived from the title and body when absent, so the same content always gets the same
    id. ``published_at`` (RFC 3339 with a time zone) is the reference date for relative dates such as
    "on Wednesday".
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    id: str = Field(default="", max_length=512, description="Publisher's id; derived when absent.")
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS, description="The text, as received.")
    title: str | None = Field(default=None, max_length=10_000)
    source: str | None = Field(default=None, max_length=512, description="The publisher.")
    url: str | None = Field(default=None, max_length=8_192)
    published_at: AwareDatetime | None = Field(
        default=None,
        description="RFC 3339 timestamp with offset; the reference for relative dates.",
    )
    language: str | None = Field(default=None, max_length=35, description="BCP 47 tag, e.g. 'en'.")
    authors: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(
        default_factory=dict, description="Free object, passed through."
    )

    @field_validator("body")
    @classmethod
    def _body_has_text(cls, body: str) -> str:
        if not body.strip():
            raise ValueError("body is blank: send the article's text in 'body'")
        return body

    @field_validator("published_at", mode="before")
    @classmethod
    def _rfc3339(cls, value: Any) -> Any:
        if isinstance(value, str) and value.endswith("Z"):
            return value[:-1] + "+00:00"
        return value

    @model_validator(mode="after")
    def _derive_id(self) -> Article:
        if not self.id:
            object.__setattr__(self, "id", content_id((self.title or "") + "\x1e" + self.body))
        return self

    @property
    def published(self) -> datetime | None:
        """``published_at`` (alias kept short for the extraction code)."""
        return self.published_at
