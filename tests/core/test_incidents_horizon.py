"""A key's memory stays bounded by the horizon: incidents, members, and the retractions and copy
markings that concerned them are forgotten once they are older than it, and nothing forgotten
comes back when its messages are replayed."""

from __future__ import annotations

from datetime import date, timedelta

from fixtures.incidents import member
from wirestream.core.incidents import KeyState
from wirestream_contracts.incidents import IncidentMember

HORIZON = 30
START = date(2024, 7, 1)


def on(day: int, event_id: str, article_id: str, **fields: object) -> IncidentMember:
    """A report of a happening ``day`` days after START, in a place of its own."""
    d = START + timedelta(days=day)
    return member(
        event_id,
        article_id,
        event_date=d.isoformat(),
        published_at=f"{d.isoformat()}T10:00:00+00:00",
        place_name=f"Place {day}",
        lat=40.0 + day,
        lon=30.0,
        **fields,
    )


def retract(article_id: str, record_ids: list[str] | None = None) -> IncidentMember:
    return IncidentMember(
        op="retract", partition_key="*", article_id=article_id, record_ids=record_ids or []
    )


def copy(article_id: str, duplicate_of: str | None) -> IncidentMember:
    return IncidentMember(
        op="copy", partition_key="*", article_id=article_id, duplicate_of=duplicate_of
    )


def advance(state: KeyState, days: int) -> None:
    """A report ``days`` after START moves the key's clock."""
    state.apply(on(days, f"clock-{days}", f"clock-{days}"), horizon_days=HORIZON)


def test_retraction_marks_are_forgotten_past_the_horizon_and_the_retracted_stays_out() -> None:
    state = KeyState()
    state.apply(on(0, "e1", "a1"), horizon_days=HORIZON)
    state.apply(retract("a1"), horizon_days=HORIZON)
    assert "a1" in state.retracted_articles
    advance(state, HORIZON - 1)
    assert "a1" in state.retracted_articles  # within the horizon: kept
    assert state.apply(on(0, "e1", "a1"), horizon_days=HORIZON) == []
    advance(state, HORIZON + 1)
    assert "a1" not in state.retracted_articles and not any("a1" in k for k in state.noted)
    # Replayed after its mark is gone: older than the horizon, so ignored, never published.
    assert state.apply(on(0, "e1", "a1"), horizon_days=HORIZON) == []
    assert "e1" not in state.members


def test_a_mark_lives_as_long_as_the_newest_member_it_kept_out() -> None:
    state = KeyState()
    advance(state, 0)
    state.apply(retract("a9", ["e9"]), horizon_days=HORIZON)  # before its member arrives
    advance(state, 20)
    assert state.apply(on(20, "e9", "a9"), horizon_days=HORIZON) == []  # kept out: day 20
    advance(state, HORIZON + 5)  # day 0 is past the horizon, day 20 is not
    assert "e9" in state.retracted_events
    assert state.apply(on(20, "e9", "a9"), horizon_days=HORIZON) == []
    advance(state, 20 + HORIZON + 1)
    assert "e9" not in state.retracted_events


def test_a_copy_marking_stays_while_its_article_has_a_member_and_then_goes() -> None:
    state = KeyState()
    state.apply(copy("a2", "a1"), horizon_days=HORIZON)
    [record] = state.apply(on(0, "e2", "a2"), horizon_days=HORIZON)
    assert record.sources.articles == ["a2"] and state.members["e2"].duplicate_of == "a1"
    state.apply(on(HORIZON + 2, "e3", "a3"), horizon_days=HORIZON)
    assert "a2" not in state.copies and "e2" not in state.members


def test_a_report_older_than_the_horizon_on_arrival_is_ignored() -> None:
    state = KeyState()
    advance(state, HORIZON + 10)
    assert state.apply(on(0, "old", "old"), horizon_days=HORIZON) == []
    assert "old" not in state.members
    assert state.apply(on(15, "recent", "recent"), horizon_days=HORIZON) != []


def test_the_clock_and_the_marks_days_survive_a_rebuild_from_the_tables() -> None:
    state = KeyState()
    state.apply(on(0, "e1", "a1"), horizon_days=HORIZON)
    advance(state, 25)
    state.apply(retract("clock-25"), horizon_days=HORIZON)  # the newest member goes
    rebuilt = KeyState.from_parts(
        [m.model_dump(mode="json") for m in state.members.values()],
        [r.model_dump(mode="json") for r in state.published.values()],
        state.marks(),
    )
    assert rebuilt.newest == state.newest == START + timedelta(days=25)
    assert rebuilt.noted == state.noted and rebuilt.marks() == state.marks()


def test_memory_stays_bounded_over_a_long_stream() -> None:
    """A year of daily reports, each article retracted or marked a copy: what the key holds is
    what the last horizon brought, not the whole year."""
    state = KeyState()
    for day in range(365):
        state.apply(on(day, f"e{day}", f"a{day}"), horizon_days=HORIZON)
        if day % 2:
            state.apply(retract(f"a{day}"), horizon_days=HORIZON)
        else:
            state.apply(copy(f"a{day}", None), horizon_days=HORIZON)
    held = len(state.retracted_articles) + len(state.copies) + len(state.members)
    assert held <= 2 * (HORIZON + 2)
    assert len(state.noted) <= len(state.retracted_articles) + len(state.copies)
