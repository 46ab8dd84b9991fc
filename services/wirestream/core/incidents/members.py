"""Members: an article's event records, summarised for clustering (``IncidentMember``).

One article's current events become members; background events (earlier happenings the text
recalls) do not. An incident needs a place: an event whose sentence names none takes the place
the article names most often for events of its type, else the article's dateline; an event left
without any place is not a member. The partition key is coarse (country and event type) so that
every candidate of an incident meets in one partition; a place without a country takes the
article's most named country. Actors and recipients are the named ones (linked to an entity
record): "a man" or "two people" say nothing about which happening it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib import resources

from wirestream_contracts.incidents import IncidentMember, MemberCount
from wirestream_contracts.records import ArticleRecord, Count, EventLocation, EventRecord

UNKNOWN_COUNTRY = "ZZ"
"""The partition key's country when neither the event nor its article gives one."""


@cache
def authority_words() -> tuple[str, ...]:
    """The authority lexicon (``data/authorities.txt``; its README says where it came from)."""
    text = resources.files(__package__).joinpath("data/authorities.txt").read_text("utf-8")
    return tuple(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@cache
def _authority_pattern() -> re.Pattern[str]:
    words = sorted(authority_words(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def is_official(event: EventRecord) -> bool:
    """The event's figures come from an authority: a confirmed claim, or a claim whose source
    names one (``data/authorities.txt``)."""
    claim = event.claim
    if claim is None:
        return False
    if claim.modality == "confirmed":
        return True
    if claim.source is None or claim.modality in ("denied", "alleged"):
        return False
    return _authority_pattern().search(claim.source.name.lower()) is not None


def normalise_name(name: str) -> str:
    """Lower case, no leading article, single spaces: the form names are compared in."""
    text = re.sub(r"\s+", " ", name.strip().lower())
    return re.sub(r"^(?:the|a|an) ", "", text)


def partition_key(country: str | None, event_type: str) -> str:
    """The coarse key candidates meet under: ``<country or ZZ>|<event type>``."""
    return f"{country or UNKNOWN_COUNTRY}|{event_type}"


def _count(count: Count | None) -> MemberCount | None:
    return None if count is None else MemberCount(value=count.value, qualifier=count.qualifier)


def _article_places(
    article: ArticleRecord, events: Sequence[EventRecord]
) -> dict[str, EventLocation]:
    """Per event type: the place the article's current events of that type name most often
    (ties: the first named); ``""``: the dateline's place, when the article has one."""
    out: dict[str, EventLocation] = {}
    by_type: dict[str, Counter[str]] = {}
    first: dict[tuple[str, str], EventLocation] = {}
    for event in events:
        if event.timeframe != "current" or event.location is None:
            continue
        name = normalise_name(event.location.name)
        by_type.setdefault(event.type, Counter())[name] += 1
        first.setdefault((event.type, name), event.location)
    for event_type, counts in by_type.items():
        best = max(counts.items(), key=lambda kv: kv[1])[0]
        out[event_type] = first[(event_type, best)]
    envelope = article.envelope
    if envelope is not None and envelope.dateline is not None:
        out[""] = envelope.dateline.place
    return out


def _article_country(article: ArticleRecord, events: Sequence[EventRecord]) -> str | None:
    countries = Counter(
        place.country
        for event in events
        for place in (event.location, *event.locations)
        if place is not None and place.country
    )
    dateline = article.envelope.dateline if article.envelope is not None else None
    if dateline is not None and dateline.place.country:
        countries[dateline.place.country] += 1
    return max(sorted(countries.items()), key=lambda kv: kv[1])[0] if countries else None


def members_of_article(
    article: ArticleRecord, events: Sequence[EventRecord]
) -> list[IncidentMember]:
    """The article's current events of its revision as members, in event order; events with no
    place (their own, the article's for their type, or the dateline's) are left out."""
    current = [e for e in events if e.revision == article.revision or e.revision is None]
    places = _article_places(article, current)
    country = _article_country(article, current)
    out: list[IncidentMember] = []
    for event in current:
        if event.timeframe != "current":
            continue
        place = event.location or places.get(event.type) or places.get("")
        if place is None:
            continue
        source = (
            "article"
            if event.location is None and place is places.get(event.type)
            else "dateline"
            if event.location is None or event.location.place_source == "dateline"
            else "text"
        )
        place_country = place.country or country
        geo = place.geo
        out.append(
            IncidentMember(
                op="add",
                partition_key=partition_key(place_country, event.type),
                article_id=article.article_id,
                revision=article.revision,
                event_id=event.id,
                type=event.type,
                mode=event.mode,
                outlet=article.source,
                duplicate_of=article.duplicate_of,
                published_at=article.published_at,
                event_date=event.date.value
                if event.date and event.date.precision == "day"
                else None,
                place_name=place.name,
                place_source=source,
                country=place_country,
                lat=geo.lat if geo else None,
                lon=geo.lon if geo else None,
                feature=geo.feature if geo else None,
                gazetteer_id=geo.gazetteer_id if geo else None,
                actors=sorted({p.name for p in event.actors if p.entity_id}),
                recipients=sorted({p.name for p in event.recipients if p.entity_id}),
                killed=_count(event.casualties.killed),
                injured=_count(event.casualties.injured),
                official=is_official(event),
            )
        )
    return out
