"""What the page is sent: each record kind's feed item, made from the record's JSON (pure).

A feed item is a small dict the browser renders as it is (always as text): an event's type,
place, counts with their qualifiers, actors and recipients; an incident's, in the same shape,
with its reconciled counts (best, low, high), sources (articles, outlets, independent outlets),
first and last reported, and status; a quote's speaker and text; an article's title and source. Full records stay on the server (:mod:`wirestream.web.store`) and
are fetched for the article view or a record's JSON.

Record kinds are data: :data:`FORMATTERS` maps a kind to its formatter, and
:mod:`wirestream.web.topics` maps it to its topic. A new kind (incidents) is one formatter here,
one topic entry there, and a renderer in ``static/feed.js`` (as :func:`incident_item` is). Records are read as plain JSON
objects, not validated models: the service only shows them, and a reader of a newer minor
version must not drop fields it does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Item = dict[str, Any]
Record = Mapping[str, Any]

FILTERED_KINDS = frozenset({"event", "incident"})
"""Kinds the page's filters (type, country, entity, time) apply to; the others always pass."""
UPDATED_IN_PLACE = frozenset({"incident"})
"""Kinds whose records are revised under the same id (the latest wins and is sent again); the
records of other kinds never change under their id, so a second copy is a replay and dropped."""


def _names(participants: Any) -> list[str]:
    return [str(p.get("name")) for p in participants or [] if isinstance(p, Mapping)]


def _place(location: Any) -> dict[str, Any] | None:
    if not isinstance(location, Mapping):
        return None
    geo = location.get("geo") if isinstance(location.get("geo"), Mapping) else None
    return {
        "name": location.get("name"),
        "country": location.get("country"),
        "lat": geo.get("lat") if geo else None,
        "lon": geo.get("lon") if geo else None,
    }


def _counts(record: Record) -> list[dict[str, Any]]:
    """Casualties first (killed, injured), then the other quantities, each with its qualifier."""
    counts: list[dict[str, Any]] = []
    casualties = record.get("casualties") or {}
    for label in ("killed", "injured"):
        count = casualties.get(label) if isinstance(casualties, Mapping) else None
        if isinstance(count, Mapping):
            counts.append(
                {
                    "label": label,
                    "value": count.get("value"),
                    "qualifier": count.get("qualifier", "exact"),
                    "of": count.get("of"),
                }
            )
    for quantity in record.get("quantities") or []:
        if isinstance(quantity, Mapping) and quantity.get("role") not in ("killed", "injured"):
            counts.append(
                {
                    "label": quantity.get("role"),
                    "value": quantity.get("value"),
                    "qualifier": quantity.get("qualifier", "exact"),
                    "of": quantity.get("counts"),
                }
            )
    return counts


def event_item(record: Record, time_ms: int) -> Item:
    """An event record as a feed row (``place`` is the event's location, else its first place)."""
    locations = [loc for loc in record.get("locations") or [] if isinstance(loc, Mapping)]
    place = _place(record.get("location")) or (_place(locations[0]) if locations else None)
    date = record.get("date")
    claim = record.get("claim")
    trigger = record.get("trigger")
    return {
        "kind": "event",
        "id": record.get("id"),
        "article_id": record.get("article_id"),
        "revision": record.get("revision"),
        "time": time_ms,
        "type": record.get("type"),
        "mode": record.get("mode"),
        "place": place,
        "places": [p for p in (_place(loc) for loc in locations) if p is not None],
        "counts": _counts(record),
        "actors": _names(record.get("actors")),
        "recipients": _names(record.get("recipients")),
        "date": date.get("value") if isinstance(date, Mapping) else None,
        "claim": claim.get("modality") if isinstance(claim, Mapping) else None,
        "trigger": trigger.get("text") if isinstance(trigger, Mapping) else None,
        "timeframe": record.get("timeframe"),
        "confidence": record.get("confidence"),
    }


def quote_item(record: Record, time_ms: int) -> Item:
    """A quote as the speakers view shows it: grouped by ``speaker_key``, newest first."""
    speaker = record.get("speaker") if isinstance(record.get("speaker"), Mapping) else None
    name = speaker.get("name") if speaker else None
    entity_id = speaker.get("entity_id") if speaker else None
    return {
        "kind": "quote",
        "id": record.get("id"),
        "article_id": record.get("article_id"),
        "revision": record.get("revision"),
        "time": time_ms,
        "text": record.get("text"),
        "type": record.get("type"),
        "speaker": name,
        "speaker_key": entity_id or (f"name:{name}" if name else "unattributed"),
        "confidence": record.get("confidence"),
    }


def article_item(record: Record, time_ms: int) -> Item:
    """An article's summary (the body stays on the server until the article view asks)."""
    given = record.get("counts")
    counts: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    return {
        "kind": "article",
        "id": record.get("id"),
        "article_id": record.get("article_id"),
        "revision": record.get("revision"),
        "time": time_ms,
        "title": record.get("title"),
        "source": record.get("source"),
        "url": record.get("url"),
        "published_at": record.get("published_at"),
        "language": record.get("language"),
        "duplicate_of": record.get("duplicate_of"),
        "counts": {k: counts.get(k) for k in ("entities", "quotes", "events")},
    }


def _reconciled(label: str, count: Any) -> dict[str, Any] | None:
    """A reconciled count as a feed count: ``value`` is the best figure; ``qualifier`` says how
    the reports bound it (exact when they pin it, at_least when none bounds it from above,
    about otherwise); ``low``, ``high`` and ``reports`` as the record gives them."""
    if not isinstance(count, Mapping):
        return None
    best, low, high = count.get("best"), count.get("low"), count.get("high")
    if high is not None and low == high == best:
        qualifier = "exact"
    elif high is None and low == best:
        qualifier = "at_least"
    else:
        qualifier = "about"
    reports = count.get("reports")
    return {
        "label": label,
        "value": best,
        "qualifier": qualifier,
        "of": None,
        "low": low,
        "high": high,
        "reports": len(reports) if isinstance(reports, list) else 0,
    }


def incident_item(record: Record, time_ms: int) -> Item:
    """An incident as a feed row, in the event row's shape (``article_id`` is None: an incident
    has many articles; ``sources`` counts them). A merged or dissolved incident's item carries
    its ``status`` (and ``merged_into``): the page drops it from the feed and the map."""
    place = record.get("place") if isinstance(record.get("place"), Mapping) else None
    casualties = record.get("casualties")
    counts = [
        c
        for label in ("killed", "injured")
        if isinstance(casualties, Mapping)
        and (c := _reconciled(label, casualties.get(label))) is not None
    ]
    given = record.get("sources")
    sources: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    date = record.get("date") if isinstance(record.get("date"), Mapping) else None
    return {
        "kind": "incident",
        "id": record.get("id"),
        "article_id": None,
        "time": time_ms,
        "status": record.get("status"),
        "merged_into": record.get("merged_into"),
        "type": record.get("type"),
        "mode": record.get("mode"),
        "place": {
            "name": place.get("name"),
            "country": place.get("country"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
        }
        if place
        else None,
        "places": [],
        "counts": counts,
        "actors": [str(a) for a in record.get("actors") or []],
        "recipients": [str(r) for r in record.get("recipients") or []],
        "date": {"start": date.get("start"), "end": date.get("end")} if date else None,
        "sources": {
            "articles": len(sources.get("articles") or []),
            "outlets": [str(o) for o in sources.get("outlets") or []],
            "independent_outlets": [str(o) for o in sources.get("independent_outlets") or []],
        },
        "article_ids": [str(a) for a in sources.get("articles") or []],
        "first_reported": record.get("first_reported"),
        "last_reported": record.get("last_reported"),
    }


FORMATTERS: dict[str, Callable[[Record, int], Item]] = {
    "article": article_item,
    "quote": quote_item,
    "event": event_item,
    "incident": incident_item,
}
"""Kinds streamed to the page, each with its formatter. Entities are kept for the article view
(and its highlights) but not streamed."""

GONE_STATUSES = frozenset({"merged", "dissolved"})
"""Incident statuses of a last record: the item is sent (pages drop the incident) but not kept."""
