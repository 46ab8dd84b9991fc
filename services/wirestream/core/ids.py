"""Deterministic identifiers: the same input through the same version gives the same id.

An article's records are identified by (kind, article id, revision, what is unique within the
article): :func:`content_revision` is a digest of the content extraction reads, so the same
article id sent again with the same content gives the same record ids (an idempotent replay),
and with different content gives new ones (a new revision).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from wirestream.core import jsonio

REVISION_HEX_DIGITS = 16
"""Length of a revision: 16 hex digits (64 bits of sha256)."""

_PREFIX = {
    "article": "art",
    "entity": "ent",
    "quote": "quo",
    "event": "evt",
    "alert": "alr",
}


def content_id(text: str) -> str:
    """Id of an article that arrived without one: a hash of its title and body."""
    return "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def content_revision(
    title: str | None, body: str, published_at: datetime | None, language: str | None
) -> str:
    """The revision of an article's content: the first 16 hex digits of a sha256 over exactly
    what extraction reads - ``title``, ``body``, ``published_at`` (the reference for relative
    dates; ISO 8601 with its offset) and the given ``language`` (None when it was detected).

    ``source``, ``url``, ``authors`` and ``metadata`` are passed through, not read, so they do not
    change the revision (the article record carries their latest values).
    """
    stamp = published_at.isoformat() if published_at is not None else None
    canonical = jsonio.dumps(["revision-1", title, body, stamp, language])
    return hashlib.sha256(canonical).hexdigest()[:REVISION_HEX_DIGITS]


def record_id(kind: str, article_id: str, *parts: object) -> str:
    """Id of one record: its kind, the article's id and what makes it unique within the article.

    For the records of an article the first part is the article's revision
    (:func:`content_revision`), then typically span offsets (``start``, ``end``) or a canonical
    name; parts must not depend on anything but the article and the extractor's version.
    """
    key = "\x1f".join([kind, article_id, *map(str, parts)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"{_PREFIX.get(kind, kind[:3])}_{digest}"
