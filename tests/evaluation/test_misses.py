"""The event-miss report (``python -m wirestream.evaluation.misses``) on the tiny example data."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.evaluation import misses
from wirestream.evaluation.scoring import EventItem

DATA = Path(__file__).resolve().parent / "data"


def test_matching_follows_the_scorer() -> None:
    gold = [
        EventItem("ASSAULT", (0, 6)),
        EventItem("ASSAULT", (20, 26)),
        EventItem("CONSULT", (40, 44)),
    ]
    predicted = [EventItem("ASSAULT", (2, 8)), EventItem("CONSULT", (20, 26))]
    hit_g, hit_p = misses._matched(gold, predicted)
    assert (hit_g, hit_p) == ({0}, {0})  # a trigger of another type does not match


def test_report_on_example_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert misses.main(["--data", str(DATA), "--show", "2"]) == 0
    out = capsys.readouterr().out
    assert "# wikievents" in out and "# m2e2" in out
    assert "trigger classes:" in out
