"""``wirestream bench`` offline, on three hand-written articles (tests/evaluation/data/load)."""

from __future__ import annotations

import json
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

import pytest

from wirestream.cli import main
from wirestream.core.contracts import Article
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
    for variant in ("extractor", "spacy"):
        assert len(offline[variant]["round_cpu_seconds"]) == 2
        assert offline[variant]["cpu_ms_per_article"] > 0
    assert offline["cpu_ratio_extractor_to_spacy"] == pytest.approx(
        offline["spacy"]["cpu_ms_per_article"] / offline["extractor"]["cpu_ms_per_article"],
        rel=1e-2,
    )
    assert "ratio by CPU time" in stdout
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


class _Child:
    """A child's end of the pipe: logs what the parent sends, answers each chunk with one wall
    second and half a CPU second."""

    def __init__(self, name: str, log: list[tuple[str, int, int]]) -> None:
        self.name, self.log = name, log
        self.last: tuple[str, int, int] = ("", 0, 0)

    def send(self, message: tuple[str, int, int]) -> None:
        self.last = message
        self.log.append((self.name, message[1], message[2]))

    def recv(self) -> tuple[str, float, float, int]:
        _, first, end = self.last
        return ("chunk", 1.0, 0.5, end - first)


@pytest.mark.parametrize("flip", [False, True])
def test_a_round_alternates_the_variants_chunk_by_chunk(flip: bool) -> None:
    """Drift on a shared machine falls on both variants: every chunk runs on both, one after
    the other, and the variant that goes first changes from chunk to chunk (and from round to
    round, through ``flip``)."""
    log: list[tuple[str, int, int]] = []
    pipes = {v: cast(Connection, _Child(v, log)) for v in bench.VARIANTS}
    n = 2 * bench.CHUNK_ARTICLES + 2
    articles = [Article(id=f"a-{i}", body="Text.") for i in range(n)]
    totals = bench._round(pipes, articles, flip=flip)
    size = bench.CHUNK_ARTICLES
    chunks = [(0, size), (size, 2 * size), (2 * size, n)]
    first, second = ("extractor", "spacy") if not flip else ("spacy", "extractor")
    expected = []
    for number, (lo, hi) in enumerate(chunks):
        order = (first, second) if number % 2 == 0 else (second, first)
        expected += [(order[0], lo, hi), (order[1], lo, hi)]
    assert log == expected
    assert totals == {"extractor": (3.0, 1.5), "spacy": (3.0, 1.5)}
