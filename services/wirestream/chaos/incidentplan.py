"""What one incident chaos run does, decided up front from one seed (pure: no clock, no processes).

The run publishes the seed's member stream (:func:`~wirestream.chaos.members.member_stream`) at
``rate`` messages per second and injects ``faults`` faults at random times between 10 % and 90 %
of the publishing window, each of a kind drawn from the configured ones:

- ``sigkill``: kill -9 one worker, started again after 2-20 s;
- ``sigterm``: stop one worker (graceful), started again after 1-10 s;
- ``broker``: the local broker stopped for 2-8 s, then started.

One worker is down at a time, so the others run through every worker fault: a worker fault
planned while another worker is still down waits until that worker has been started again (plus
:data:`RESTART_GAP`). A killed worker is always started again (``restart_probability`` is the
extractor's). The same seed and configuration always give the same :class:`IncidentPlan`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from wirestream.chaos.members import MemberStream, member_stream
from wirestream.chaos.plan import (
    BROKER_DOWNTIME,
    FAULT_WINDOW,
    SIGKILL_RESTART_DELAY,
    SIGTERM_RESTART_DELAY,
    ChaosConfig,
    Fault,
)

RESTART_GAP = 2.0
"""Seconds between a worker's restart and the next worker fault."""


@dataclass(frozen=True)
class IncidentPlan:
    seed: int
    stream: MemberStream
    faults: tuple[Fault, ...]
    publish_seconds: float

    @property
    def last_fault_at(self) -> float:
        """When the last fault has been fully applied (restart or broker start), as planned."""
        return max((f.at + (f.delay or 0.0) for f in self.faults), default=0.0)


def plan_incident_run(seed: int, config: ChaosConfig) -> IncidentPlan:
    """The plan of one run: the member stream of ``seed`` and the faults, timed and targeted."""
    rng = random.Random(seed)
    stream_seed = rng.getrandbits(32)
    stream = member_stream(stream_seed, config.happenings, config.reports, config.retractions)
    publish_seconds = len(stream.order) / config.rate
    return IncidentPlan(
        seed, stream, plan_incident_faults(rng, config, publish_seconds), publish_seconds
    )


def plan_incident_faults(
    rng: random.Random, config: ChaosConfig, publish_seconds: float
) -> tuple[Fault, ...]:
    """``config.faults`` faults at random times in the fault window, sorted; one worker down at
    a time (see the module docstring)."""
    low, high = FAULT_WINDOW
    times = sorted(rng.uniform(low, high) * publish_seconds for _ in range(config.faults))
    kinds = [rng.choice(config.fault_kinds) for _ in times]
    all_up = 0.0
    faults = []
    for at, kind in zip(times, kinds, strict=True):
        if kind == "broker":
            faults.append(Fault("broker", at, delay=rng.uniform(*BROKER_DOWNTIME)))
            continue
        at = max(at, all_up)
        worker = rng.randrange(config.workers)
        window = SIGKILL_RESTART_DELAY if kind == "sigkill" else SIGTERM_RESTART_DELAY
        delay = rng.uniform(*window)
        all_up = at + delay + RESTART_GAP
        faults.append(Fault(kind, at, worker=worker, delay=delay))
    return tuple(sorted(faults, key=lambda f: f.at))
