"""``wirestream bench`` offline, on three hand-written articles (tests/evaluation/data/load)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.cli import main
from wirestream.evaluation import bench

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    "values, q, expected",
    [
        ([1.0, 2.0, 3.0, 4.0, 5.0], 50, 3.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 90, 4.6),  # rank 0.9 * 4 = 3.6 → 4 + 0.6 * (5 - 4)
        ([7.0], 99, 7.0),
        ([], 50, 0.0),
    ],
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert bench.percentile(values, q) == pytest.approx(expected)


def test_load_articles_alternates_files_skips_bad_lines_and_limits() -> None:
    articles, files = bench.load_articles(DATA, None)
    assert [f.name for f in files] == ["other.jsonl", "wire.jsonl"]
    # The bad line in other.jsonl is left out; the files are taken in turn.
    assert [a.id for a in articles] == ["o-1", "t-1", "t-2", "t-3"]
    limited, _ = bench.load_articles(DATA / "load", 2)
    assert [a.id for a in limited] == ["o-1", "t-1"]
    assert bench.words(limited) == 8 + 18


def test_bench_offline_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(
            ["bench", "--data", str(DATA), "--limit", "4", "--rounds", "2", "--out", str(tmp_path)]
        )
    assert exit_.value.code == 0
    stdout = capsys.readouterr().out
    assert "| Extractor.extract_many |" in stdout
    assert "ratio extract/spaCy" in stdout
    report = json.loads((tmp_path / "bench.json").read_text("utf-8"))
    offline = report["offline"]
    for variant in ("extractor", "spacy"):
        assert len(offline[variant]["round_seconds"]) == 2
        assert offline[variant]["articles_per_second"] > 0
        # The peak includes the loaded model: well above an empty interpreter.
        assert offline[variant]["peak_rss_mib"] >= offline[variant]["rss_after_load_mib"] > 50
    assert offline["ratio_extractor_to_spacy"] == pytest.approx(
        offline["extractor"]["articles_per_second"] / offline["spacy"]["articles_per_second"],
        rel=1e-2,
    )
    assert report["articles"] == 4
    assert (tmp_path / "bench-throughput.png").read_bytes()[:4] == b"\x89PNG"


def test_bench_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "--data", str(tmp_path), "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert "no load-test articles" in capsys.readouterr().err


def test_concurrent_spacy_runs_every_process_over_every_article() -> None:
    articles, _ = bench.load_articles(DATA / "load", None)
    ceiling = bench.run_concurrent_spacy(articles, processes=2, batch_size=2)
    assert ceiling["processes"] == 2
    per_process = ceiling["articles_per_second_per_process"]
    assert len(per_process) == 2 and all(rate > 0 for rate in per_process)
    assert ceiling["articles_per_second_total"] == pytest.approx(sum(per_process), abs=0.02)
