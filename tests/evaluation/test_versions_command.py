"""``python -m wirestream.evaluation.versions`` on a small corpus of its own (no shared data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.core import jsonio
from wirestream.evaluation import versions

STORY = (
    "LONDON, March 2 - The city council approved a new budget for public transport on Tuesday, "
    "adding forty electric buses and two tram lines by the end of next year, officials said. "
    "The mayor told reporters the plan would cut travel times across the western districts."
)
OTHER = (
    "PARIS, March 2 - Fishermen in the Baltic port reported a record herring catch this week as "
    "cold water returned to the bay, and prices at the morning market fell by a third."
)


def test_counts_copies_versions_and_the_replay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"id": "a", "title": "COUNCIL BACKS BUSES", "body": STORY},
        {"id": "b", "title": "UPDATE 2-COUNCIL BACKS BUSES", "body": STORY},
        {"id": "c", "title": "HERRING CATCH", "body": OTHER},
        {"id": "d", "title": "KILL-HERRING CATCH", "body": OTHER + " Withdrawn."},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"".join(jsonio.dumps(r) + b"\n" for r in rows))
    assert versions.main([str(path), "--sample", "5"]) == 0
    out = capsys.readouterr().out
    assert "articles: 4" in out
    assert "update 1, correction 0, refile 0, kill 1; kill notices 1; versions {1: 3, 3: 1}" in out
    assert "copies marked: 1 of 4" in out and "same marks: True" in out
    assert "b <- a sim=1.0" in out
    assert "headline groups with more than one article (re-issued stories): 2 groups" in out


def test_a_missing_corpus_is_reported(tmp_path: Path) -> None:
    assert versions.main([str(tmp_path / "absent.jsonl")]) == 2
