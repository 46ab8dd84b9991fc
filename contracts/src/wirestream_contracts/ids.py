"""The content digests an article's identity rests on (``wirestream.core.ids`` builds on them)."""

from __future__ import annotations

import hashlib
from datetime import datetime

import orjson

REVISION_HEX_DIGITS = 16
"""Length of a revision: 16 hex digits (64 bits of sha256)."""


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
    # orjson, as Wirestream writes all JSON: the bytes hashed must never change.
    canonical = orjson.dumps(
        ["revision-1", title, body, stamp, language], option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(canonical).hexdigest()[:REVISION_HEX_DIGITS]
