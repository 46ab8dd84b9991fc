"""What one chaos run does, decided up front from one seed (pure: no clock, no processes).

A run publishes the chosen articles with one poison message of every kind mixed in at random
positions, paced at ``rate`` messages per second, and injects ``faults`` faults at random times
between 10 % and 90 % of the publishing window. The same seed and configuration always give the
same :class:`RunPlan`, so a failing run is replayed with ``--seed <run seed> --runs 1``.
"""

from __future__ import annotations

import random
import shlex
from dataclasses import dataclass, field

from wirestream.errors import ConfigurationError

FAULT_KINDS = ("sigkill", "sigterm", "broker", "poison")
"""sigkill: kill -9 a worker (restarted after a delay, or left dead for the survivors); sigterm:
stop a worker and restart it; broker: stop the local broker and start it again; poison: a burst
of poison messages."""
INCIDENT_FAULT_KINDS = ("sigkill", "sigterm", "broker")
"""The kinds ``--stage incidents`` chooses from (its stream carries no poison)."""
STAGES = ("extractor", "incidents")
"""``--stage``: whose workers run under the faults."""
POISON_KINDS = ("nested", "huge", "fault", "not_json", "wrong_shape")
"""nested: a valid article whose metadata is nested 300 deep; huge: 7,000,000 bytes of non-JSON;
fault: an article whose extraction raises (fault marker); not_json / wrong_shape: small malformed."""

DEFAULT_WORKERS = 2
DEFAULT_ARTICLES = 300
DEFAULT_RATE = 5.0
DEFAULT_FAULTS = 2
DEFAULT_RESTART_PROBABILITY = 0.5
DEFAULT_BURST = 4
DEFAULT_TIMEOUT = 300.0
DEFAULT_SETTLE = 5.0
DEFAULT_HAPPENINGS = 48
DEFAULT_REPORTS = 4
DEFAULT_RETRACTIONS = 3

FAULT_WINDOW = (0.1, 0.9)
"""Faults happen between these fractions of the publishing window."""
SIGKILL_RESTART_DELAY = (2.0, 20.0)
SIGTERM_RESTART_DELAY = (1.0, 10.0)
BROKER_DOWNTIME = (2.0, 8.0)


@dataclass(frozen=True)
class ChaosConfig:
    """The options of ``wirestream chaos`` (defaults: 2 workers, 300 articles, 5 messages/s,
    2 faults per run of any kind, a killed worker restarted with probability 0.5, poison bursts of
    4, 300 s to complete after publishing, 5 s of settling, exactly-once expected, one poison
    message of each kind mixed in; ``poison=False`` leaves them out, bursts included).

    ``stage="incidents"`` runs incident workers on a synthetic member stream instead
    (:mod:`wirestream.chaos.members`: ``happenings`` 48, ``reports`` 4 each, ``retractions`` 3);
    ``articles``, ``poison``, ``burst`` and ``restart_probability`` do not apply there."""

    workers: int = DEFAULT_WORKERS
    articles: int = DEFAULT_ARTICLES
    rate: float = DEFAULT_RATE
    faults: int = DEFAULT_FAULTS
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    restart_probability: float = DEFAULT_RESTART_PROBABILITY
    burst: int = DEFAULT_BURST
    timeout: float = DEFAULT_TIMEOUT
    settle: float = DEFAULT_SETTLE
    exactly_once: bool = True
    poison: bool = True
    generated: bool = False
    data: str | None = None
    worker_env: tuple[str, ...] = ()
    stage: str = "extractor"
    happenings: int = DEFAULT_HAPPENINGS
    reports: int = DEFAULT_REPORTS
    retractions: int = DEFAULT_RETRACTIONS

    def check(self) -> None:
        """Raise :class:`ConfigurationError` naming the option when a value is out of range."""
        problems = []
        if self.workers < 1:
            problems.append("--workers must be at least 1")
        if self.articles < 1:
            problems.append("--articles must be at least 1")
        if self.rate <= 0:
            problems.append("--rate must be above 0")
        if self.faults < 0:
            problems.append("--faults must be 0 or more")
        if not 0.0 <= self.restart_probability <= 1.0:
            problems.append("--restart-probability must be between 0 and 1")
        if self.burst < 1:
            problems.append("--burst must be at least 1")
        if not 1 <= self.happenings <= 100:
            problems.append("--happenings must be between 1 and 100")
        if self.reports < 1:
            problems.append("--reports must be at least 1")
        if not 0 <= self.retractions <= self.happenings * self.reports:
            problems.append("--retractions must be between 0 and happenings x reports")
        if self.stage not in STAGES:
            problems.append(f"--stage must be one of {', '.join(STAGES)}")
        allowed = INCIDENT_FAULT_KINDS if self.stage == "incidents" else FAULT_KINDS
        unknown = sorted(set(self.fault_kinds) - set(allowed))
        if unknown:
            problems.append(f"--fault-kinds: unknown {', '.join(unknown)} (use {allowed})")
        if not self.poison and "poison" in self.fault_kinds and self.faults:
            problems.append("--no-poison: also leave 'poison' out of --fault-kinds")
        if self.faults and not self.fault_kinds:
            problems.append("--fault-kinds is empty but --faults is not 0")
        for item in self.worker_env:
            if "=" not in item:
                problems.append(f"--worker-env {item!r}: write it as NAME=VALUE")
        if problems:
            raise ConfigurationError("; ".join(problems))


@dataclass(frozen=True)
class Fault:
    """One fault. ``at``: seconds after publishing starts. ``worker``: the worker slot (sigkill,
    sigterm). ``delay``: seconds until the worker is started again (None: a killed worker is left
    dead) or, for ``broker``, how long the broker stays down. ``poison``: a burst's kinds."""

    kind: str
    at: float
    worker: int | None = None
    delay: float | None = None
    poison: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "sigkill":
            then = f"restart after {self.delay:.1f} s" if self.delay is not None else "left dead"
            return f"SIGKILL worker {self.worker} ({then})"
        if self.kind == "sigterm":
            return f"SIGTERM worker {self.worker} (restart after {self.delay or 0:.1f} s)"
        if self.kind == "broker":
            return f"broker stop, start after {self.delay or 0:.1f} s"
        return f"poison burst: {', '.join(self.poison)}"


@dataclass(frozen=True)
class RunPlan:
    """``order``: the messages in publishing order, each ``("article", index into the pool)`` or
    ``("poison", kind)``. ``marker``: the fault-marker token of this run."""

    seed: int
    marker: str
    order: tuple[tuple[str, int | str], ...]
    faults: tuple[Fault, ...]
    publish_seconds: float
    notes: tuple[str, ...] = field(default=())


def run_seed(seed: int, run: int) -> int:
    """The seed of run ``run`` (0-based): run 0 uses ``seed`` itself, so that any run is replayed
    alone with ``--seed <its seed> --runs 1``."""
    if run == 0:
        return seed
    return random.Random(f"wirestream-chaos:{seed}:{run}").getrandbits(32)


def plan_run(seed: int, config: ChaosConfig, pool_size: int) -> RunPlan:
    """The plan of one run: articles drawn from a pool of ``pool_size``, poison placed, faults
    timed and targeted (a killed worker is left dead only while another worker remains)."""
    if pool_size < config.articles:
        raise ConfigurationError(
            f"--articles {config.articles} but only {pool_size} articles are available: "
            "lower --articles or use --generated"
        )
    rng = random.Random(seed)
    marker = f"chaos-{rng.getrandbits(48):012x}"
    chosen = rng.sample(range(pool_size), config.articles)
    order: list[tuple[str, int | str]] = [("article", index) for index in chosen]
    for kind in POISON_KINDS if config.poison else ():
        order.insert(rng.randint(0, len(order)), ("poison", kind))
    publish_seconds = len(order) / config.rate
    faults = plan_faults(rng, config, publish_seconds)
    return RunPlan(seed, marker, tuple(order), faults, publish_seconds)


def plan_faults(
    rng: random.Random, config: ChaosConfig, publish_seconds: float
) -> tuple[Fault, ...]:
    """``config.faults`` faults at sorted random times in the fault window."""
    low, high = FAULT_WINDOW
    times = sorted(rng.uniform(low, high) * publish_seconds for _ in range(config.faults))
    kinds = [rng.choice(config.fault_kinds) for _ in times]
    down_until = [0.0] * config.workers
    dead: set[int] = set()
    faults = []
    for at, kind in zip(times, kinds, strict=True):
        if kind in ("sigkill", "sigterm"):
            up = [w for w in range(config.workers) if w not in dead and down_until[w] <= at]
            if not up:
                faults.append(Fault("poison", at, poison=_burst(rng, config.burst)))
                continue
            worker = rng.choice(up)
            if kind == "sigterm":
                delay: float | None = rng.uniform(*SIGTERM_RESTART_DELAY)
            else:
                restart = rng.random() < config.restart_probability
                others_remain = config.workers - len(dead) - 1 >= 1
                delay = (
                    rng.uniform(*SIGKILL_RESTART_DELAY) if restart or not others_remain else None
                )
            if delay is None:
                dead.add(worker)
            else:
                down_until[worker] = at + delay
            faults.append(Fault(kind, at, worker=worker, delay=delay))
        elif kind == "broker":
            faults.append(Fault("broker", at, delay=rng.uniform(*BROKER_DOWNTIME)))
        else:
            faults.append(Fault("poison", at, poison=_burst(rng, config.burst)))
    return tuple(faults)


def _burst(rng: random.Random, size: int) -> tuple[str, ...]:
    return tuple(rng.choice(POISON_KINDS) for _ in range(size))


def replay_command(config: ChaosConfig, seed: int, *, bootstrap: str | None = None) -> str:
    """The command line that runs exactly this run again (same seed, same options)."""
    args = ["wirestream", "chaos", "--runs", "1", "--seed", str(seed)]
    if config.stage == "incidents":
        args.extend(["--stage", "incidents", "--happenings", str(config.happenings)])
        args.extend(["--reports", str(config.reports), "--retractions", str(config.retractions)])
    else:
        args.extend(["--articles", str(config.articles)])
        args.extend(["--restart-probability", f"{config.restart_probability:g}"])
        args.extend(["--burst", str(config.burst)])
        if config.generated:
            args.append("--generated")
        elif config.data:
            args.extend(["--data", config.data])
        if not config.poison:
            args.append("--no-poison")
    args.extend(["--workers", str(config.workers), "--rate", f"{config.rate:g}"])
    args.extend(["--faults", str(config.faults)])
    args.extend(["--fault-kinds", ",".join(config.fault_kinds) or "none"])
    args.extend(["--timeout", f"{config.timeout:g}"])
    if not config.exactly_once:
        args.append("--no-exactly-once")
    for item in config.worker_env:
        args.extend(["--worker-env", item])
    if bootstrap:
        args.extend(["--bootstrap-servers", bootstrap])
    return shlex.join(args)
