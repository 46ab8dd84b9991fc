"""The byte-identical check (python -m wirestream.evaluation.identical) on articles written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.core import jsonio
from wirestream.evaluation import identical

ARTICLES = [
    {"id": "t-1", "title": "Talks in Geneva", "body": "The ministers met in Geneva on Tuesday."},
    {"id": "t-2", "body": 'Police said two people were killed. "It was awful," a witness said.'},
    {"id": "t-3", "body": "Drones attacked Odesa overnight, the governor said."},
]


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    load = tmp_path / "load"
    load.mkdir()
    (load / "b.jsonl").write_bytes(b"".join(jsonio.dumps(a) + b"\n" for a in ARTICLES[1:]))
    (load / "a.jsonl").write_bytes(jsonio.dumps(ARTICLES[0]) + b"\n")
    return tmp_path


def test_inputs_are_the_first_load_articles_in_file_order_then_the_seed(data: Path) -> None:
    ids = [a.id for a in identical.inputs(data, 2)]
    assert ids[:2] == ["t-1", "t-2"]
    assert len(ids) == 3 and ids[2] not in {"t-1", "t-2", "t-3"}  # the seed article


def test_write_then_check_is_identical_and_a_changed_byte_is_reported(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = tmp_path / "ref.jsonl"
    assert identical.main(["--write", str(ref), "--limit", "3", "--data", str(data)]) == 0
    lines = ref.read_bytes().splitlines(keepends=True)
    assert identical.main(["--before", str(ref), "--limit", "3", "--data", str(data)]) == 0
    assert f"identical: {len(lines)} records" in capsys.readouterr().out
    record = jsonio.loads(lines[1])
    record["confidence"] = -1.0
    changed = [lines[0], jsonio.dumps(record) + b"\n", *lines[2:]]
    ref.write_bytes(b"".join(changed))
    assert identical.main(["--before", str(ref), "--limit", "3", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert "DIFFERENT: record 2" in out and ".confidence: before -1.0" in out
    ref.write_bytes(b"".join(lines[:-1]))
    assert identical.main(["--before", str(ref), "--limit", "3", "--data", str(data)]) == 1
    assert f"record {len(lines)}: the reference ends here" in capsys.readouterr().out


def test_missing_data_or_reference_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = tmp_path / "ref.jsonl"
    assert identical.main(["--before", str(ref), "--data", str(tmp_path)]) == 2
    assert "no reference at" in capsys.readouterr().err
    ref.write_bytes(b"")
    assert identical.main(["--before", str(ref), "--data", str(tmp_path / "none")]) == 2
    assert "no load corpus" in capsys.readouterr().err


def test_first_difference_names_the_path() -> None:
    before = {"a": 1, "b": {"c": [1, 2, 3]}}
    after = {"a": 1, "b": {"c": [1, 5, 3]}}
    assert identical.first_difference(before, after) == ".b.c[1]: before 2, after 5"
