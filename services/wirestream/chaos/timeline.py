"""Recovery, stalls and health from what was sampled during a run (pure).

Times are seconds since publishing started. An :class:`OffsetSample` holds the consumer group's
committed offset and the raw topic's end offset per partition (sampled every 0.5 s with the admin
client). A :class:`HealthSample` is one poll of a worker's ``/health`` or ``/ready`` (status 0:
no answer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OffsetSample:
    t: float
    committed: Mapping[int, int]
    end: Mapping[int, int]

    def lag(self, partition: int) -> int:
        return max(0, self.end.get(partition, 0) - self.committed.get(partition, 0))


def recovery_seconds(
    started: float, effective: float, samples: Sequence[OffsetSample]
) -> float | None:
    """Seconds from ``started`` (the fault began) until every raw partition that had lag when the
    fault had taken effect (``effective``: the worker exited, the broker was back, the burst was
    sent) has its committed offset move past where it was then, or reach the end offset.

    0.0 when no partition had lag; None when that never happened in the samples (a stall).
    """
    baseline = next((s for s in samples if s.t >= effective), None)
    if baseline is None:
        return None
    lagging = [p for p in baseline.end if baseline.lag(p) > 0]
    if not lagging:
        return 0.0
    for sample in samples:
        if sample.t <= baseline.t:
            continue
        if all(
            sample.committed.get(p, 0) > baseline.committed.get(p, 0) or sample.lag(p) == 0
            for p in lagging
        ):
            return max(0.0, sample.t - started)
    return None


def longest_stall(samples: Sequence[OffsetSample]) -> tuple[int | None, float]:
    """(partition, seconds) of the longest time a partition had lag while its committed offset did
    not move; (None, 0.0) when there was none."""
    best: tuple[int | None, float] = (None, 0.0)
    since: dict[int, float] = {}
    previous: OffsetSample | None = None
    for sample in samples:
        for partition in sample.end:
            if sample.lag(partition) == 0:
                since.pop(partition, None)
                continue
            committed = sample.committed.get(partition, 0)
            moved = previous is not None and committed != previous.committed.get(partition, 0)
            if moved or partition not in since:
                since[partition] = sample.t
            elif sample.t - since[partition] > best[1]:
                best = (partition, sample.t - since[partition])
        previous = sample
    return best


@dataclass(frozen=True)
class HealthSample:
    t: float
    worker: int
    path: str
    status: int


@dataclass(frozen=True)
class Transition:
    t: float
    worker: int
    path: str
    status: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "t": round(self.t, 2),
            "worker": self.worker,
            "path": self.path,
            "status": self.status,
        }


def transitions(samples: Sequence[HealthSample]) -> list[Transition]:
    """Every change of status per (worker, path), the first poll included."""
    last: dict[tuple[int, str], int] = {}
    changes = []
    for sample in sorted(samples, key=lambda s: s.t):
        key = (sample.worker, sample.path)
        if last.get(key) != sample.status:
            last[key] = sample.status
            changes.append(Transition(sample.t, sample.worker, sample.path, sample.status))
    return changes


def unhealthy_seconds(samples: Sequence[HealthSample], end: float) -> dict[str, dict[str, float]]:
    """Per ``worker-<n> /path``: seconds answering non-200 (``unhealthy``) and seconds not answering
    at all (``unreachable``: killed, restarting or hung), each poll counting until the next."""
    totals: dict[str, dict[str, float]] = {}
    by_key: dict[tuple[int, str], list[HealthSample]] = {}
    for sample in sorted(samples, key=lambda s: s.t):
        by_key.setdefault((sample.worker, sample.path), []).append(sample)
    for (worker, path), polls in sorted(by_key.items()):
        entry = {"unhealthy": 0.0, "unreachable": 0.0}
        for poll, after in zip(polls, [*polls[1:], None], strict=True):
            span = (after.t if after else end) - poll.t
            if poll.status == 0:
                entry["unreachable"] += span
            elif poll.status != 200:
                entry["unhealthy"] += span
        totals[f"worker-{worker} {path}"] = {k: round(v, 1) for k, v in entry.items()}
    return totals


def commit_changes(samples: Sequence[OffsetSample]) -> list[dict[str, Any]]:
    """Every change of a partition's committed offset (the first sample included), compact:
    ``{"t", "partition", "committed", "end"}`` — where a stalled partition stopped."""
    last: dict[int, int] = {}
    changes = []
    for sample in samples:
        for partition, committed in sorted(sample.committed.items()):
            if last.get(partition) != committed:
                last[partition] = committed
                changes.append(
                    {
                        "t": round(sample.t, 2),
                        "partition": partition,
                        "committed": committed,
                        "end": sample.end.get(partition),
                    }
                )
    return changes
