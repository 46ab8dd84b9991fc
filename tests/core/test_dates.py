"""Dates resolved against the publication time, never against the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wirestream.core.extraction.events.dates import find_dates

PUBLISHED = datetime(2024, 7, 24, 15, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kuleba met Wang Yi on Wednesday.", ("on Wednesday", "2024-07-24", "day", True)),
        ("Shelling on Monday night hit the port.", ("on Monday night", "2024-07-22", "day", True)),
        ("They met last Wednesday.", ("last Wednesday", "2024-07-17", "day", True)),
        ("four killed in the past day", ("in the past day", "2024-07-24", "day", True)),
        ("in the past 24 hours", ("in the past 24 hours", "2024-07-24", "day", True)),
        ("an overnight drone attack", ("overnight", "2024-07-24", "day", True)),
        ("the strike yesterday", ("yesterday", "2024-07-23", "day", True)),
        ("explosions last night", ("last night", "2024-07-23", "day", True)),
        ("talks last week", ("last week", "2024-07", "month", True)),
        ("three days ago", ("three days ago", "2024-07-21", "day", True)),
        ("the invasion in February 2022", ("in February 2022", "2022-02", "month", False)),
        ("annexed in 2014.", ("in 2014", "2014", "year", False)),
        ("on July 24 the talks began", ("on July 24", "2024-07-24", "day", True)),
        ("since 24 July 2024", ("24 July 2024", "2024-07-24", "day", False)),
        ("on 2024-07-20", ("2024-07-20", "2024-07-20", "day", False)),
        ("last month", ("last month", "2024-06", "month", True)),
        ("last year", ("last year", "2023", "year", True)),
    ],
)
def test_resolves_against_published_at(text: str, expected: tuple[str, str, str, bool]) -> None:
    found = find_dates(text, PUBLISHED)
    assert len(found) == 1, found
    d = found[0]
    assert (text[d.start : d.end], d.value, d.precision, d.relative) == expected


def test_month_and_year_are_never_filled_with_a_day() -> None:
    """A parser that fills the missing day from today's date would give 2022-02-<today>."""
    (d,) = find_dates("in February 2022", PUBLISHED)
    assert d.value == "2022-02" and d.precision == "month"
    (y,) = find_dates("in 2014", PUBLISHED)
    assert y.value == "2014" and y.precision == "year"


def test_missing_year_comes_from_publication_not_the_clock() -> None:
    old = datetime(1999, 3, 10, tzinfo=UTC)
    (d,) = find_dates("on March 8 police said", old)
    assert d.value == "1999-03-08"
    # A day more than a week after publication belongs to the year before.
    (late,) = find_dates("on December 30", old)
    assert late.value == "1998-12-30"
    (month,) = find_dates("in December", old)
    assert month.value == "1998-12"


def test_weekday_is_on_or_before_publication() -> None:
    for weekday, expected in [("Thursday", "2024-07-18"), ("Tuesday", "2024-07-23")]:
        (d,) = find_dates(f"on {weekday}", PUBLISHED)
        assert d.value == expected


def test_relative_dates_need_published_at() -> None:
    assert find_dates("on Wednesday, yesterday and in the past day", None) == []
    (d,) = find_dates("in February 2022", None)
    assert d.value == "2022-02"


def test_a_plain_date_is_accepted_as_reference() -> None:
    (d,) = find_dates("yesterday", date(2024, 3, 1))
    assert d.value == "2024-02-29"


@pytest.mark.parametrize(
    "text", ["He may go.", "the 1990s", "in 2014-15", "March forward", "Room 2014"]
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, PUBLISHED) == []


def test_offsets_and_window() -> None:
    text = "x on Wednesday y in 2014 z"
    found = find_dates(text, PUBLISHED, start=0, end=15)
    assert [text[d.start : d.end] for d in found] == ["on Wednesday"]
