"""What ``/health``, ``/ready`` and the lag metrics say: per-partition progress and the loop's state.

Pure bookkeeping, no Kafka: the loop reports what happened (assigned, committed, high water,
a failure, a recovery) with the time it happened, and :class:`Progress` answers the questions an
operator asks:

- is the worker alive and doing its job (:meth:`Progress.health`)? Not when the processing loop
  is restarting after a failure, has given up, or a partition *with lag* has not had its
  committed offset move for ``stall_timeout`` seconds (a stuck partition), or a rebalance has
  lasted that long;
- may it take traffic (:meth:`Progress.readiness`)? When it holds partitions, is not rebalancing
  and its loop runs;
- for each assigned partition: committed offset, high water, lag and seconds since the committed
  offset last moved (:meth:`Progress.partitions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class LoopState(StrEnum):
    """Where the processing loop is."""

    STARTING = "starting"
    RUNNING = "running"
    RESTARTING = "restarting"
    """A failure outside one message's processing: state is being reset, the batch will be
    processed again."""
    STOPPING = "stopping"
    FAILED = "failed"
    """The loop ended on an error it cannot recover from; the process is about to exit."""


@dataclass
class PartitionProgress:
    """One assigned partition."""

    partition: int
    assigned_at: float
    committed: int | None = None
    """The next offset to process, as committed (None: nothing committed yet)."""
    high_water: int | None = None
    moved_at: float = 0.0
    """When ``committed`` last moved (or the partition was assigned)."""
    failures: int = 0
    """Consecutive failed transactions (reset by the next success)."""

    def lag(self) -> int | None:
        if self.high_water is None:
            return None
        return max(0, self.high_water - (self.committed or 0))

    def stalled_for(self, now: float) -> float:
        """Seconds with lag and no progress (0 when there is no lag or it is unknown)."""
        lag = self.lag()
        if not lag:
            return 0.0
        return max(0.0, now - self.moved_at)


@dataclass
class Progress:
    """The extractor's progress; ``stall_timeout`` (seconds) from ``WIRESTREAM_EXTRACTOR_STALL_TIMEOUT``."""

    stall_timeout: float = 60.0
    state: LoopState = LoopState.STARTING
    state_since: float = 0.0
    last_error: str | None = None
    restarts: int = 0
    rebalancing_since: float | None = None
    partitions: dict[int, PartitionProgress] = field(default_factory=dict)

    # -- what the loop reports -------------------------------------------------------------------
    def set_state(self, state: LoopState, now: float, error: BaseException | None = None) -> None:
        if state is LoopState.RESTARTING:
            self.restarts += 1
        if error is not None:
            self.last_error = f"{type(error).__name__}: {error}"[:500]
        if state is not self.state:
            self.state = state
            self.state_since = now

    def rebalance_started(self, now: float) -> None:
        if self.rebalancing_since is None:
            self.rebalancing_since = now

    def assigned(self, committed: dict[int, int | None], now: float) -> None:
        """A rebalance ended with these partitions (and their committed offsets)."""
        self.rebalancing_since = None
        self.partitions = {
            p: self.partitions.get(p) or PartitionProgress(p, assigned_at=now, moved_at=now)
            for p in committed
        }
        for p, offset in committed.items():
            self.partitions[p].committed = offset

    def committed(self, partition: int, offset: int, now: float, *, succeeded: bool = True) -> None:
        """The partition's committed offset is ``offset``: after a successful transaction
        (``succeeded``, which ends a run of failures) or as read back after a reset."""
        state = self.partitions.get(partition)
        if state is None:
            return
        if state.committed != offset:
            state.moved_at = now
        state.committed = offset
        if succeeded:
            state.failures = 0

    def failed(self, partition: int) -> None:
        state = self.partitions.get(partition)
        if state is not None:
            state.failures += 1

    def high_water(self, partition: int, offset: int | None, now: float) -> None:
        state = self.partitions.get(partition)
        if state is None or offset is None:
            return
        if not state.lag() and offset > (state.committed or 0):
            state.moved_at = now  # lag starts now: the stall clock starts with it
        state.high_water = offset

    # -- what operators ask ---------------------------------------------------------------------
    def stalled(self, now: float) -> list[int]:
        return sorted(
            p for p, s in self.partitions.items() if s.stalled_for(now) >= self.stall_timeout
        )

    def health(self, now: float) -> tuple[bool, dict[str, Any]]:
        """``(healthy, body)``; see the module docstring."""
        problems = []
        if self.state in (LoopState.RESTARTING, LoopState.FAILED):
            problems.append(f"processing loop {self.state.value}: {self.last_error}")
        stalled = self.stalled(now)
        if stalled:
            problems.append(
                f"partitions {stalled} have lag and no committed progress for "
                f"{self.stall_timeout:.0f}s or more"
            )
        if self.rebalancing_since is not None and now - self.rebalancing_since > self.stall_timeout:
            problems.append(f"rebalancing for {now - self.rebalancing_since:.0f}s")
        body = {
            "healthy": not problems,
            "state": self.state.value,
            "problems": problems,
            "restarts": self.restarts,
        }
        return not problems, body

    def readiness(self, now: float) -> tuple[bool, dict[str, Any]]:
        """``(ready, body)``: ready when partitions are held, no rebalance runs and the loop runs."""
        rebalancing = self.rebalancing_since is not None
        ready = bool(self.partitions) and not rebalancing and self.state is LoopState.RUNNING
        body = {
            "ready": ready,
            "state": self.state.value,
            "rebalancing": rebalancing,
            "partitions": self.partition_report(now),
        }
        return ready, body

    def partition_report(self, now: float) -> list[dict[str, Any]]:
        return [
            {
                "partition": s.partition,
                "committed": s.committed,
                "high_water": s.high_water,
                "lag": s.lag(),
                "seconds_since_progress": round(now - s.moved_at, 1),
                "stalled_seconds": round(s.stalled_for(now), 1),
                "failures": s.failures,
            }
            for s in sorted(self.partitions.values(), key=lambda s: s.partition)
        ]
