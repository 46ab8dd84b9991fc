"""The stream strip's numbers (pure): records per second by kind, dead letters, lag per partition."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from typing import Any


class RateMeter:
    """Records per second over the last ``window`` seconds, by kind."""

    def __init__(self, window: float = 10.0, clock: Any = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._seen: deque[tuple[float, str, int]] = deque()
        self.started = clock()

    def add(self, kind: str, count: int = 1) -> None:
        self._seen.append((self.clock(), kind, count))

    def rates(self) -> dict[str, float]:
        now = self.clock()
        while self._seen and self._seen[0][0] < now - self.window:
            self._seen.popleft()
        span = max(1e-9, min(self.window, now - self.started))
        totals: dict[str, float] = {}
        for _, kind, count in self._seen:
            totals[kind] = totals.get(kind, 0) + count
        return {kind: round(total / span, 2) for kind, total in sorted(totals.items())}


def partition_lag(
    end: Mapping[int, int], committed: Mapping[int, int | None]
) -> list[dict[str, Any]]:
    """One row per partition: end offset, the group's committed offset and the lag.

    A partition the group has committed nothing for counts all its messages as lag (None shown
    as committed)."""
    rows = []
    for partition in sorted(end):
        done = committed.get(partition)
        rows.append(
            {
                "partition": partition,
                "end": end[partition],
                "committed": done,
                "lag": max(0, end[partition] - (done or 0)),
            }
        )
    return rows


def dead_letters(begin: Mapping[int, int], end: Mapping[int, int]) -> int:
    """Messages held in the dead-letter topic (within its retention)."""
    return sum(max(0, end[p] - begin.get(p, 0)) for p in end)
