"""``wirestream chaos``, short. The extractor: one run, two workers, 100 generated articles, one poison message of
each kind, one SIGKILL with the survivor left to take over. Nothing may be lost and a read_committed
consumer may see no duplicate.

Against the faust worker this replaced (issue 12) it failed: 46 of 105 messages lost with seed 12
(the survivor never took over; the nested-metadata article crashed the agent). The assertion
message carries the harness's report. The incident stage (``--stage incidents``): one run, two
workers, a broker restart, a SIGKILL and a SIGTERM (see its test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.kafka import SessionBroker
from wirestream.chaos import incidentreport, report
from wirestream.chaos.incidentrun import run_incident_chaos
from wirestream.chaos.plan import INCIDENT_FAULT_KINDS, POISON_KINDS, ChaosConfig
from wirestream.chaos.runner import run_chaos

pytestmark = pytest.mark.integration

SEED = 12
INCIDENT_SEED = 7


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


@pytest.mark.timeout(600)
def test_incident_workers_through_a_broker_restart_a_kill_and_a_stop(
    broker: SessionBroker, tmp_path: Path
) -> None:
    """``--stage incidents``, short: two incident workers, 72 members of 24 happenings and three
    retractions at 2 per second; seed 7 stops the broker for 5.5 s (the session broker takes about
    25 s to answer again), SIGKILLs worker 0 (started again after 2.7 s, its partitions held until
    its session expires, 60 s) and SIGTERMs worker 1. Every
    standing member ends in exactly one active incident, the incidents are the pure clustering's,
    and a replay without faults gives the same ids and contents."""
    config = ChaosConfig(
        stage="incidents",
        workers=2,
        happenings=24,
        reports=3,
        retractions=3,
        rate=2.0,
        faults=3,
        fault_kinds=INCIDENT_FAULT_KINDS,
        timeout=240.0,
    )
    config.check()
    lines: list[str] = []
    results = run_incident_chaos(
        config, INCIDENT_SEED, 1, tmp_path, None, lines.append, broker=broker.local
    )
    [result] = results
    text = incidentreport.render(results) + "\n" + "\n".join(lines)

    assert sorted(o.fault.kind for o in result.faults) == ["broker", "sigkill", "sigterm"], text
    assert all(o.error is None and o.effective is not None for o in result.faults), text
    assert all(o.restarted is not None for o in result.faults if o.fault.worker is not None), text
    check = result.check
    assert check.published == 24 * 3 + 3 and check.expected == check.active, text
    assert check.ok, text
    assert result.converged_at is not None, text
    assert result.replay_check is not None and result.replay_check.ok, text
    assert result.replay_differences == [], text
    assert result.notes == [], text  # no worker exited on its own
    assert not result.failed(), text
