"""Incident rules: reconciled figures and independent outlets, once per incident, again only when
a further threshold is first reached."""

from __future__ import annotations

from typing import Any

import pytest

from wirestream.alerter.engine import Evaluator, Matcher
from wirestream.alerter.rules import parse_rules
from wirestream.core.incidents import build_incident
from wirestream.errors import RulesError
from wirestream_contracts.incidents import IncidentMember, MemberCount

T0 = 1_721_833_200_000
RULES = parse_rules(
    """
rules:
  - name: deadly-and-confirmed
    severity: critical
    match:
      kind: incident
      event_type: ASSAULT
      country: [UA]
      killed_at_least: [10, 50]
      independent_outlets_at_least: 2
      within: 6h
"""
)


def report(
    n: int, killed: int, hour: int, outlet: str, copy_of: str | None = None
) -> IncidentMember:
    return IncidentMember(
        op="add",
        partition_key="UA|ASSAULT",
        article_id=f"a{n}",
        event_id=f"e{n}",
        type="ASSAULT",
        outlet=outlet,
        duplicate_of=copy_of,
        published_at=f"2024-07-24T{hour:02d}:00:00+00:00",
        event_date="2024-07-24",
        place_name="Odesa",
        country="UA",
        killed=MemberCount(value=killed, qualifier="exact"),
    )


def incident(*members: IncidentMember) -> dict[str, Any]:
    return build_incident("inc_test", list(members)).model_dump(mode="json")


def fire(records: list[dict[str, Any]]) -> list[str]:
    matcher, evaluator = Matcher(RULES), Evaluator(RULES)
    reached: dict[str, Any] = {}
    fired = []
    for i, record in enumerate(records):
        for hit in matcher.hits(record, T0 + i * 1000):
            alert = evaluator.on_hit(hit, {}, reached)
            if alert is not None:
                fired.append(alert.summary)
    return fired


def test_fires_once_when_two_independent_outlets_report_ten_dead() -> None:
    one = report(1, 12, 8, "AP")
    copy = report(2, 12, 9, "Local Post", copy_of="a1")
    other = report(3, 12, 10, "Reuters")
    later = report(4, 14, 11, "AFP")
    fired = fire(
        [
            incident(one),
            incident(one, copy),
            incident(one, copy, other),
            incident(one, copy, other, later),
        ]
    )
    assert len(fired) == 1
    assert "killed 12" in fired[0] and "2 independent outlet(s)" in fired[0]


def test_fires_again_only_when_a_higher_threshold_is_first_crossed() -> None:
    a, b = report(1, 12, 8, "AP"), report(2, 12, 9, "Reuters")
    rising = report(3, 55, 10, "AFP")
    lowered = incident(a, b)  # a retraction of the 55 brings it back below 50
    fired = fire([incident(a, b), incident(a, b, rising), lowered, incident(a, b, rising)])
    assert len(fired) == 2
    assert "killed 12" in fired[0] and "killed 55" in fired[1]


def test_reports_spread_over_more_than_the_window_do_not_match() -> None:
    early, late = report(1, 12, 1, "AP"), report(2, 12, 9, "Reuters")
    assert fire([incident(early, late)]) == []


def test_merged_incidents_do_not_match() -> None:
    a, b = report(1, 12, 8, "AP"), report(2, 12, 9, "Reuters")
    merged = {**incident(a, b), "status": "merged", "merged_into": "inc_other"}
    assert fire([merged]) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("match: {kind: event, independent_outlets_at_least: 2}", "applies to incident"),
        ("match: {kind: event, killed_at_least: [1, 5]}", "incident rules only"),
        ("match: {kind: incident, killed_at_least: [5, 1]}", "ascending"),
        ("match: {kind: incident}\n    window: {count: 2, within: 1h}", "without a window"),
        ("match: {kind: incident}\n    group_by: article", "per incident"),
    ],
)
def test_rule_mistakes_are_refused(text: str, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        parse_rules(f"rules:\n  - name: r\n    severity: low\n    {text}\n")
