"""Matching, windows and suppression, on the seed article's records and hand-made events."""

from __future__ import annotations

from typing import Any

from alerter.conftest import event
from wirestream.alerter.engine import Evaluator, Matcher, group_of, matches
from wirestream.alerter.rules import Rule, parse_rules

T0 = 1_721_833_200_000
MINUTE = 60_000


def rules(text: str) -> list[Rule]:
    return parse_rules("rules:\n" + text)


CASUALTIES = rules(
    """
  - name: casualties
    severity: high
    match: {kind: event, event_type: ASSAULT, casualties_at_least: 1}
"""
)
ANY_ASSAULT = rules(
    """
  - name: any-assault
    severity: low
    match: {kind: event, event_type: ASSAULT}
    group_by: none
"""
)
CLUSTER = rules(
    """
  - name: cluster
    severity: critical
    match: {kind: event, event_type: ASSAULT}
    window: {count: 3, within: 1h}
    group_by: region
    suppress_for: 2h
"""
)


def run(rule_set: list[Rule], records: list[tuple[dict[str, Any], int]]) -> list[Any]:
    matcher, evaluator = Matcher(rule_set), Evaluator(rule_set)
    windows: dict[str, Any] = {}
    suppressed: dict[str, Any] = {}
    fired = []
    for record, ts in records:
        for hit in matcher.hits(record, ts):
            alert = evaluator.on_hit(hit, windows, suppressed)
            if alert is not None:
                fired.append(alert)
    return fired


def test_seed_article_casualty_event_fires_once(seed_records: list[dict[str, Any]]) -> None:
    events = [r for r in seed_records if r["kind"] == "event"]
    casualty = [e for e in events if e["casualties"]["killed"] or e["casualties"]["injured"]]
    assert len(casualty) == 1
    [alert] = run(CASUALTIES, [(r, T0) for r in seed_records])
    assert alert.record_ids == [casualty[0]["id"]]
    assert alert.rule == "casualties" and alert.severity == "high"
    assert "killed 4, injured 30" in alert.summary
    assert alert.fired_at == "2024-07-24T15:00:00Z"


def test_background_events_never_match(seed_records: list[dict[str, Any]]) -> None:
    background = [
        r for r in seed_records if r["kind"] == "event" and r["timeframe"] == "background"
    ]
    assert background  # the seed article tells of the 2022 invasion and the 2014 annexation
    [rule] = ANY_ASSAULT
    assert not any(matches(rule, r) for r in background)
    hit_ids = {h.record_id for r in seed_records for h in Matcher(ANY_ASSAULT).hits(r, T0)}
    assert hit_ids and not hit_ids & {r["id"] for r in background}


def test_window_fires_on_the_third_then_is_suppressed() -> None:
    stream = [(event(i), T0 + i * 10 * MINUTE) for i in range(1, 6)]
    fired = run(CLUSTER, stream)
    assert len(fired) == 1
    alert = fired[0]
    assert alert.record_ids == ["evt_1", "evt_2", "evt_3"]
    assert alert.window_key == "Kharkiv"
    assert "3 matching event records in region Kharkiv within 1h" in alert.summary
    # once the suppression lapses, three new events fire again
    later = [(event(i), T0 + 3 * 3600_000 + i * MINUTE) for i in range(10, 13)]
    assert len(run(CLUSTER, stream + later)) == 2


def test_window_counts_per_group_within_the_window_and_once_per_record() -> None:
    spread = [
        (event(1, place="Kharkiv"), T0),
        (event(2, place="Odesa"), T0 + MINUTE),
        (event(3, place="Kharkiv"), T0 + 2 * MINUTE),
        (event(1, place="Kharkiv"), T0 + 3 * MINUTE),  # the same record again: counts once
        (event(4, place="Kharkiv"), T0 + 61 * MINUTE),  # evt_1 has left the hour
        (event(5, place="Kharkiv"), T0 + 62 * MINUTE),
    ]
    fired = run(CLUSTER, spread)
    assert [a.record_ids for a in fired] == [["evt_3", "evt_4", "evt_5"]]


def test_background_and_placeless_events_do_not_count() -> None:
    stream = [
        (event(1), T0),
        (event(2, timeframe="background"), T0 + MINUTE),
        (event(3, place=None), T0 + 2 * MINUTE),
        (event(4, type_="PROTEST"), T0 + 3 * MINUTE),
    ]
    assert run(CLUSTER, stream) == []


def test_alert_ids_are_deterministic() -> None:
    stream = [(event(i), T0 + i * MINUTE) for i in range(3)]
    assert run(CLUSTER, stream)[0].id == run(CLUSTER, stream)[0].id


def test_conditions_on_each_kind(seed_records: list[dict[str, Any]]) -> None:
    def fired(text: str) -> set[str]:
        [rule] = rules(text)
        return {
            str(r.get("name") or r.get("text") or r["id"]) for r in seed_records if matches(rule, r)
        }

    quotes = fired("  - {name: q, severity: low, match: {kind: quote, speaker: dmitry peskov}}")
    assert quotes and all(q for q in quotes)
    assert any("open to the negotiation process" in q for q in quotes)
    assert fired("  - {name: e, severity: low, match: {kind: entity, entities: [Wang Yi]}}") == {
        "Wang Yi"
    }
    kyiv = fired("  - {name: e, severity: low, match: {kind: entity, country: UA, place: kyiv}}")
    assert kyiv == {"Kyiv"}
    assert fired("  - {name: a, severity: low, match: {kind: article, keywords: [Shahed]}}")
    assert not fired("  - {name: a, severity: low, match: {kind: article, keywords: [Shah]}}")
    drones = fired(
        "  - {name: k, severity: low, match: {kind: event, keywords: [drones], event_type: ASSAULT}}"
    )
    assert drones


def test_group_of_region_prefers_a_region_feature() -> None:
    [rule] = CLUSTER
    record = event(1, place="Odesa")
    record["locations"].append(
        {**record["location"], "name": "Odesa Oblast", "geo": {"feature": "region"}}
    )
    assert group_of(rule, record) == "Odesa Oblast"
    assert group_of(rule, event(2, place=None)) is None
