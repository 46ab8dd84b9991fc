"""Dates in news text, resolved against the publication time, with an honest precision.

``find_dates(text, published_at)`` returns every date expression in ``text`` with its offsets,
its value (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), its precision and whether it was resolved
against ``published_at`` (``relative``). Written here rather than borrowed: general date parsers
fill a missing day or year from *today* ("in February 2022" -> 2022-02-<today's day>), which turns
a month into a wrong day; here a missing part is never invented, and the reference is always the
article's own publication time, never the clock.

Rules (news convention, past tense):

- a bare weekday ("on Wednesday", "Tuesday night") is the most recent such day on or before the
  publication day; "last Wednesday" is the one before that when it would be the publication day;
- "today", "tonight", "this morning", "overnight", "in the past day", "in the past 24 hours" are
  the publication day ("overnight" is the night that ended on the publication day);
- "yesterday", "last night" are the day before; "N days ago" is N days before;
- "last week", "N weeks ago" are the month that week started in (precision month, never a day);
  "last month", "this month" are months; "last year", "this year", "N years ago" are years;
- "July 24" and "24 July" without a year take the publication year, or the year before when that
  would put the date more than a week after publication; "in February" likewise for months;
- explicit dates ("24 July 2024", "July 24, 2024", "2024-07-24", "in February 2022", "in 2014")
  are taken as written (``relative`` is False).

Without ``published_at`` the relative expressions are left out; the explicit ones remain.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Precision = Literal["day", "month", "year"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_SMALL = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

_MONTH_RE = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY_RE = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MONTH_RE} {_DAY_RE},? {_YEAR_RE}\b")),
    ("dmy", re.compile(rf"\b{_DAY_RE} {_MONTH_RE},? {_YEAR_RE}\b")),
    (
        "my",
        re.compile(
            rf"\b(?:(?:in|since|during|by|until|from|of|early|late|mid-?|before|after) )?"
            rf"(?:(?:early|late|mid-?) )?{_MONTH_RE},? {_YEAR_RE}\b"
        ),
    ),
    ("md", re.compile(rf"\b(?:on )?{_MONTH_RE} {_DAY_RE}\b(?!,? (?:19|20)\d\d)(?![\d:])")),
    ("dm", re.compile(rf"\b(?:on )?{_DAY_RE} {_MONTH_RE}\b(?!,? (?:19|20)\d\d)")),
    (
        "m",
        re.compile(
            rf"\b(?:in|since|during|until|last|this|early|late|mid-?|earlier|later)"
            rf"(?: (?:early|late|mid-?))? {_MONTH_RE}\b(?!,? (?:19|20)\d\d)(?! \d)"
        ),
    ),
    (
        "y",
        re.compile(
            rf"\b(?:in|since|during|until|by|from|of|early|late|mid-?|before|after) {_YEAR_RE}\b"
            r"(?!s|\d|-\d)"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<last>last|this|on|early|late) )?{_WEEKDAY_RE}"
            r"(?: (?:morning|afternoon|evening|night))?\b",
        ),
    ),
    (
        "today",
        re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening)|overnight)\b", re.I),
    ),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    (
        "past_day",
        re.compile(
            r"\b(?:in|over|during|within) the (?:past|last|previous) "
            r"(?:day|24 hours|twenty-four hours)\b",
            re.I,
        ),
    ),
    (
        "past_week",
        re.compile(
            r"\b(?:(?:in|over|during) the (?:past|last|previous) (?:week|seven days)|last week)\b",
            re.I,
        ),
    ),
    ("last_month", re.compile(r"\b(?:last|this) month\b", re.I)),
    ("last_year", re.compile(r"\b(?:last|this) year\b", re.I)),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d{1,3}|one|a|an|two|three|four|five|six|seven|eight|nine|ten) "
            r"(?P<unit>day|week|month|year)s? ago\b",
            re.I,
        ),
    ),
]

_MONTH_PREFIXES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_REQUIRED: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("mdy", "dmy", "my", "md", "dm", "m"), _MONTH_PREFIXES),
    "weekday": _WEEKDAY_NAMES,
}
"""Pattern kind -> words one of which every match contains (every alternative of ``_MONTH_RE``
starts with a ``_MONTH_PREFIXES`` entry, case-sensitively): a text with none of them is not
scanned with that pattern (most articles name no weekday, many no month; each scan costs as
much as the plain substring tests)."""


@dataclass(frozen=True)
class DateMention:
    """A date expression: ``text[start:end]``, its ISO value, precision and whether relative."""

    start: int
    end: int
    value: str
    precision: Precision
    relative: bool


def _month_start(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _shift_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


def _valid_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match[str], pub: date | None) -> tuple[str, Precision, bool] | None:
    """(value, precision, relative) of a date match of ``kind``; None when it is no valid date,
    or relative without a publication date ``pub``."""
    groups = m.groupdict()
    if kind in ("iso", "mdy", "dmy", "my", "y"):
        return _absolute(kind, groups)
    if pub is None:
        return None
    if kind in ("md", "dm", "m", "weekday", "today", "past_day", "yesterday"):
        return _relative_day_or_month(kind, groups, pub)
    return _relative_period(kind, m, pub)


def _absolute(kind: str, groups: dict[str, str]) -> tuple[str, Precision, bool] | None:
    if kind in ("iso", "mdy", "dmy"):
        raw_month = groups["month"]
        month = int(raw_month) if raw_month.isdigit() else _MONTHS[raw_month.lower().rstrip(".")]
        day = _valid_day(int(groups["year"]), month, int(groups["day"]))
        return (day.isoformat(), "day", False) if day else None
    if kind == "my":
        month = _MONTHS[groups["month"].lower().rstrip(".")]
        return f"{int(groups['year']):04d}-{month:02d}", "month", False
    return groups["year"], "year", False


def _relative_day_or_month(
    kind: str, groups: dict[str, str], pub: date
) -> tuple[str, Precision, bool] | None:
    if kind in ("md", "dm"):
        month = _MONTHS[groups["month"].lower().rstrip(".")]
        day = _valid_day(pub.year, month, int(groups["day"]))
        if day is None:
            return None
        if day > pub + timedelta(days=7):
            day = _valid_day(pub.year - 1, month, int(groups["day"]))
            if day is None:
                return None
        return day.isoformat(), "day", True
    if kind == "m":
        month = _MONTHS[groups["month"].lower().rstrip(".")]
        year = pub.year if month <= pub.month else pub.year - 1
        return f"{year:04d}-{month:02d}", "month", True
    if kind == "weekday":
        back = (pub.weekday() - _WEEKDAYS[groups["weekday"].lower()]) % 7
        if (groups.get("last") or "").lower() == "last" and back == 0:
            back = 7
        return (pub - timedelta(days=back)).isoformat(), "day", True
    if kind in ("today", "past_day"):
        return pub.isoformat(), "day", True
    return (pub - timedelta(days=1)).isoformat(), "day", True  # yesterday


def _relative_period(kind: str, m: re.Match[str], pub: date) -> tuple[str, Precision, bool] | None:
    groups = m.groupdict()
    if kind == "past_week":
        monday = pub - timedelta(days=pub.weekday() + 7)
        return _month_start(monday), "month", True
    if kind == "last_month":
        if m.group(0).lower().startswith("this"):
            return _month_start(pub), "month", True
        year, month = _shift_months(pub, -1)
        return f"{year:04d}-{month:02d}", "month", True
    if kind == "last_year":
        this = m.group(0).lower().startswith("this")
        return f"{pub.year if this else pub.year - 1:04d}", "year", True
    if kind == "ago":
        raw = groups["n"].lower()
        n = int(raw) if raw.isdigit() else _SMALL[raw]
        unit = groups["unit"].lower()
        if unit == "day":
            return (pub - timedelta(days=n)).isoformat(), "day", True
        if unit == "week":
            return _month_start(pub - timedelta(days=7 * n)), "month", True
        if unit == "month":
            year, month = _shift_months(pub, -n)
            return f"{year:04d}-{month:02d}", "month", True
        return f"{pub.year - n:04d}", "year", True
    return None


def find_dates(
    text: str, published_at: datetime | date | None, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, in text order, longest match first on overlap.

    Offsets are into ``text``. ``published_at`` is the reference for relative expressions; its
    own calendar day is used (the offset it carries, no conversion).
    """
    stop = len(text) if end is None else end
    pub = published_at.date() if isinstance(published_at, datetime) else published_at
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    present: dict[tuple[str, ...], bool] = {}
    for kind, pattern in _PATTERNS:
        required = _REQUIRED.get(kind)
        if required is not None:
            if required not in present:
                present[required] = any(text.find(w, start, stop) >= 0 for w in required)
            if not present[required]:
                continue
        for m in pattern.finditer(text, start, stop):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(kind, m, pub)
            if resolved is None:
                continue
            value, precision, relative = resolved
            found.append(DateMention(m.start(), m.end(), value, precision, relative))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found
