"""The input contract: one raw article as a publisher sends it.

Size limits, and how they relate to the raw topic:

- a raw message (key + value, the article's JSON) is at most :data:`MAX_RAW_MESSAGE_BYTES`
  (8 MiB), the raw topic's ``max.message.bytes``; ``wirestream publish`` rejects a larger line and
  the broker refuses one;
- ``body`` is at most :data:`MAX_BODY_CHARS` (1,000,000) characters: at most 4 MB of UTF-8, or
  6 MB when every character is a control character JSON writes as six, so a body at the limit
  always fits in a raw message with room for the other fields (``title`` 10,000 characters,
  ``url`` 8,192, ...);
- ``metadata`` has no size limit of its own (the raw message bounds it) but nests at most
  :data:`MAX_METADATA_DEPTH` (32) levels of objects and arrays, well below what the JSON library
  can write back (254 levels for the whole record).

An article that passes validation within these limits can always be serialised again; its
records, which repeat the body and metadata, can still exceed the record topics' limit when the
raw message was close to it (the extractor then dead-letters the article).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from wirestream_contracts.ids import content_id, content_revision

MAX_BODY_CHARS = 1_000_000
"""Longest body accepted, in characters (Python string length)."""
MAX_RAW_MESSAGE_BYTES = 8 * 1024 * 1024
"""Largest raw message in bytes (key + value): the raw topic's ``max.message.bytes`` (8 MiB)."""
MAX_METADATA_DEPTH = 32
"""Deepest nesting accepted in ``metadata``, counting the metadata object itself as level 1."""


def nesting_depth(value: Any, limit: int) -> int:
    """Levels of objects/arrays in ``value`` (a scalar is 0), counted up to ``limit + 1`` at most.

    Iterative, so a value nested a thousand levels deep costs no recursion.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class Article(BaseModel):
    """A raw article. Unknown fields are rejected with a message naming them.

    ``id`` is derived from the title and body when absent, so the same content always gets the same
    id. ``published_at`` (RFC 3339 with a time zone) is the reference date for relative dates such as
    "on Wednesday".

    A repeated ``id`` means one of two things, told apart by :attr:`revision` (a digest of title,
    body, published_at and language): the same content again is an idempotent replay (the same
    records, byte for byte, under the same record ids), new content is a new revision of the
    article, whose records get new ids and carry the new ``revision``.

    **Story versions** (all optional; see ``docs/CONSUMERS.md``, "Story versions and
    retractions"): ``story_id`` names the story an article is a version of (default: the article
    id, so a repeated id is a repeated story); ``version`` (1, 2, ...) orders the versions of a
    story (default: the wire version tag of the title or first line, "UPDATE 2-" → 3, else 1);
    ``status`` ``"killed"`` or ``"withdrawn"`` (or a "KILL-", "WITHDRAWN-" or "ELIMINATE-" tag)
    says the story is withdrawn: everything of it is retracted. Publishers key raw messages by
    ``story_id`` (else ``id``), so that every version of a story reaches the same raw partition;
    ``wirestream publish`` does.
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
        default_factory=dict,
        description=f"Free object, passed through; nests at most {MAX_METADATA_DEPTH} levels.",
    )
    story_id: str | None = Field(
        default=None,
        max_length=512,
        description="The story this article is a version of (default: the article id). Key the "
        "raw message by it.",
    )
    version: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="The version number within the story: a higher version replaces a lower "
        "(default: from the wire version tag, 'UPDATE 2-' gives 3, else 1).",
    )
    status: Literal["usable", "killed", "withdrawn"] | None = Field(
        default=None,
        description="'killed' or 'withdrawn': the story is withdrawn and every record of it is "
        "retracted (default 'usable'; a 'KILL-', 'WITHDRAWN-' or 'ELIMINATE-' tag also kills).",
    )

    @field_validator("body")
    @classmethod
    def _body_has_text(cls, body: str) -> str:
        if not body.strip():
            raise ValueError("body is blank: send the article's text in 'body'")
        return body

    @field_validator("metadata")
    @classmethod
    def _metadata_not_too_deep(cls, metadata: dict[str, Any]) -> dict[str, Any]:
        if nesting_depth(metadata, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH:
            raise ValueError(
                f"metadata nests more than {MAX_METADATA_DEPTH} levels of objects and arrays "
                f"(the limit): flatten it to at most {MAX_METADATA_DEPTH} levels"
            )
        return metadata

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
    def revision(self) -> str:
        """The revision of the content extraction reads (title, body, published_at, language):
        the same id with new content is a new revision; see :func:`~wirestream_contracts.ids.content_revision`."""
        return content_revision(self.title, self.body, self.published_at, self.language)

    @property
    def story(self) -> str:
        """The story id: ``story_id``, else the article id."""
        return self.story_id or self.id

    @property
    def published(self) -> datetime | None:
        """``published_at`` (alias kept short for the extraction code)."""
        return self.published_at
