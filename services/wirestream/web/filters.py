"""The page's filters, applied on the server to the snapshot and to every item that follows (pure).

A page opens ``/api/stream?type=ASSAULT,PROTEST&country=UA&entity=kuleba&since=...&until=...``;
changing a filter reopens the stream, so what is shown and what arrives next obey the same
filter. Filters apply to events (and incidents: :data:`~wirestream.web.feed.FILTERED_KINDS`);
articles and quotes always pass (the page needs them for sources and the speakers view).

- ``type`` — comma-separated event types; any of them matches. Empty: every type.
- ``country`` — ISO 3166-1 alpha-2 code of the event's place or any place it names.
- ``entity`` — a name, case-insensitive, contained in an actor's, a recipient's or a place's name.
- ``since`` / ``until`` — milliseconds since the epoch (the record's Kafka timestamp), inclusive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wirestream.errors import InputError
from wirestream.web.feed import FILTERED_KINDS

_TYPE = re.compile(r"^[A-Z_]{1,32}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_ENTITY_CHARS = 200


@dataclass(frozen=True)
class FeedFilter:
    """What a page wants to see; the default shows everything."""

    types: frozenset[str] = frozenset()
    country: str | None = None
    entity: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> FeedFilter:
        """Read the stream's query parameters; a malformed value raises :class:`InputError`."""
        types = frozenset(t.strip().upper() for t in query.get("type", "").split(",") if t.strip())
        bad = sorted(t for t in types if not _TYPE.match(t))
        if bad:
            raise InputError(f"type: not an event type: {', '.join(bad)}")
        country = query.get("country", "").strip().upper() or None
        if country is not None and not _COUNTRY.match(country):
            raise InputError("country: give an ISO 3166-1 alpha-2 code such as UA")
        entity = query.get("entity", "").strip().casefold() or None
        if entity is not None and len(entity) > MAX_ENTITY_CHARS:
            raise InputError(f"entity: at most {MAX_ENTITY_CHARS} characters")
        return cls(
            types=types,
            country=country,
            entity=entity,
            since_ms=_millis(query, "since"),
            until_ms=_millis(query, "until"),
        )

    @property
    def active(self) -> bool:
        return bool(self.types or self.country or self.entity) or (
            self.since_ms is not None or self.until_ms is not None
        )

    def matches(self, item: Mapping[str, Any]) -> bool:
        """True when the page should show ``item`` (always for kinds filters do not apply to)."""
        if item.get("kind") not in FILTERED_KINDS:
            return True
        if self.types and item.get("type") not in self.types:
            return False
        time_ms = item.get("time")
        if self.since_ms is not None and (time_ms is None or time_ms < self.since_ms):
            return False
        if self.until_ms is not None and (time_ms is None or time_ms > self.until_ms):
            return False
        places = _places(item)
        if self.country is not None and not any(p.get("country") == self.country for p in places):
            return False
        if self.entity is not None:
            names = [*item.get("actors", []), *item.get("recipients", [])]
            names += [str(p.get("name") or "") for p in places]
            if not any(self.entity in str(name).casefold() for name in names):
                return False
        return True


def _places(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    places = [p for p in item.get("places") or [] if isinstance(p, Mapping)]
    place = item.get("place")
    if isinstance(place, Mapping):
        places.insert(0, place)
    return places


def _millis(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name}: milliseconds since the epoch, e.g. 1721833200000") from None
    if value < 0:
        raise InputError(f"{name}: must not be negative")
    return value
