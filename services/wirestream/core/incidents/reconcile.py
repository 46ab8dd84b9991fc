"""One incident's record from its members: place, date, participants, counts, sources.

Counts (killed, injured) are reconciled across reports: ``low`` is the largest lower bound any
report gives, ``high`` the smallest upper bound at or above it, and ``best`` the best current
figure - the latest official figure (an authority's, :func:`~.members.is_official`) and any larger
figure reported after it, else the largest figure some report gives as at least true ("at least
4" and "5" give 5; "up to 3" alone gives 3).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from wirestream.core.incidents.compat import bounds, member_day
from wirestream.core.incidents.members import normalise_name
from wirestream_contracts.incidents import (
    CountReport,
    IncidentCasualties,
    IncidentDate,
    IncidentMember,
    IncidentPlace,
    IncidentRecord,
    IncidentSources,
    ReconciledCount,
)

PRECISION = {None: 0, "place": 0, "city": 1, "region": 2, "country": 3}
"""Rank of a place's precision (a named place without a gazetteer entry is a street or site)."""


def reconcile(reports: Sequence[CountReport]) -> ReconciledCount | None:
    """The reconciled figure of ``reports`` (oldest first), None without any."""
    if not reports:
        return None
    ordered = sorted(reports, key=lambda r: (r.reported_at or "", r.event_id))
    limits = [bounds(r.value, r.qualifier) for r in ordered]
    low = max(b[0] for b in limits)
    uppers = [b[1] for b in limits if b[1] != math.inf and b[1] >= low]
    high = int(min(uppers)) if uppers else None
    officials = [i for i, r in enumerate(ordered) if r.official]
    start = officials[-1] if officials else 0
    kept = ordered[start:]
    asserted = [
        r.value + (r.qualifier == "more_than")
        for r in kept
        if r.qualifier not in ("up_to", "less_than")
    ]
    if officials and ordered[start].qualifier == "exact":
        best = max([ordered[start].value, *asserted])
    elif asserted:
        best = max(asserted)
    else:
        best = min(r.value for r in kept)
    return ReconciledCount(best=best, low=low, high=high, reports=ordered)


def _reports(members: Sequence[IncidentMember], field: str) -> list[CountReport]:
    out = []
    for m in members:
        count = getattr(m, field)
        if count is not None and m.event_id is not None:
            out.append(
                CountReport(
                    event_id=m.event_id,
                    article_id=m.article_id,
                    outlet=m.outlet,
                    value=count.value,
                    qualifier=count.qualifier,
                    official=m.official,
                    reported_at=m.published_at,
                )
            )
    return out


def _place(members: Sequence[IncidentMember]) -> IncidentPlace | None:
    """The place with coordinates first, then the most precise, then the most named."""
    named = [m for m in members if m.place_name]
    if not named:
        return None
    votes = Counter(normalise_name(m.place_name or "") for m in named)

    def rank(m: IncidentMember) -> tuple[bool, int, int, str]:
        name = normalise_name(m.place_name or "")
        return m.lat is None, PRECISION[m.feature], -votes[name], name

    best = min(named, key=rank)
    # Coordinates: the chosen place's own, else the most precise member that has some.
    located = sorted((m for m in named if m.lat is not None), key=rank)
    geo = best if best.lat is not None else (located[0] if located else None)
    return IncidentPlace(
        name=best.place_name or "",
        country=best.country,
        lat=geo.lat if geo else None,
        lon=geo.lon if geo else None,
        feature=geo.feature if geo else None,
        gazetteer_id=geo.gazetteer_id if geo else None,
    )


def _date(members: Sequence[IncidentMember]) -> IncidentDate | None:
    dated = sorted(m.event_date for m in members if m.event_date)
    if dated:
        return IncidentDate(start=dated[0], end=dated[-1], basis="event_date")
    days = sorted(d.isoformat() for m in members if (d := member_day(m)) is not None)
    return IncidentDate(start=days[0], end=days[-1], basis="published") if days else None


def _ranked(names: Sequence[str]) -> list[str]:
    votes = Counter(names)
    return [n for n, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))]


def _sources(members: Sequence[IncidentMember]) -> IncidentSources:
    """Articles, outlets, and independent ones: an article counts as independent unless it is a
    copy (``duplicate_of``: the copies stage's marking, else the per-worker hint) of another
    article of the same incident."""
    articles = {m.article_id: m for m in sorted(members, key=lambda m: m.event_id or "")}
    # A copy of an article the incident does not hold is the only report of its text here.
    originals = [m for m in articles.values() if m.duplicate_of not in articles]
    return IncidentSources(
        articles=sorted(articles),
        outlets=sorted({m.outlet for m in articles.values() if m.outlet}),
        independent_outlets=sorted({m.outlet for m in originals if m.outlet}),
        independent_articles=len(originals),
    )


def build_incident(
    incident_id: str, members: Sequence[IncidentMember], merged_from: Sequence[str] = ()
) -> IncidentRecord:
    """The active record of an incident with these members (at least one)."""
    ordered = sorted(members, key=lambda m: (m.published_at or "", m.event_id or ""))
    first = ordered[0]
    stamps = sorted(m.published_at for m in ordered if m.published_at)
    modes = _ranked([m.mode for m in ordered if m.mode])
    return IncidentRecord(
        id=incident_id,
        partition_key=first.partition_key,
        status="active",
        merged_from=sorted(set(merged_from)),
        type=first.type,
        mode=modes[0] if modes else None,
        place=_place(ordered),
        date=_date(ordered),
        actors=_ranked([a for m in ordered for a in m.actors]),
        recipients=_ranked([r for m in ordered for r in m.recipients]),
        casualties=IncidentCasualties(
            killed=reconcile(_reports(ordered, "killed")),
            injured=reconcile(_reports(ordered, "injured")),
        ),
        sources=_sources(ordered),
        first_reported=stamps[0] if stamps else None,
        last_reported=stamps[-1] if stamps else None,
        event_ids=sorted(m.event_id for m in ordered if m.event_id),
    )


def final_record(previous: IncidentRecord, merged_into: str | None) -> IncidentRecord:
    """The last record of an incident that was absorbed (``merged_into``) or dissolved (None)."""
    if merged_into is not None:
        return previous.model_copy(update={"status": "merged", "merged_into": merged_into})
    return previous.model_copy(
        update={
            "status": "dissolved",
            "type": None,
            "casualties": IncidentCasualties(),
            "sources": IncidentSources(
                articles=[], outlets=[], independent_outlets=[], independent_articles=0
            ),
            "event_ids": [],
        }
    )
