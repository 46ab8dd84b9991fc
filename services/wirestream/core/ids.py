"""Deterministic identifiers: the same input through the same version gives the same id.

An article's records are identified by (kind, article id, revision, what is unique within the
article): :func:`content_revision` is a digest of the content extraction reads, so the same
article id sent again with the same content gives the same record ids (an idempotent replay),
and with different content gives new ones (a new revision).
"""

from __future__ import annotations

import hashlib

from wirestream_contracts.ids import REVISION_HEX_DIGITS, content_id, content_revision

__all__ = ["REVISION_HEX_DIGITS", "content_id", "content_revision", "record_id"]

_PREFIX = {
    "article": "art",
    "entity": "ent",
    "quote": "quo",
    "event": "evt",
    "alert": "alr",
}


def record_id(kind: str, article_id: str, *parts: object) -> str:
    """Id of one record: its kind, the article's id and what makes it unique within the article.

    For the records of an article the first part is the article's revision
    (:func:`content_revision`), then typically span offsets (``start``, ``end``) or a canonical
    name; parts must not depend on anything but the article and the extractor's version.
    """
    key = "\x1f".join([kind, article_id, *map(str, parts)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"{_PREFIX.get(kind, kind[:3])}_{digest}"
