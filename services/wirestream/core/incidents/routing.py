"""Routing: an article's records gathered until complete, and members sent to their partition.

The extractor publishes an article record and its event records to two topics, keyed by article
id and co-partitioned, in one transaction; a reader of both sees them interleaved in any order.
:class:`Pending` gathers one article's records until the article record and as many events of
its revision as it counts (``counts.events``) are there: then its members can be made
(:func:`~.members.members_of_article` needs them all - an event without a place takes the
article's). Events of another revision than the article record's wait for theirs.

:func:`member_partition` is the partition of the members topic a partition key goes to (crc32,
so every producer and the clustering agent agree without a client library's partitioner).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

from wirestream_contracts.records import ArticleRecord, EventRecord


def member_partition(key: str, partitions: int) -> int:
    """The members-topic partition of partition key ``key``: crc32 modulo ``partitions``."""
    return zlib.crc32(key.encode("utf-8")) % partitions


@dataclass
class Pending:
    """One article's records seen so far (serialised into a changelogged table)."""

    article: dict[str, Any] | None = None
    events: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, record: dict[str, Any]) -> None:
        """Take an article or event record (as decoded JSON); a replayed one changes nothing."""
        if record.get("kind") == "article":
            self.article = record
        elif record.get("kind") == "event" and isinstance(record.get("id"), str):
            self.events[record["id"]] = record

    def complete(self) -> tuple[ArticleRecord, list[EventRecord]] | None:
        """The article and its revision's events, once all are there; else None."""
        if self.article is None:
            return None
        article = ArticleRecord.model_validate(self.article)
        wanted = article.counts.events
        mine = [e for e in self.events.values() if e.get("revision") == article.revision]
        if len(mine) < wanted:
            return None
        events = [EventRecord.model_validate(e) for e in mine]
        events.sort(key=lambda e: (e.evidence.start, e.trigger.start, e.id))
        return article, events

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "events": self.events}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Pending:
        if not data:
            return cls()
        return cls(article=data.get("article"), events=dict(data.get("events") or {}))
