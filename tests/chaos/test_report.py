"""The report: verdicts, listed losses and duplicates, JSON shape."""

from __future__ import annotations

from pathlib import Path

from wirestream.chaos.plan import Fault
from wirestream.chaos.reconcile import OutputIndex, RawMessage, reconcile
from wirestream.chaos.report import render, to_json
from wirestream.chaos.results import FaultOutcome, RunResult
from wirestream.core import jsonio


def result(*, lost: bool, duplicate: bool) -> RunResult:
    raw = [RawMessage.read(0, 0, b"chaos-gen-1", jsonio.dumps({"id": "chaos-gen-1", "body": "x"}))]
    raw.append(RawMessage.read(1, 5, b"chaos-not_json-1", b"{bad"))
    index = OutputIndex("t.articles.raw")
    if not lost:
        index.add(
            "articles", jsonio.dumps({"kind": "article", "id": "a", "article_id": "chaos-gen-1"})
        )
    if duplicate:
        index.add(
            "articles", jsonio.dumps({"kind": "article", "id": "a", "article_id": "chaos-gen-1"})
        )
    index.add(
        "raw_dlq",
        jsonio.dumps(
            {"stage": "decode", "source": {"topic": "t.articles.raw", "partition": 1, "offset": 5}}
        ),
    )
    outcome = FaultOutcome(
        Fault("sigkill", 3.0, worker=1), started=3.1, effective=3.2, recovery=None
    )
    return RunResult(
        number=1,
        seed=99,
        prefix="t.",
        work_dir=Path("/tmp/x"),
        replay="wirestream chaos --seed 99",
        reconciliation=reconcile(raw, index),
        faults=[outcome],
        health={"worker-0 /ready": {"unhealthy": 2.0, "unreachable": 0.0}},
        transitions=[],
        stall=(1, 12.5),
        completed_after=None if lost else 40.0,
        publish_seconds=20.0,
        shutdown={"worker-0": 0, "worker-1": -9},
        committed={0: 0, 1: 6},
    )


def test_a_clean_run_passes_and_a_lossy_one_fails() -> None:
    clean = render([result(lost=False, duplicate=False)], exactly_once=True)
    assert "run 1: ok" in clean and "LOST 0" in clean
    assert "chaos-not_json-1 -> dead letter (decode)" in clean
    assert "SIGKILL worker 1 (left dead); recovered in never (stalled)" in clean
    assert "worker-0 /ready: non-200 2.0 s" in clean and "'worker-1': -9" in clean
    lossy = render([result(lost=True, duplicate=False)], exactly_once=True)
    assert "run 1: FAIL" in lossy
    assert "lost (stalled): partition 0 offset 0: article chaos-gen-1" in lossy
    assert "0 committed past by the group (skipped for good), 1 at or after" in lossy
    lossy_run = result(lost=True, duplicate=False)
    lossy_run.committed = {0: 1}
    assert "lost (skipped): partition 0 offset 0" in render([lossy_run], exactly_once=True)


def test_identical_duplicates_fail_only_with_exactly_once() -> None:
    dup = result(lost=False, duplicate=True)
    assert "duplicate: a x2 (byte-identical)" in render([dup], exactly_once=True)
    assert dup.failed(exactly_once=True) and not dup.failed(exactly_once=False)
    payload = to_json([dup], exactly_once=False, command="wirestream chaos")
    assert payload["failed"] is False
    run = payload["runs"][0]
    assert run["duplicates"] == [
        {
            "record_id": "a",
            "article_id": "chaos-gen-1",
            "copies": 2,
            "expected": 1,
            "identical": True,
        }
    ]
    assert run["faults"][0]["recovery_s"] is None and run["seed"] == 99
    assert run["final_committed_offsets"] == {"0": 0, "1": 6}
    jsonio.dumps_pretty(payload)  # serialisable as it is
