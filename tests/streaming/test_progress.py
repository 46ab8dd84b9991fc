"""What /health and /ready say, from the loop's progress reports (pure, no broker)."""

from __future__ import annotations

from aiokafka.errors import KafkaConnectionError

from wirestream.extractor.progress import LoopState, Progress


def running(stall_timeout: float = 60.0) -> Progress:
    progress = Progress(stall_timeout=stall_timeout)
    progress.set_state(LoopState.RUNNING, 0.0)
    progress.rebalance_started(0.0)
    progress.assigned({0: 10, 1: None}, now=1.0)
    return progress


def test_ready_and_healthy_with_partitions_and_progress() -> None:
    progress = running()
    progress.high_water(0, 15, now=2.0)
    progress.committed(0, 15, now=3.0)
    ready, body = progress.readiness(now=4.0)
    assert ready and body["partitions"][0]["lag"] == 0
    assert progress.health(now=500.0)[0]


def test_a_partition_with_lag_and_no_progress_turns_health_red() -> None:
    progress = running(stall_timeout=60.0)
    progress.high_water(0, 20, now=100.0)  # lag appears at 100 s
    assert progress.health(now=150.0)[0]
    progress.committed(0, 12, now=150.0)  # progress restarts the clock
    assert progress.health(now=200.0)[0]
    healthy, body = progress.health(now=211.0)
    assert not healthy
    assert "partitions [0]" in body["problems"][0]
    assert progress.partition_report(211.0)[0]["stalled_seconds"] == 61.0
    progress.committed(0, 20, now=212.0)  # caught up: no lag, no stall
    assert progress.health(now=999.0)[0]


def test_no_lag_is_never_a_stall() -> None:
    progress = running(stall_timeout=5.0)
    progress.high_water(1, 0, now=2.0)
    assert progress.health(now=1000.0)[0]


def test_a_restarting_loop_is_unhealthy_and_not_ready_until_it_runs_again() -> None:
    progress = running()
    progress.set_state(LoopState.RESTARTING, 5.0, KafkaConnectionError("gone"))
    healthy, body = progress.health(now=6.0)
    assert not healthy and "restarting" in body["problems"][0] and body["restarts"] == 1
    assert not progress.readiness(now=6.0)[0]
    progress.set_state(LoopState.RUNNING, 7.0)
    assert progress.health(now=8.0)[0] and progress.readiness(now=8.0)[0]


def test_a_rebalance_that_does_not_end_turns_health_red() -> None:
    progress = running(stall_timeout=30.0)
    progress.rebalance_started(100.0)
    assert not progress.readiness(now=101.0)[0]
    assert progress.health(now=129.0)[0]
    assert not progress.health(now=131.0)[0]
