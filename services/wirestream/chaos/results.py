"""The outcome of a chaos run, as data (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirestream.chaos.incidentcheck import IncidentCheck
from wirestream.chaos.plan import Fault
from wirestream.chaos.reconcile import RawMessage, Reconciliation, committed_past
from wirestream.chaos.timeline import Transition


def is_poison(label: str) -> bool:
    """Poison keys are ``chaos-<kind>-<n>``; generated articles are ``chaos-gen-<n>``."""
    return label.startswith("chaos-") and not label.startswith("chaos-gen-")


@dataclass
class FaultOutcome:
    """What happened to one planned fault; times in seconds since publishing started."""

    fault: Fault
    started: float | None = None
    effective: float | None = None
    restarted: float | None = None
    exit_code: int | None = None
    error: str | None = None
    recovery: float | None = None


@dataclass
class RunResult:
    number: int
    seed: int
    prefix: str
    work_dir: Path
    replay: str
    reconciliation: Reconciliation
    faults: list[FaultOutcome]
    health: dict[str, dict[str, float]]
    transitions: list[Transition]
    stall: tuple[int | None, float]
    completed_after: float | None
    publish_seconds: float
    shutdown: dict[str, int | None]
    committed: dict[int, int] = field(default_factory=dict)
    """The group's committed offset per raw partition at the end of the run."""
    notes: list[str] = field(default_factory=list)

    def failed(self, exactly_once: bool) -> bool:
        """Lost anything, showed differing duplicates, or (exactly-once) any visible duplicate."""
        rec = self.reconciliation
        return bool(rec.lost or rec.differing_duplicates or (exactly_once and rec.duplicates))

    def skipped(self) -> list[RawMessage]:
        """Lost messages the group committed past: gone for good, not merely stalled."""
        return committed_past(self.reconciliation.lost, self.committed)

    def poison(self) -> dict[str, str]:
        """What became of each poison message: records, dead letter (stage) or lost."""
        return {k: v for k, v in sorted(self.reconciliation.outcomes.items()) if is_poison(k)}


@dataclass
class IncidentRunResult:
    """One run: the check after the faults, and the replay's."""

    number: int
    seed: int
    prefix: str
    work_dir: Path
    replay: str
    check: IncidentCheck
    faults: list[FaultOutcome]
    publish_seconds: float
    last_fault_end: float | None
    converged_at: float | None
    health: dict[str, dict[str, float]]
    stall: tuple[int | None, float]
    shutdown: dict[str, int | None]
    committed: dict[int, int] = field(default_factory=dict)
    """The group's committed offset per members-topic partition at the end (and ``ends``: the
    partitions' end offsets then): a partition committed short of its end stalled."""
    ends: dict[int, int] = field(default_factory=dict)
    commits: list[dict[str, Any]] = field(default_factory=list)
    """Every change of a members-topic partition's committed offset (``timeline.commit_changes``)."""
    replay_check: IncidentCheck | None = None
    replay_differences: list[str] = field(default_factory=list)
    replay_converged_after: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def converge_after_last_fault(self) -> float | None:
        if self.converged_at is None:
            return None
        return max(0.0, self.converged_at - (self.last_fault_end or 0.0))

    def failed(self) -> bool:
        replay_bad = self.replay_check is None or not self.replay_check.ok
        return not self.check.ok or replay_bad or bool(self.replay_differences)
