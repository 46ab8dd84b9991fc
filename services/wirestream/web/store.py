"""What the live view keeps in memory (pure): the newest items of each kind, and recent articles.

- :class:`Ring` — the newest ``backlog`` feed items of one kind, by record id: a record seen
  again (an idempotent replay, a re-read after a restart) is neither kept twice nor sent again.
- :class:`LiveStore` — one ring per streamed kind, plus the last ``articles`` articles with all
  their records (entities included) for the article view and for a record's JSON, and the
  latest record of the last ``backlog`` incidents (by incident id: an incident has no single
  article). A merged or dissolved incident leaves its ring (its last item still goes out, so
  pages drop it) but its record stays for look-ups. An article
  comes back to the front each time one of its records arrives; the oldest is dropped.

Nothing here knows Kafka or HTTP: :mod:`wirestream.web.consumer` feeds it, the routes read it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from wirestream.web.feed import FORMATTERS, GONE_STATUSES, UPDATED_IN_PLACE, Item
from wirestream.web.filters import FeedFilter

PLURALS = {"entity": "entities"}
"""The article view's key for a kind's records, where it is not the kind plus ``s``."""


class Ring:
    """At most ``size`` items, oldest dropped first; ``add`` ignores an id it already holds, or
    with ``replace`` puts the new item in its place as the newest."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Item] = OrderedDict()

    def add(self, item: Item, *, replace: bool = False) -> bool:
        key = str(item.get("id"))
        if key in self._items:
            if not replace:
                return False
            del self._items[key]
        self._items[key] = item
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return True

    def discard(self, key: str) -> bool:
        """Drop the item ``key``; whether it was held."""
        return self._items.pop(key, None) is not None

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items.values())


@dataclass
class ArticleEntry:
    """One article's records as they arrived (the article record may come after its events)."""

    article: dict[str, Any] | None = None
    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def current(self, kind: str) -> list[dict[str, Any]]:
        """The ``kind`` records of the article's current revision (all when it is unknown)."""
        revision = self.article.get("revision") if self.article else None
        return [
            r
            for r in self.records.get(kind, {}).values()
            if revision is None or r.get("revision") in (None, revision)
        ]


class LiveStore:
    """The rings and the article index, fed one record at a time by :meth:`add`."""

    def __init__(self, backlog: int, articles: int) -> None:
        self.rings: dict[str, Ring] = {kind: Ring(backlog) for kind in FORMATTERS}
        self.max_articles = articles
        self.articles: OrderedDict[str, ArticleEntry] = OrderedDict()
        self.max_incidents = backlog
        self.incidents: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def add(self, kind: str, record: Mapping[str, Any], time_ms: int) -> Item | None:
        """Keep ``record``; the feed item to send to pages, or None (not streamed, or seen)."""
        self._index(kind, record)
        formatter = FORMATTERS.get(kind)
        if formatter is None:
            return None
        item = formatter(record, time_ms)
        if kind == "incident":
            return self._incident(record, item)
        added = self.rings[kind].add(item, replace=kind in UPDATED_IN_PLACE)
        return item if added else None

    def _incident(self, record: Mapping[str, Any], item: Item) -> Item | None:
        """Keep the incident's latest record; its item, or None when nothing changed."""
        key = str(record.get("id"))
        if self.incidents.get(key) == record:
            return None
        self.incidents[key] = dict(record)
        self.incidents.move_to_end(key)
        while len(self.incidents) > self.max_incidents:
            self.incidents.popitem(last=False)
        if item.get("status") in GONE_STATUSES:
            self.rings["incident"].discard(key)
            return item
        self.rings["incident"].add(item, replace=True)
        return item

    def _index(self, kind: str, record: Mapping[str, Any]) -> None:
        article_id = record.get("article_id")
        if not isinstance(article_id, str):
            return
        entry = self.articles.get(article_id)
        if entry is None:
            entry = self.articles[article_id] = ArticleEntry()
        else:
            self.articles.move_to_end(article_id)
        if kind == "article":
            entry.article = dict(record)
        else:
            entry.records.setdefault(kind, {})[str(record.get("id"))] = dict(record)
        while len(self.articles) > self.max_articles:
            self.articles.popitem(last=False)

    def snapshot(self, wanted: FeedFilter) -> list[Item]:
        """Every kept item ``wanted`` lets through, oldest first (the page puts newest on top)."""
        items = [item for ring in self.rings.values() for item in ring if wanted.matches(item)]
        items.sort(key=lambda item: (item.get("time") or 0, str(item.get("id"))))
        return items

    def article_view(self, article_id: str) -> dict[str, Any] | None:
        """The article record with its current entities, quotes and events; None if not kept."""
        entry = self.articles.get(article_id)
        if entry is None:
            return None
        view: dict[str, Any] = {"article_id": article_id, "article": entry.article}
        for kind in sorted({"entity", "quote", "event", *entry.records}):
            view[PLURALS.get(kind, f"{kind}s")] = entry.current(kind)
        return view

    def record(self, kind: str, record_id: str, article_id: str | None = None) -> Any:
        """One kept record by kind and id (the article's entry first when ``article_id``); an
        incident by its id."""
        if kind == "incident":
            return self.incidents.get(record_id)
        entries = (
            [self.articles[article_id]]
            if article_id is not None and article_id in self.articles
            else reversed(self.articles.values())
        )
        for entry in entries:
            if kind == "article" and entry.article and entry.article.get("id") == record_id:
                return entry.article
            found = entry.records.get(kind, {}).get(record_id)
            if found is not None:
                return found
        return None
