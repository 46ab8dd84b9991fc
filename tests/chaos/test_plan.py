"""Fault scheduling and message order: deterministic per seed, within the rules."""

from __future__ import annotations

import shlex

import pytest

from wirestream.chaos.plan import (
    FAULT_WINDOW,
    POISON_KINDS,
    ChaosConfig,
    plan_run,
    replay_command,
    run_seed,
)
from wirestream.errors import ConfigurationError


def test_same_seed_same_plan_and_other_seed_other_plan() -> None:
    config = ChaosConfig(articles=50, faults=4)
    assert plan_run(11, config, 80) == plan_run(11, config, 80)
    assert plan_run(11, config, 80) != plan_run(12, config, 80)


def test_every_article_once_and_one_poison_of_each_kind() -> None:
    plan = plan_run(3, ChaosConfig(articles=40), 100)
    articles = [which for what, which in plan.order if what == "article"]
    poison = sorted(str(which) for what, which in plan.order if what == "poison")
    assert len(articles) == len(set(articles)) == 40
    assert all(0 <= int(index) < 100 for index in articles)
    assert poison == sorted(POISON_KINDS)
    assert plan.publish_seconds == pytest.approx(len(plan.order) / ChaosConfig().rate)


@pytest.mark.parametrize("seed", range(40))
def test_faults_are_sorted_in_the_window_and_never_leave_no_worker(seed: int) -> None:
    config = ChaosConfig(workers=2, articles=30, faults=6, restart_probability=0.2)
    plan = plan_run(seed, config, 30)
    times = [f.at for f in plan.faults]
    assert times == sorted(times) and len(times) == 6
    low, high = FAULT_WINDOW
    assert all(low * plan.publish_seconds <= t <= high * plan.publish_seconds for t in times)
    left_dead = {f.worker for f in plan.faults if f.kind == "sigkill" and f.delay is None}
    assert len(left_dead) <= config.workers - 1
    for fault in plan.faults:
        if fault.kind == "sigterm":
            assert fault.delay is not None, "a SIGTERMed worker is always started again"
        if fault.kind == "poison":
            assert len(fault.poison) == config.burst
            assert set(fault.poison) <= set(POISON_KINDS)


def test_a_dead_worker_is_not_targeted_again() -> None:
    config = ChaosConfig(
        workers=3, articles=30, faults=10, fault_kinds=("sigkill",), restart_probability=0.0
    )
    plan = plan_run(5, config, 30)
    dead: set[int] = set()
    for fault in plan.faults:
        if fault.kind == "sigkill":
            assert fault.worker not in dead
            if fault.delay is None:
                dead.add(fault.worker or 0)
    assert len(dead) == 2, "two of three left dead, the last one always restarted"


def test_one_worker_is_always_restarted() -> None:
    config = ChaosConfig(
        workers=1, articles=20, faults=3, fault_kinds=("sigkill",), restart_probability=0.0
    )
    plan = plan_run(9, config, 20)
    assert all(f.delay is not None for f in plan.faults if f.kind == "sigkill")


def test_broker_and_poison_only() -> None:
    config = ChaosConfig(articles=10, faults=5, fault_kinds=("broker", "poison"))
    plan = plan_run(1, config, 10)
    assert {f.kind for f in plan.faults} <= {"broker", "poison"}
    assert all(f.worker is None for f in plan.faults)
    assert all(2.0 <= (f.delay or 0) <= 8.0 for f in plan.faults if f.kind == "broker")


def test_run_seeds_replay_alone() -> None:
    assert run_seed(42, 0) == 42
    assert run_seed(42, 1) == run_seed(42, 1) != run_seed(42, 2)


def test_replay_command_round_trips_through_the_parser() -> None:
    from wirestream.cli import build_parser
    from wirestream.commands.chaos import config_from

    config = ChaosConfig(
        workers=3,
        articles=77,
        rate=2.5,
        faults=1,
        fault_kinds=("sigkill",),
        generated=True,
        exactly_once=False,
        poison=False,
        worker_env=("A=b c",),
    )
    command = replay_command(config, 1234, bootstrap="127.0.0.1:9999")
    args = build_parser().parse_args(shlex.split(command)[1:])
    assert args.seed == 1234 and args.runs == 1
    assert args.bootstrap_servers == "127.0.0.1:9999"
    assert config_from(args, external=True) == config


def test_bad_options_are_named() -> None:
    with pytest.raises(ConfigurationError, match="--workers"):
        ChaosConfig(workers=0).check()
    with pytest.raises(ConfigurationError, match="--fault-kinds: unknown meteor"):
        ChaosConfig(fault_kinds=("meteor",)).check()
    with pytest.raises(ConfigurationError, match="--worker-env"):
        ChaosConfig(worker_env=("NOEQUALS",)).check()
    with pytest.raises(ConfigurationError, match="only 5 articles"):
        plan_run(1, ChaosConfig(articles=10), 5)


def test_without_poison_only_articles_are_sent() -> None:
    plan = plan_run(2, ChaosConfig(articles=12, poison=False, fault_kinds=("sigkill",)), 12)
    assert [what for what, _ in plan.order] == ["article"] * 12
    with pytest.raises(ConfigurationError, match="--no-poison"):
        ChaosConfig(poison=False).check()
