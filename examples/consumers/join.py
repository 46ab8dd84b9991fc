"""What both Python examples share: join event records to their article's text, check spans.

Not Kafka-specific: ``Joiner.add(value, headers)`` takes one message from the ``articles`` or
``events`` topic and returns the articles that became complete (their article record and every one
of their events are in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wirestream_contracts import ArticleRecord, EventRecord, headers


@dataclass
class Article:
    record: ArticleRecord | None = None
    events: dict[str, EventRecord] = field(
        default_factory=dict
    )  # upsert by id: replays are harmless
    trace: str | None = None


def spans(value: Any) -> list[dict[str, Any]]:
    """Every span in a record (a dict with start, end, text and field)."""
    if isinstance(value, dict):
        found = [value] if {"start", "end", "text", "field"} <= value.keys() else []
        return found + [s for v in value.values() for s in spans(v)]
    if isinstance(value, list):
        return [s for v in value for s in spans(v)]
    return []


@dataclass
class Joiner:
    articles: dict[str, Article] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)

    def add(self, value: bytes, message_headers: Any) -> list[dict[str, Any]]:
        meta = headers.as_text(message_headers)
        kind = meta.get(headers.KIND)
        if kind not in ("article", "event") or meta.get(headers.SCHEMA_VERSION) != "1":
            return []  # other kinds, or a major version this reader does not know
        record = (ArticleRecord if kind == "article" else EventRecord).model_validate_json(value)
        article = self.articles.setdefault(record.article_id, Article())
        if isinstance(record, ArticleRecord):
            if article.record is None or article.record.revision != record.revision:
                article.events = {  # a new revision replaces the old one's events
                    i: e for i, e in article.events.items() if e.revision == record.revision
                }
            article.record, article.trace = record, meta.get("traceparent")
        elif article.record is None or record.revision == article.record.revision:
            article.events[record.id] = record
        return self._complete(record.article_id)

    def _complete(self, article_id: str) -> list[dict[str, Any]]:
        article = self.articles[article_id]
        record = article.record
        if record is None or len(article.events) < record.counts.events or article_id in self.done:
            return []
        texts = {"body": record.body, "title": record.title or ""}
        checked = 0
        for event in article.events.values():
            for span in spans(event.model_dump()):
                # Offsets are code points: Python str indices are code points already.
                assert texts[span["field"]][span["start"] : span["end"]] == span["text"], span
                checked += 1
        self.done.add(article_id)
        return [
            {
                "article_id": article_id,
                "revision": record.revision,
                "events": len(article.events),
                "spans_checked": checked,
                "traceparent": article.trace,
            }
        ]
