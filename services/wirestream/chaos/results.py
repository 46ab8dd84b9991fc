"""The outcome of a chaos run, as data (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
