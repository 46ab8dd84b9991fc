"""``wirestream bench --kafka`` end to end on the hand-written load articles (a few seconds of
extraction; the real numbers come from ``../shared/data/load``, see docs/EVALUATION.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.cli import main

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "evaluation" / "data"


def test_bench_kafka_reports_both_worker_counts_against_bare_spacy(
    kafka_bootstrap: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "bench",
                "--kafka",
                "--data",
                str(DATA),
                "--rounds",
                "1",
                "--out",
                str(tmp_path),
            ]
        )
    assert exit_.value.code == 0
    stdout = capsys.readouterr().out
    assert "| 2 worker(s) |" in stdout
    assert "bare spaCy, 2 processes at once" in stdout
    kafka = json.loads((tmp_path / "bench.json").read_text("utf-8"))["kafka"]
    spacy_rate = kafka["bare_spacy_articles_per_second"]
    assert spacy_rate > 0
    assert kafka["concurrent_bare_spacy"]["processes"] == 2
    one, two = kafka["runs"]
    assert (one["workers"], two["workers"]) == (1, 2)
    for run in (one, two):
        assert run["latency_incomplete"] == 0
        assert run["latency_seconds"]["n"] == kafka["articles"] == 4
        assert run["ratio_per_worker_to_bare_spacy"] == pytest.approx(
            run["max_rate_articles_per_second"] / run["workers"] / spacy_rate, abs=1e-3
        )
        assert all(p and p > 50 for p in run["peak_rss_mib_per_worker"])
    assert two["ratio_to_one_worker"] == pytest.approx(
        two["max_rate_articles_per_second"] / one["max_rate_articles_per_second"], abs=1e-3
    )
