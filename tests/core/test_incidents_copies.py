"""Copy markings of the copies stage in the incident state: sources follow them, in any order."""

from __future__ import annotations

import itertools
from typing import Any

from wirestream.core.incidents import KeyState
from wirestream_contracts.incidents import IncidentMember, IncidentRecord

KEY = "UA|ASSAULT"


def member(event_id: str, article_id: str, **fields: Any) -> IncidentMember:
    values: dict[str, Any] = {
        "op": "add",
        "partition_key": KEY,
        "article_id": article_id,
        "revision": "r1",
        "event_id": event_id,
        "type": "ASSAULT",
        "published_at": "2024-07-24T10:00:00+00:00",
        "event_date": "2024-07-24",
        "place_name": "Odesa",
        "country": "UA",
        "lat": 46.48,
        "lon": 30.72,
        "feature": "city",
        "actors": ["Russia"],
    }
    values.update(fields)
    return IncidentMember(**values)


def mark(article_id: str, duplicate_of: str | None) -> IncidentMember:
    return IncidentMember(
        op="copy", partition_key="*", article_id=article_id, duplicate_of=duplicate_of
    )


def sources(state: KeyState) -> list[tuple[str, tuple[str, ...], int]]:
    return sorted(
        (r.id, tuple(r.sources.independent_outlets), r.sources.independent_articles)
        for r in state.published.values()
    )


def reports() -> list[IncidentMember]:
    return [
        member("e1", "a1", outlet="AP", published_at="2024-07-24T10:00:00Z"),
        member("e2", "a2", outlet="Local Post", published_at="2024-07-24T11:00:00Z"),
        member("e3", "a3", outlet="Reuters", published_at="2024-07-24T12:00:00Z"),
    ]


def test_a_late_marking_drops_the_copy_from_the_independent_outlets() -> None:
    state = KeyState()
    for m in reports():
        state.apply(m)
    (before,) = state.published.values()
    assert before.sources.independent_outlets == ["AP", "Local Post", "Reuters"]
    out = state.apply(mark("a2", "a1"))
    assert [r.id for r in out] == [before.id]  # the same incident, published again
    assert out[0].sources.independent_outlets == ["AP", "Reuters"]
    assert out[0].sources.independent_articles == 2
    assert out[0].sources.outlets == ["AP", "Local Post", "Reuters"]
    assert out[0].event_ids == before.event_ids
    assert state.apply(mark("a2", "a1")) == []  # a replayed marking changes nothing
    assert state.apply(reports()[1]) == []  # nor does a replayed member (it keeps its marking)


def test_a_marking_overrides_the_per_worker_hint_both_ways() -> None:
    hinted = member("e2", "a2", outlet="Local Post", duplicate_of="a1")
    state = KeyState()
    state.apply(member("e1", "a1", outlet="AP"))
    state.apply(hinted)
    (record,) = state.published.values()
    assert record.sources.independent_outlets == ["AP"]
    # The copies stage, which sees every worker's articles, says a2 is an original after all.
    (updated,) = state.apply(mark("a2", None))
    assert updated.sources.independent_outlets == ["AP", "Local Post"]


def test_markings_in_any_order_give_the_same_incidents() -> None:
    messages = [*reports(), mark("a2", "a1"), mark("a3", "a1"), mark("a3", None)]
    finals: set[tuple[tuple[str, tuple[str, ...], int], ...]] = set()
    for order in itertools.permutations(messages):
        # The copies topic keeps one article's markings in order: a3's null comes last.
        if order.index(messages[4]) > order.index(messages[5]):
            continue
        state = KeyState()
        for m in order:
            state.apply(m)
        finals.add(tuple(sources(state)))
    assert finals == {tuple(sources(_reference([*reports(), mark("a2", "a1"), mark("a3", None)])))}
    ((_, outlets, articles),) = finals.pop()
    assert outlets == ("AP", "Reuters") and articles == 2


def _reference(messages: list[IncidentMember]) -> KeyState:
    state = KeyState()
    for m in messages:
        state.apply(m)
    return state


def test_markings_survive_the_persisted_parts() -> None:
    state = KeyState()
    state.apply(mark("a2", "a1"))
    assert state.changed.marks
    restored = KeyState.from_parts([], [], state.marks())
    for m in reports():
        restored.apply(m)
    (record,) = restored.published.values()
    assert isinstance(record, IncidentRecord)
    assert record.sources.independent_outlets == ["AP", "Reuters"]
    assert all(p.partition_key == KEY for p in restored.members.values())


def test_a_copy_of_an_article_outside_the_incident_counts_as_independent() -> None:
    state = KeyState()
    for m in reports():
        state.apply(m)
    # Its original reports no event here: a3 is this incident's only report of its text.
    assert state.apply(mark("a3", "elsewhere")) == []  # the sources do not change
    (record,) = state.published.values()
    assert record.sources.independent_outlets == ["AP", "Local Post", "Reuters"]
    assert state.apply(mark("a3", "a2"))[0].sources.independent_outlets == ["AP", "Local Post"]
