"""Deterministic identifiers: the same input through the same version gives the same id."""

from __future__ import annotations

import hashlib

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


def record_id(kind: str, article_id: str, *parts: object) -> str:
    """Id of one record: its kind, the article's id and what makes it unique within the article.

    ``parts`` are typically span offsets (``start``, ``end``) or a canonical name; they must not
    depend on anything but the article and the extractor's version.
    """
    key = "\x1f".join([kind, article_id, *map(str, parts)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"{_PREFIX.get(kind, kind[:3])}_{digest}"
