"""The rules file: what is accepted, and errors that name the line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.alerter.rules import load_rules, parse_duration, parse_rules
from wirestream.errors import RulesError

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
rules:
  - name: assault-cluster
    severity: critical
    match:
      kind: event
      event_type: assault
    window: {count: 3, within: 1h}
    group_by: region
    suppress_for: 6h
"""


def test_sample_rules_file_is_valid() -> None:
    rules = load_rules(ROOT / "deploy" / "alerter" / "rules.yaml")
    assert len({r.name for r in rules}) == len(rules) >= 4
    assert {r.match.kind for r in rules} >= {"event", "quote", "entity"}


def test_good_rule_is_normalised() -> None:
    [rule] = parse_rules(GOOD)
    assert rule.match.event_type == ["ASSAULT"]
    assert rule.window is not None and rule.window.within == 3600.0
    assert rule.suppress_for == 6 * 3600.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("severity: critical", "severity: urgent"), "rules.yaml:3: rules[0].severity"),
        (
            GOOD.replace("event_type: assault", "speaker: Peskov"),
            "rules.yaml:6: rules[0].match.speaker: applies to quote records, not event",
        ),
        (
            GOOD.replace("event_type: assault", "casualties: 3"),
            "rules.yaml:6: rules[0].match.casualties: unknown field",
        ),
        (
            GOOD.replace("event_type: assault", "event_type: ASALT"),
            "rules.yaml:6: rules[0].match.event_type: 'ASALT' is not an event type",
        ),
        (
            GOOD.replace("within: 1h", "within: soon"),
            "rules.yaml:7: rules[0].window.within: 'soon' is not a duration",
        ),
        (
            GOOD.replace("count: 3", "count: 1"),
            "rules.yaml:7: rules[0].window.count: Input should be greater than or equal to 2",
        ),
        (
            GOOD.replace("group_by: region", "group_by: speaker"),
            "rules.yaml:8: rules[0].group_by: 'speaker' applies to quote records, not event",
        ),
        (
            GOOD.replace("      kind: event\n", "      kind: event\n      country: Ukraine\n"),
            "rules.yaml:6: rules[0].match.country: 'Ukraine' is not an ISO",
        ),
        (GOOD.replace("    match:\n", "    match\n"), "rules.yaml:5: not valid YAML"),
        (
            GOOD + GOOD.replace("rules:\n", ""),
            "rules.yaml:10: rules[1].name: 'assault-cluster' is already the name of rules[0]",
        ),
        ("", "rules.yaml:1: the file is empty"),
        ("rules: []\n", "rules.yaml:1: rules: List should have at least 1 item"),
    ],
)
def test_errors_name_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(RulesError) as err:
        parse_rules(text)
    assert expected in str(err.value)


def test_missing_file_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="WIRESTREAM_ALERTER_RULES_FILE"):
        load_rules(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(90, 90.0), ("90s", 90.0), ("30m", 1800.0), ("1.5h", 5400.0), ("2d", 172800.0)],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["0", "-1h", "1w", True, "soon"])
def test_bad_durations(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)
