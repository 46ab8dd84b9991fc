"""One chaos run end to end, and a series of runs: the process and broker edges.

Per run: a fresh topic prefix (so its topics are read from the beginning), topics provisioned, N
extractor workers started and ready, then in parallel: the paced publisher, the faults of the plan
(:mod:`.plan`) at their times, a health poller (``/health`` and ``/ready`` of each worker every
0.5 s), a group-offset sampler (every 0.5 s) and a read_committed output reader. After publishing
and the last restart it waits until every raw offset is accounted for or ``timeout`` passes, keeps
reading ``settle`` seconds more for late duplicates, stops the workers (SIGTERM, 30 s, then
SIGKILL) and reconciles.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wirestream.chaos.kafkaio import OffsetSampler, OutputReader, Publisher, read_raw
from wirestream.chaos.messages import (
    FAULT_MARKER_ENV,
    Message,
    build_messages,
    generated_pool,
    load_pool,
    poison_message,
)
from wirestream.chaos.plan import (
    ChaosConfig,
    Fault,
    RunPlan,
    plan_run,
    replay_command,
    run_seed,
)
from wirestream.chaos.reconcile import RawMessage, reconcile
from wirestream.chaos.results import FaultOutcome, RunResult
from wirestream.chaos.timeline import (
    HealthSample,
    OffsetSample,
    longest_stall,
    recovery_seconds,
    transitions,
    unhealthy_seconds,
)
from wirestream.errors import ConfigurationError
from wirestream.localkafka import LocalBroker, LocalKafkaSettings
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.net import free_port
from wirestream.testkit.workers import WorkerProcess, start_workers

APP_ID = "extractor"
POLL_INTERVAL = 0.5
STOP_TIMEOUT = 30.0
WORKER_READY_TIMEOUT = 300.0

Say = Callable[[str], None]


class WorkerPool:
    """The run's worker slots; a restarted worker takes its slot (same data dir and log)."""

    def __init__(self, slots: list[WorkerProcess]) -> None:
        self.slots = slots

    def restart(self, index: int) -> None:
        old = self.slots[index]
        self.slots[index] = WorkerProcess(
            free_port(), old.env, old.log_path, service=old.service, args=old.args, cwd=old.cwd
        ).start()

    def stop_all(self) -> dict[str, int | None]:
        """SIGTERM every running worker at once (SIGKILL after 30 s); exit code per worker."""
        from concurrent.futures import ThreadPoolExecutor

        def stop(worker: WorkerProcess) -> int | None:
            return worker.stop(STOP_TIMEOUT) if worker.alive() else None

        with ThreadPoolExecutor(max_workers=max(1, len(self.slots))) as threads:
            codes = list(threads.map(stop, self.slots))
        return {f"worker-{index}": code for index, code in enumerate(codes)}


@dataclass
class Monitor:
    """Samples taken while the run goes on."""

    t0: float
    health: list[HealthSample] = field(default_factory=list)
    offsets: list[OffsetSample] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.t0

    async def poll_health(self, pool: WorkerPool, stop: asyncio.Event) -> None:
        while not stop.is_set():
            t = self.now()
            polls = await asyncio.to_thread(_poll_workers, list(pool.slots))
            self.health.extend(HealthSample(t, w, path, status) for w, path, status in polls)
            await _wait(stop, POLL_INTERVAL)

    async def sample_offsets(self, sampler: OffsetSampler, stop: asyncio.Event) -> None:
        while not stop.is_set():
            sample = await sampler.sample(self.now())
            if sample is not None:
                self.offsets.append(sample)
            await _wait(stop, POLL_INTERVAL)


def _poll_workers(workers: list[WorkerProcess]) -> list[tuple[int, str, int]]:
    return [
        (index, path, worker.get(path, timeout=1.0)[0])
        for index, worker in enumerate(workers)
        for path in ("/health", "/ready")
    ]


async def _wait(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


async def _read_outputs(reader: OutputReader, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await reader.poll(POLL_INTERVAL)


class FaultRunner:
    """Executes the plan's faults at their times; restarts run in the background."""

    def __init__(
        self,
        pool: WorkerPool,
        publisher: Publisher | None,
        broker: LocalBroker | None,
        monitor: Monitor,
        say: Say,
    ) -> None:
        self.pool = pool
        self.publisher = publisher
        self.broker = broker
        self.monitor = monitor
        self.say = say
        self.restarts: list[asyncio.Task[None]] = []

    async def run(self, plan: RunPlan) -> list[FaultOutcome]:
        return await self.run_faults(plan.faults, plan.marker)

    async def run_faults(self, faults: Sequence[Fault], marker: str = "") -> list[FaultOutcome]:
        """Each fault at its time (``marker``: the fault-marker token of poison bursts); returns
        once every restart is done."""
        outcomes = [FaultOutcome(fault) for fault in faults]
        for number, outcome in enumerate(outcomes):
            delay = outcome.fault.at - self.monitor.now()
            if delay > 0:
                await asyncio.sleep(delay)
            outcome.started = self.monitor.now()
            self.say(f"  t={outcome.started:6.1f}s {outcome.fault.describe()}")
            try:
                await self._execute(outcome, marker, number)
            except Exception as exc:  # noqa: BLE001 - recorded in the report, the run goes on
                outcome.error = f"{type(exc).__name__}: {exc}"
                self.say(f"  fault failed: {outcome.error}")
        if self.restarts:
            await asyncio.gather(*self.restarts)
        return outcomes

    async def _execute(self, outcome: FaultOutcome, marker: str, number: int) -> None:
        fault = outcome.fault
        if fault.kind in ("sigkill", "sigterm"):
            assert fault.worker is not None
            if not self.pool.slots[fault.worker].alive() and self.restarts:
                # A stop that took longer than planned: its restart is still to come; wait for it.
                await asyncio.gather(*self.restarts)
                outcome.started = self.monitor.now()
            worker = self.pool.slots[fault.worker]
            if not worker.alive():
                outcome.error = "skipped: the worker was not running"
                return
            if fault.kind == "sigkill":
                await asyncio.to_thread(worker.kill)
            else:
                outcome.exit_code = await asyncio.to_thread(worker.stop, STOP_TIMEOUT)
            outcome.effective = self.monitor.now()
            if fault.delay is not None:
                self.restarts.append(asyncio.create_task(self._restart(outcome, fault.delay)))
        elif fault.kind == "broker":
            await self._bounce_broker(outcome)
        else:
            if self.publisher is None:
                outcome.error = "skipped: no raw publisher in this run"
                return
            burst = [
                poison_message(kind, 100_000 * (number + 1) + i, marker)
                for i, kind in enumerate(fault.poison)
            ]
            await self.publisher.send_all(burst, rate=None, t0=time.monotonic())
            outcome.effective = self.monitor.now()

    async def _restart(self, outcome: FaultOutcome, delay: float) -> None:
        await asyncio.sleep(delay)
        assert outcome.fault.worker is not None
        await asyncio.to_thread(self.pool.restart, outcome.fault.worker)
        outcome.restarted = self.monitor.now()
        self.say(f"  t={outcome.restarted:6.1f}s worker {outcome.fault.worker} started again")

    async def _bounce_broker(self, outcome: FaultOutcome) -> None:
        if self.broker is None:
            outcome.error = "skipped: the broker was not started by this command"
            return
        await asyncio.to_thread(self.broker.stop)
        await asyncio.sleep(outcome.fault.delay or 0.0)
        await asyncio.to_thread(self.broker.start)
        outcome.effective = self.monitor.now()
        self.say(f"  t={outcome.effective:6.1f}s broker answering again")


@dataclass
class RunSetup:
    number: int
    seed: int
    plan: RunPlan
    kafka: KafkaSettings
    messages: list[Message]
    work_dir: Path


async def _drive(
    setup: RunSetup, config: ChaosConfig, pool: WorkerPool, broker: LocalBroker | None, say: Say
) -> tuple[Monitor, list[FaultOutcome], list[RawMessage], OutputReader, float | None]:
    kafka = setup.kafka
    reader, sampler, publisher = (
        OutputReader(kafka),
        OffsetSampler(kafka, kafka.topic_prefix + APP_ID),
        Publisher(kafka),
    )
    for part in (reader, sampler, publisher):
        await part.start()
    monitor = Monitor(time.monotonic())
    stop = asyncio.Event()
    background = [
        asyncio.create_task(monitor.poll_health(pool, stop)),
        asyncio.create_task(monitor.sample_offsets(sampler, stop)),
        asyncio.create_task(_read_outputs(reader, stop)),
    ]
    faults = asyncio.create_task(FaultRunner(pool, publisher, broker, monitor, say).run(setup.plan))
    try:
        await publisher.send_all(setup.messages, rate=config.rate, t0=monitor.t0)
        say(f"  t={monitor.now():6.1f}s published {publisher.sent} messages")
        outcomes = await faults
        raw = await read_raw(kafka)
        completed = await _until_accounted(raw, reader, monitor, config.timeout)
        say(
            f"  t={monitor.now():6.1f}s "
            + ("all accounted for" if completed is not None else f"timeout ({config.timeout:g} s)")
        )
        await asyncio.sleep(config.settle)  # late duplicates: keep reading a little longer
    finally:
        if not faults.done():  # publishing failed: do not leave faults firing
            faults.cancel()
        stop.set()
        await asyncio.gather(*background, return_exceptions=True)
        for part in (reader, sampler, publisher):
            with contextlib.suppress(Exception):
                await part.stop()
    return monitor, outcomes, raw, reader, completed


async def _until_accounted(
    raw: list[RawMessage], reader: OutputReader, monitor: Monitor, timeout: float
) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not reconcile(raw, reader.index).lost:
            return monitor.now()
        await asyncio.sleep(1.0)
    return None


def run_once(
    setup: RunSetup, config: ChaosConfig, broker: LocalBroker | None, say: Say
) -> RunResult:
    """Provision, start the workers, drive the run, stop the workers, reconcile."""
    from wirestream.streaming.provision import ensure_topics

    asyncio.run(ensure_topics(setup.kafka))
    env = {FAULT_MARKER_ENV: setup.plan.marker, **dict(e.split("=", 1) for e in config.worker_env)}
    say(f"  starting {config.workers} workers (logs in {setup.work_dir})")
    pool = WorkerPool([])
    try:
        pool.slots = start_workers(
            config.workers,
            setup.kafka,
            app_id=APP_ID,
            work_dir=setup.work_dir,
            extra_env=env,
            ready_timeout=WORKER_READY_TIMEOUT,
        )
        say(f"  publishing {len(setup.messages)} messages over {setup.plan.publish_seconds:.0f} s")
        monitor, outcomes, raw, reader, completed = asyncio.run(
            _drive(setup, config, pool, broker, say)
        )
    finally:
        shutdown = pool.stop_all()
    for outcome in outcomes:
        if outcome.started is not None and outcome.effective is not None:
            outcome.recovery = recovery_seconds(outcome.started, outcome.effective, monitor.offsets)
    bootstrap = None if broker is not None else setup.kafka.bootstrap_servers
    return RunResult(
        number=setup.number,
        seed=setup.seed,
        prefix=setup.kafka.topic_prefix,
        work_dir=setup.work_dir,
        replay=replay_command(config, setup.seed, bootstrap=bootstrap),
        reconciliation=reconcile(raw, reader.index),
        faults=outcomes,
        health=unhealthy_seconds(monitor.health, monitor.now()),
        transitions=transitions(monitor.health),
        stall=longest_stall(monitor.offsets),
        completed_after=completed,
        publish_seconds=setup.plan.publish_seconds,
        shutdown=shutdown,
        committed=dict(monitor.offsets[-1].committed) if monitor.offsets else {},
    )


def start_own_broker(say: Say) -> tuple[LocalBroker, Path]:
    """A local broker on free ports with its data in a new temporary folder."""
    data_dir = Path(tempfile.mkdtemp(prefix="wirestream-chaos-kafka-"))
    settings = LocalKafkaSettings.from_env(
        port=free_port(), controller_port=free_port(), data_dir=data_dir
    )
    broker = LocalBroker(settings)
    say(f"starting a local broker on {settings.bootstrap_servers} (data in {data_dir})")
    broker.start()
    return broker, data_dir


def article_pool(config: ChaosConfig, say: Say) -> tuple[list[Message], list[str]]:
    """The articles to draw from: ``--generated``, else ``<data>/load/*.jsonl`` (default
    ../shared/data), falling back to generated articles when the default folder is absent."""
    from wirestream.evaluation.data import default_data_dir

    if config.generated:
        return generated_pool(config.articles), ["generated articles (--generated)"]
    root = Path(config.data) if config.data else default_data_dir()
    folder = root / "load" if (root / "load").is_dir() else root
    if not folder.is_dir() or not any(folder.glob("*.jsonl")):
        if config.data:
            raise ConfigurationError(f"--data {config.data}: no load/*.jsonl articles there")
        note = f"no load articles at {folder}: using generated articles instead"
        say(note)
        return generated_pool(config.articles), [note]
    return load_pool(folder), [f"load articles from {folder}"]


def run_chaos(
    config: ChaosConfig, seed: int, runs: int, work_dir: Path, bootstrap: str | None, say: Say
) -> list[RunResult]:
    """``runs`` runs against ``bootstrap`` or a local broker started (and removed) here."""
    pool, notes = article_pool(config, say)
    broker: LocalBroker | None = None
    data_dir: Path | None = None
    if bootstrap is None:
        broker, data_dir = start_own_broker(say)
        bootstrap = broker.bootstrap_servers
    stamp = time.strftime("%Y%m%d%H%M%S")
    results = []
    try:
        for number in range(runs):
            seed_k = run_seed(seed, number)
            plan = plan_run(seed_k, config, len(pool))
            prefix = f"chaos-{stamp}-{number + 1}-{secrets.token_hex(3)}."
            say(f"run {number + 1}/{runs}: seed {seed_k}, topic prefix {prefix}")
            setup = RunSetup(
                number + 1,
                seed_k,
                plan,
                KafkaSettings(bootstrap_servers=bootstrap, topic_prefix=prefix),
                build_messages(plan.order, pool, plan.marker),
                work_dir / f"run-{number + 1}",
            )
            setup.work_dir.mkdir(parents=True, exist_ok=True)
            result = run_once(setup, config, broker, say)
            result.notes.extend(notes)
            results.append(result)
    finally:
        if broker is not None and data_dir is not None:
            stop_own_broker(broker, data_dir, work_dir)
    return results


def stop_own_broker(broker: LocalBroker, data_dir: Path, work_dir: Path) -> None:
    broker.stop()
    with contextlib.suppress(OSError):
        work_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(broker.log_file, work_dir / "broker.log")
    shutil.rmtree(data_dir, ignore_errors=True)
