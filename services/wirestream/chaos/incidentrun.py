"""One incident chaos run end to end, and a series of runs: the process and broker edges.

Per run: a fresh topic prefix, the stage's topics, ``workers`` incident workers (``wirestream
worker incidents``, one consumer group, a data folder each) started and ready, then in parallel:
the member stream published at ``rate`` (:mod:`.incidentio`), the faults of the plan
(:mod:`.incidentplan`) at their times, ``/health`` and ``/ready`` polls, the group's offsets on
the members topic and the incidents topic read ``read_committed``. After publishing and the last
restart it waits until the incidents check clean (:mod:`.incidentcheck`) or ``timeout`` passes,
reads ``settle`` seconds more and checks again (what it reports), stops the workers, then replays
the same stream under a new prefix and group with one worker and no fault, and compares.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wirestream.chaos.incidentcheck import check_incidents, replay_differences
from wirestream.chaos.incidentio import IncidentReader, MemberPublisher, prepare
from wirestream.chaos.incidentplan import IncidentPlan, plan_incident_run
from wirestream.chaos.kafkaio import OffsetSampler
from wirestream.chaos.members import MemberStream
from wirestream.chaos.plan import ChaosConfig, replay_command, run_seed
from wirestream.chaos.results import FaultOutcome, IncidentRunResult
from wirestream.chaos.runner import (
    POLL_INTERVAL,
    WORKER_READY_TIMEOUT,
    FaultRunner,
    Monitor,
    Say,
    WorkerPool,
    start_own_broker,
    stop_own_broker,
)
from wirestream.chaos.timeline import (
    commit_changes,
    longest_stall,
    recovery_seconds,
    unhealthy_seconds,
)
from wirestream.localkafka import LocalBroker
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import INCIDENT_MEMBERS
from wirestream.testkit.net import free_port
from wirestream.testkit.workers import WorkerProcess, wait_all_ready, worker_env
from wirestream_contracts.incidents import IncidentRecord

SERVICE = "incidents"
GROUP = "incidents"
"""The workers' ``WIRESTREAM_INCIDENTS_GROUP_ID``; the consumer group is the prefix plus this."""
REPLAY_WORKERS = 1


def start_incident_workers(
    count: int,
    kafka: KafkaSettings,
    work_dir: Path,
    *,
    group: str = GROUP,
    extra_env: Mapping[str, str] | None = None,
) -> list[WorkerProcess]:
    """``count`` incident workers in group ``group`` (not waited for), each with its own data
    folder (``work_dir/incidents-<i>-data``) and log (``work_dir/incidents-<i>.log``)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    workers = []
    for index in range(count):
        data = {f"WIRESTREAM_{SERVICE.upper()}_DATA_DIR": str(work_dir / f"{SERVICE}-{index}-data")}
        extra = {**data, **(extra_env or {})}
        env = worker_env(kafka, app_id=group, service=SERVICE, extra=extra)
        log = work_dir / f"{SERVICE}-{index}.log"
        workers.append(WorkerProcess(free_port(), env, log, service=SERVICE).start())
    return workers


async def _read(reader: IncidentReader, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await reader.poll(POLL_INTERVAL)


async def converge(
    reader: IncidentReader, stream: MemberStream, clock: Monitor, timeout: float
) -> float | None:
    """Read the incidents until they check clean (the time, on ``clock``) or ``timeout`` s pass
    (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await reader.poll(POLL_INTERVAL)
        if check_incidents(stream, reader.latest).ok:
            return clock.now()
    return None


async def settle(reader: IncidentReader, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await reader.poll(POLL_INTERVAL)


@dataclass
class Driven:
    monitor: Monitor
    outcomes: list[FaultOutcome]
    latest: Mapping[str, IncidentRecord]
    converged_at: float | None


async def drive(
    plan: IncidentPlan,
    kafka: KafkaSettings,
    config: ChaosConfig,
    pool: WorkerPool,
    broker: LocalBroker | None,
    say: Say,
) -> Driven:
    """Publish, fault, wait for convergence, settle; the samples and what the reader saw."""
    reader, publisher = IncidentReader(kafka), MemberPublisher(kafka)
    sampler = OffsetSampler(kafka, kafka.topic_prefix + GROUP, INCIDENT_MEMBERS.name(kafka))
    for part in (reader, sampler, publisher):
        await part.start()
    monitor = Monitor(time.monotonic())
    stop = asyncio.Event()
    background = [
        asyncio.create_task(monitor.poll_health(pool, stop)),
        asyncio.create_task(monitor.sample_offsets(sampler, stop)),
    ]
    faults = asyncio.create_task(
        FaultRunner(pool, None, broker, monitor, say).run_faults(plan.faults)
    )
    stop_reading = asyncio.Event()
    reading = asyncio.create_task(_read(reader, stop_reading))
    try:
        await publisher.send_all(plan.stream.order, rate=config.rate, t0=monitor.t0)
        say(f"  t={monitor.now():6.1f}s published {publisher.sent} messages")
        outcomes = await faults
        stop_reading.set()
        await reading
        converged = await converge(reader, plan.stream, monitor, config.timeout)
        say(
            f"  t={monitor.now():6.1f}s "
            + ("incidents check clean" if converged else f"timeout ({config.timeout:g} s)")
        )
        await settle(reader, config.settle)
    finally:
        if not faults.done():
            faults.cancel()
        stop.set()
        stop_reading.set()
        await asyncio.gather(*background, reading, return_exceptions=True)
        for part in (reader, sampler, publisher):
            with contextlib.suppress(Exception):
                await part.stop()
    return Driven(monitor, outcomes, dict(reader.latest), converged)


def _fault_end(outcomes: list[FaultOutcome]) -> float | None:
    ends = [o.restarted or o.effective for o in outcomes]
    return max((t for t in ends if t is not None), default=None)


def _unexpected_exits(pool: WorkerPool) -> list[str]:
    return [
        f"worker-{i} exited on its own (exit code {w.process.returncode if w.process else None})"
        for i, w in enumerate(pool.slots)
        if not w.alive()
    ]


def run_incidents_once(
    number: int,
    plan: IncidentPlan,
    kafka: KafkaSettings,
    config: ChaosConfig,
    work_dir: Path,
    broker: LocalBroker | None,
    say: Say,
) -> IncidentRunResult:
    """Provision, start the workers, drive the run, stop the workers, check, replay."""
    asyncio.run(prepare(kafka))
    say(f"  starting {config.workers} incident workers (logs in {work_dir})")
    pool = WorkerPool([])
    try:
        env = dict(item.split("=", 1) for item in config.worker_env)
        pool.slots = start_incident_workers(config.workers, kafka, work_dir, extra_env=env)
        wait_all_ready(pool.slots, timeout=WORKER_READY_TIMEOUT)
        say(f"  publishing {len(plan.stream.order)} members over {plan.publish_seconds:.0f} s")
        driven = asyncio.run(drive(plan, kafka, config, pool, broker, say))
        if driven.converged_at is None:  # what the live workers wait on, in their logs
            dumped = [i for i, w in enumerate(pool.slots) if w.dump_tasks()]
            say(f"  not converged: task dumps of workers {dumped} are in their logs")
    finally:
        exits = _unexpected_exits(pool) if pool.slots else []
        shutdown = pool.stop_all()
    for outcome in driven.outcomes:
        if outcome.started is not None and outcome.effective is not None:
            offsets = driven.monitor.offsets
            outcome.recovery = recovery_seconds(outcome.started, outcome.effective, offsets)
    result = IncidentRunResult(
        number=number,
        seed=plan.seed,
        prefix=kafka.topic_prefix,
        work_dir=work_dir,
        replay=replay_command(
            config, plan.seed, bootstrap=None if broker else kafka.bootstrap_servers
        ),
        check=check_incidents(plan.stream, driven.latest),
        faults=driven.outcomes,
        publish_seconds=plan.publish_seconds,
        last_fault_end=_fault_end(driven.outcomes),
        converged_at=driven.converged_at,
        health=unhealthy_seconds(driven.monitor.health, driven.monitor.now()),
        stall=longest_stall(driven.monitor.offsets),
        shutdown=shutdown,
        notes=exits,
    )
    if driven.monitor.offsets:
        last = driven.monitor.offsets[-1]
        result.committed, result.ends = dict(last.committed), dict(last.end)
        result.commits = commit_changes(driven.monitor.offsets)
    replay_run(result, plan.stream, driven.latest, kafka, config, work_dir / "replay", say)
    return result


def replay_run(
    result: IncidentRunResult,
    stream: MemberStream,
    latest: Mapping[str, IncidentRecord],
    kafka: KafkaSettings,
    config: ChaosConfig,
    work_dir: Path,
    say: Say,
) -> None:
    """The same stream under a new prefix and group, one worker, no fault: fills the result's
    ``replay_*`` fields."""
    replay = KafkaSettings(
        bootstrap_servers=kafka.bootstrap_servers, topic_prefix=kafka.topic_prefix + "replay."
    )
    asyncio.run(prepare(replay))
    say(f"  replay under {replay.topic_prefix} with {REPLAY_WORKERS} worker, no fault")
    workers = start_incident_workers(REPLAY_WORKERS, replay, work_dir)
    try:
        wait_all_ready(workers, timeout=WORKER_READY_TIMEOUT)
        seen, after = asyncio.run(_replay(replay, stream, config))
    finally:
        for worker in workers:
            worker.stop()
    result.replay_check = check_incidents(stream, seen)
    result.replay_converged_after = after
    result.replay_differences = replay_differences(latest, seen)


async def _replay(
    kafka: KafkaSettings, stream: MemberStream, config: ChaosConfig
) -> tuple[dict[str, IncidentRecord], float | None]:
    reader, publisher = IncidentReader(kafka), MemberPublisher(kafka)
    await reader.start()
    await publisher.start()
    clock = Monitor(time.monotonic())
    try:
        await publisher.send_all(stream.order, rate=None, t0=clock.t0)
        after = await converge(reader, stream, clock, config.timeout)
        await settle(reader, config.settle)
    finally:
        await publisher.stop()
        await reader.stop()
    return dict(reader.latest), after


def run_incident_chaos(
    config: ChaosConfig,
    seed: int,
    runs: int,
    work_dir: Path,
    bootstrap: str | None,
    say: Say,
    broker: LocalBroker | None = None,
) -> list[IncidentRunResult]:
    """``runs`` runs against ``broker`` (given: broker faults stop and start it), else
    ``bootstrap`` (no broker faults), else a local broker started (and removed) here."""
    own: Path | None = None
    if broker is None and bootstrap is None:
        broker, own = start_own_broker(say)
    if broker is not None:
        bootstrap = broker.bootstrap_servers
    assert bootstrap is not None
    stamp = time.strftime("%Y%m%d%H%M%S")
    results = []
    try:
        for number in range(1, runs + 1):
            plan = plan_incident_run(run_seed(seed, number - 1), config)
            prefix = f"chaos-inc-{stamp}-{number}-{secrets.token_hex(3)}."
            say(f"run {number}/{runs}: seed {plan.seed}, topic prefix {prefix}")
            kafka = KafkaSettings(bootstrap_servers=bootstrap, topic_prefix=prefix)
            run_dir = work_dir / f"run-{number}"
            results.append(run_incidents_once(number, plan, kafka, config, run_dir, broker, say))
    finally:
        if broker is not None and own is not None:
            stop_own_broker(broker, own, work_dir)
    return results
