"""``wirestream bench --incidents`` on the hand-written load articles: one extractor worker and one
incident worker on a real broker, their CPU from /proc (the real numbers come from
``../shared/data/load``, see docs/EVALUATION.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.cli import main

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "evaluation" / "data"


def test_bench_incidents_reports_both_workers_cpu_per_article(
    kafka_bootstrap: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "--incidents", "--data", str(DATA), "--out", str(tmp_path)])
    assert exit_.value.code == 0
    stdout = capsys.readouterr().out
    assert "incident stage CPU:" in stdout and "fraction:" in stdout
    report = json.loads((tmp_path / "incidents.json").read_text("utf-8"))
    assert report["command"].startswith("wirestream bench --incidents")
    # Every article went through both stages: the extractor made one article record each, and the
    # incident stage sent exactly the members those records give (checked by the bench too).
    assert report["articles"] == report["article_records"] == 4
    assert report["event_records"] >= 1 and report["members"] >= 1
    assert report["incident_records"] >= 1
    extractor, incidents = (
        report["extractor_cpu_ms_per_article"],
        report["incidents_cpu_ms_per_article"],
    )
    assert extractor > 0 and incidents > 0
    assert report["fraction"] == pytest.approx(incidents / extractor, abs=1e-3)
    assert report["incidents_cpu_seconds"] == pytest.approx(incidents * 4 / 1000, abs=2e-3)
    assert report["peak_rss_mib"]["incidents"] > 20
    assert report["peak_rss_mib"]["extractor"] > report["peak_rss_mib"]["incidents"]
