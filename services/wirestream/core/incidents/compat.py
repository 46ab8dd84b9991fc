"""Whether two members can be reports of the same happening: time, place, counts, participants.

Every test is general (no pattern fitted to a data set):

- **time**: the members' days (the resolved event date, else the publication day) are at most
  :attr:`Policy.event_days` apart when both texts date the event, else :attr:`Policy.report_days`
  (a report may come out days after the happening);
- **place**: *fine* when the names are the same address (normalised, with a number: "2700 block
  of Verbena Street"), or two place-level points lie within :attr:`Policy.fine_km`; *coarse* when
  the names are the same otherwise (a street, neighbourhood, city or region), one name contains the other ("Kindred Street in Northeast Philadelphia" and
  "Philadelphia"), or the points lie within the larger feature's radius (a containing place);
- **counts** do not contradict: no report's lower bound of killed (or injured) exceeds the upper
  bound a report published no earlier gives (tolls rise, they do not fall);
- **corroboration**: a coarse place match, or a place one member only has from its article (not
  its own sentence, not the dateline) shared with another article's member, also needs
  corroboration (a city has many shootings a day):
  a named actor or recipient in common, or both reporting a killed or injured figure of at least
  3 whose bounds overlap. Place names must name something (a capital or a digit: not "home"),
  and a name holding a telephone number ("410-396-2221 or Metro Crime Stoppers") is not a place.

:func:`explain` gives every criterion of a pair (what linked it, or what kept it apart); the
evaluation writes it for each predicted incident of several articles.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from wirestream.core.incidents.members import normalise_name
from wirestream_contracts.incidents import IncidentMember, MemberCount

EARTH_KM = 6371.0
FEATURE_RADIUS_KM = {"place": 5.0, "city": 30.0, "region": 250.0, "country": 2000.0}
"""How far from its point a place of each gazetteer feature reaches (a containing place)."""


@dataclass(frozen=True)
class Policy:
    """Thresholds of :func:`compatible`. Defaults: events dated by their texts at most 1 day
    apart, otherwise 2; fine place match within 2 km."""

    event_days: int = 1
    report_days: int = 2
    fine_km: float = 2.0


DEFAULT_POLICY = Policy()


def member_day(member: IncidentMember) -> date | None:
    """The member's day: the resolved event date, else the publication day."""
    value = member.event_date or (member.published_at or "")[:10]
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def times_compatible(a: IncidentMember, b: IncidentMember, policy: Policy) -> bool:
    day_a, day_b = member_day(a), member_day(b)
    if day_a is None or day_b is None:
        return False
    limit = policy.event_days if a.event_date and b.event_date else policy.report_days
    return abs((day_a - day_b).days) <= limit


def distance_km(a: IncidentMember, b: IncidentMember) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _contains(outer: str, inner: str) -> bool:
    return re.search(r"(?:^|\W)" + re.escape(inner) + r"(?:$|\W)", outer) is not None


PHONE = re.compile(r"(?<!\d)(?:\(?\d{3}\)?[-. ]?)?\d{3}[-.]\d{4}(?!\d)")
"""A telephone number: ``410-396-2221``, ``(504) 822-1111``, ``504.822.1111``, ``822-1111``.
Street numbers and ranges ("2700 block", "3000-3100 block", "Highway 101") are not."""


def is_proper(name: str | None) -> bool:
    """A place name that names something: a word with a capital or a number ("Verbena Street",
    "2700 block"), not "home" or "the area", and no telephone number (a tip line the extractor
    took for a place names no place: two appeals giving one police number are not one scene)."""
    if not name or PHONE.search(name):
        return False
    return re.search(r"(?:^|\s)[A-Z0-9]", name) is not None


def place_match(a: IncidentMember, b: IncidentMember, policy: Policy) -> str | None:
    """``"fine"``, ``"coarse"`` or None (the places are not compatible, or unknown)."""
    if a.country and b.country and a.country != b.country:
        return None
    if not is_proper(a.place_name) or not is_proper(b.place_name):
        return None
    name_a, name_b = normalise_name(a.place_name or ""), normalise_name(b.place_name or "")
    if name_a == name_b:
        # The same address ("1200 block of 62nd Street": a name with a number) is one spot; the
        # same neighbourhood, city or region name is an area many things happen in.
        address = re.search(r"\d", name_a) is not None and a.feature in (None, "place")
        return "fine" if address and b.feature in (None, "place") else "coarse"
    km = distance_km(a, b)
    if km is not None:
        if a.feature == "place" and b.feature == "place" and km <= policy.fine_km:
            return "fine"
        reach = max(
            FEATURE_RADIUS_KM[a.feature or "place"], FEATURE_RADIUS_KM[b.feature or "place"]
        )
        return "coarse" if km <= reach else None
    if _contains(name_a, name_b) or _contains(name_b, name_a):
        return "coarse"
    return None


def bounds(v: int, q: str) -> tuple[int, float]:
    """(lower, upper) bounds a figure ``v`` with qualifier ``q`` gives."""
    if q == "exact":
        return v, v
    if q == "at_least":
        return v, math.inf
    if q == "more_than":
        return v + 1, math.inf
    if q == "about":
        return (v + 1) // 2, 2 * v
    if q == "up_to":
        return 0, v
    return 0, max(0, v - 1)


def _count_bounds(count: MemberCount) -> tuple[int, float]:
    return bounds(count.value, count.qualifier)


def counts_contradict(a: IncidentMember, b: IncidentMember) -> bool:
    """True when one report's lower bound exceeds the upper bound of a report published no
    earlier (killed or injured)."""
    earlier, later = sorted((a, b), key=lambda m: m.published_at or "")
    for field in ("killed", "injured"):
        x, y = getattr(earlier, field), getattr(later, field)
        if x is None or y is None:
            continue
        low_x, high_x = _count_bounds(x)
        low_y, high_y = _count_bounds(y)
        if low_x > high_y:
            return True
        if (a.published_at or "") == (b.published_at or "") and low_y > high_x:
            return True
    return False


def participants_overlap(a: IncidentMember, b: IncidentMember) -> bool:
    names_a = {normalise_name(n) for n in (*a.actors, *a.recipients)}
    names_b = {normalise_name(n) for n in (*b.actors, *b.recipients)}
    return bool(names_a & names_b)


AGREEING_FIGURE_MIN = 3
"""Smallest figure whose agreement corroborates: one or two killed is common among unrelated
happenings of a day and a city, so agreeing on it says little."""


def counts_agree(a: IncidentMember, b: IncidentMember) -> bool:
    """Both give a killed (or injured) figure of at least :data:`AGREEING_FIGURE_MIN` and the
    figures' bounds overlap."""
    for field in ("killed", "injured"):
        x, y = getattr(a, field), getattr(b, field)
        if x is None or y is None or min(x.value, y.value) < AGREEING_FIGURE_MIN:
            continue
        low_x, high_x = _count_bounds(x)
        low_y, high_y = _count_bounds(y)
        if low_x <= high_y and low_y <= high_x:
            return True
    return False


def corroborated(a: IncidentMember, b: IncidentMember) -> bool:
    return participants_overlap(a, b) or counts_agree(a, b)


def compatible(a: IncidentMember, b: IncidentMember, policy: Policy = DEFAULT_POLICY) -> bool:
    """Can ``a`` and ``b`` be reports of one happening (see the module's docstring)?"""
    if a.type != b.type or a.partition_key != b.partition_key:
        return False
    if not times_compatible(a, b, policy) or counts_contradict(a, b):
        return False
    match = place_match(a, b, policy)
    if match is None:
        return False
    inherited = "article" in (a.place_source, b.place_source)
    if match == "fine" and (not inherited or a.article_id == b.article_id):
        return True
    return corroborated(a, b)


def explain(
    a: IncidentMember, b: IncidentMember, policy: Policy = DEFAULT_POLICY
) -> dict[str, object]:
    """Every criterion of :func:`compatible` for ``a`` and ``b``: ``linked`` (the verdict),
    ``type``, ``time``, ``place`` (``"fine"``, ``"coarse"`` or None), ``inherited`` (a place one
    member has from its article), ``shared_names``, ``counts_agree``, ``counts_contradict`` and
    ``corroborated``. For reading why two reports were joined (the evaluation's link file)."""
    names_a = {normalise_name(n) for n in (*a.actors, *a.recipients)}
    names_b = {normalise_name(n) for n in (*b.actors, *b.recipients)}
    same_key = a.type == b.type and a.partition_key == b.partition_key
    return {
        "linked": compatible(a, b, policy),
        "type": same_key,
        "time": times_compatible(a, b, policy),
        "place": place_match(a, b, policy) if same_key else None,
        "inherited": "article" in (a.place_source, b.place_source),
        "shared_names": sorted(names_a & names_b),
        "counts_agree": counts_agree(a, b),
        "counts_contradict": counts_contradict(a, b),
        "corroborated": corroborated(a, b),
    }
