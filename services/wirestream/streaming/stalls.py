"""Partitions whose records a stream was handed and then dropped without processing them.

faust's stream skips, without processing or acking, an event whose message was fetched under an
older consumer generation or read while the flow is suspended (``Stream._c_aiter``: "Skipping
message ... because app generation_id is ..."). The consumer's position is already past those
records and the commit stays at the first record not processed, so the partition stalls: nothing is
lost (nothing is committed past them) but nothing moves until the next restart replays them
(seen in the incident chaos run after a rebalance, issue 16). :class:`StallWatch` finds such a
partition: records handed on beyond its committed offset, none of them being processed, and no
progress between two checks; the consumer then fetches it again from the committed offset
(:class:`wirestream.streaming.fausthooks.ReadCommittedConsumer`). A record processed twice this
way is a duplicate the stages already tolerate (at-least-once delivery, docs/DELIVERY.md).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

STALL_CHECK_SECONDS = 5.0
"""Seconds between two checks; a partition without progress at two checks in a row is fetched
again, so a stall lasts 5-10 s."""


@dataclass
class StallWatch:
    """Remembers, per partition, (committed offset, last offset handed on) at the last check."""

    seen: dict[Any, tuple[int | None, int]] = field(default_factory=dict)

    def stalled(
        self,
        handed: Mapping[Any, int],
        committed: Mapping[Any, int | None],
        busy: Collection[Any],
    ) -> list[Any]:
        """The partitions stalled since the last check: ``handed``, the newest record handed on
        and neither acked nor committed, at or past the committed offset (faust commits the next
        offset to read), no record of the partition being processed (``busy``), and the same
        committed and handed offsets as at the last check."""
        now: dict[Any, tuple[int | None, int]] = {}
        stalled = []
        for tp, offset in handed.items():
            done = committed.get(tp)
            if tp in busy or (done is not None and done > offset):
                continue
            state = (done, offset)
            if self.seen.get(tp) == state:
                stalled.append(tp)
            else:
                now[tp] = state
        self.seen = now
        return sorted(stalled, key=lambda tp: (str(tp.topic), tp.partition))

    def reset(self) -> None:
        """Forget every partition (a rebalance: the offsets start over)."""
        self.seen = {}
