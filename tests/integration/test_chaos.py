"""``wirestream chaos``, short: one run, two workers, 100 generated articles, one poison message of
each kind, one SIGKILL with the survivor left to take over. Nothing may be lost and a read_committed
consumer may see no duplicate.

Against the faust worker this replaced (issue 12) it failed: 46 of 105 messages lost with seed 12
(the survivor never took over; the nested-metadata article crashed the agent). The assertion
message carries the harness's report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.chaos import report
from wirestream.chaos.plan import POISON_KINDS, ChaosConfig
from wirestream.chaos.runner import run_chaos

pytestmark = pytest.mark.integration

SEED = 12


@pytest.mark.timeout(900)
def test_sigkill_takeover_and_poison_lose_nothing(kafka_bootstrap: str, tmp_path: Path) -> None:
    config = ChaosConfig(
        workers=2,
        articles=100,
        rate=10.0,
        faults=1,
        fault_kinds=("sigkill",),
        restart_probability=0.0,
        timeout=240.0,
        generated=True,
    )
    config.check()
    lines: list[str] = []
    results = run_chaos(config, SEED, 1, tmp_path, kafka_bootstrap, lines.append)
    [result] = results
    text = report.render(results, config.exactly_once)

    [fault] = result.faults
    assert fault.fault.kind == "sigkill" and fault.fault.delay is None, "the survivor takes over"
    assert fault.error is None and fault.effective is not None, text
    rec = result.reconciliation
    assert rec.raw == config.articles + len(POISON_KINDS), text
    assert sorted(k.split("-")[1] for k in result.poison()) == sorted(POISON_KINDS), text
    assert [m.what for m in rec.lost] == [], text
    assert rec.duplicates == (), text
    assert all(outcome.startswith("dead letter") for outcome in result.poison().values()), text
    assert fault.recovery is not None and fault.recovery <= 45.0, text
