"""Time to recover, stalls and health transitions from samples."""

from __future__ import annotations

from wirestream.chaos.timeline import (
    HealthSample,
    OffsetSample,
    longest_stall,
    recovery_seconds,
    transitions,
    unhealthy_seconds,
)


def sample(t: float, committed: dict[int, int], end: dict[int, int] | None = None) -> OffsetSample:
    return OffsetSample(t, committed, end or {0: 100, 1: 100})


def test_recovery_waits_for_every_lagging_partition_to_move() -> None:
    samples = [
        sample(9.0, {0: 10, 1: 20}),
        sample(10.5, {0: 10, 1: 20}),  # baseline: first sample at or after the effect (10.2)
        sample(11.0, {0: 30, 1: 20}),  # partition 1 still stuck
        sample(41.0, {0: 40, 1: 20}),
        sample(45.5, {0: 50, 1: 21}),
    ]
    assert recovery_seconds(10.0, 10.2, samples) == 35.5


def test_a_partition_without_lag_at_the_baseline_does_not_count() -> None:
    samples = [sample(1.0, {0: 10, 1: 100}), sample(2.0, {0: 11, 1: 100})]
    assert recovery_seconds(0.5, 0.8, samples) == 1.5


def test_reaching_the_end_counts_as_recovered_and_no_lag_is_zero() -> None:
    caught_up = [sample(1.0, {0: 90}, {0: 100}), sample(3.0, {0: 100}, {0: 100})]
    assert recovery_seconds(0.5, 1.0, caught_up) == 2.5
    idle = [sample(1.0, {0: 100, 1: 100})]
    assert recovery_seconds(0.0, 0.5, idle) == 0.0


def test_no_movement_means_not_recovered() -> None:
    samples = [sample(1.0, {0: 10, 1: 10}), sample(200.0, {0: 50, 1: 10})]
    assert recovery_seconds(0.0, 0.5, samples) is None
    assert recovery_seconds(0.0, 500.0, samples) is None  # nothing sampled after the effect


def test_longest_stall_is_lag_without_progress() -> None:
    samples = [
        sample(0.0, {0: 0, 1: 0}),
        sample(1.0, {0: 10, 1: 0}),
        sample(5.0, {0: 20, 1: 0}),
        sample(6.0, {0: 30, 1: 5}),
        sample(7.0, {0: 100, 1: 5}),
        sample(20.0, {0: 100, 1: 5}),
        sample(21.0, {0: 100, 1: 100}),
    ]
    assert longest_stall(samples) == (1, 14.0)
    assert longest_stall([]) == (None, 0.0)


def test_health_transitions_and_unhealthy_time() -> None:
    polls = [
        HealthSample(0.0, 0, "/ready", 200),
        HealthSample(0.5, 0, "/ready", 200),
        HealthSample(1.0, 0, "/ready", 503),
        HealthSample(3.0, 0, "/ready", 0),
        HealthSample(4.0, 0, "/ready", 200),
        HealthSample(0.0, 1, "/health", 200),
    ]
    assert [(t.t, t.worker, t.status) for t in transitions(polls)] == [
        (0.0, 0, 200),
        (0.0, 1, 200),
        (1.0, 0, 503),
        (3.0, 0, 0),
        (4.0, 0, 200),
    ]
    assert unhealthy_seconds(polls, end=5.0) == {
        "worker-0 /ready": {"unhealthy": 2.0, "unreachable": 1.0},
        "worker-1 /health": {"unhealthy": 0.0, "unreachable": 0.0},
    }
