"""The extractor's ``/health`` and ``/ready`` (served with ``/metrics`` by
:func:`wirestream.streaming.service.run_until_stopped`).

- ``/health`` - 200 while the loop runs and no partition with lag has gone
  ``WIRESTREAM_EXTRACTOR_STALL_TIMEOUT`` seconds (default 60) without progress, else 503 with the
  reasons;
- ``/ready`` - partitions held, no rebalance, loop running; per partition its committed offset,
  lag and seconds since progress.

Each view first refreshes the partitions' high waters and the lag, stall and health gauges.
"""

from __future__ import annotations

from typing import Any

from aiokafka.errors import KafkaError

from wirestream.extractor.loop import ExtractorLoop


def refresh(loop: ExtractorLoop) -> None:
    """Update high waters and the lag/stall gauges (called by the web views)."""
    now = loop.clock()
    progress, metrics = loop.progress, loop.metrics
    if loop.consumer is not None:
        for partition in list(progress.partitions):
            try:
                high = loop.consumer.highwater(loop.tp(partition))
            except (KafkaError, AssertionError, KeyError):
                continue
            progress.high_water(partition, high, now)
    for state in progress.partitions.values():
        labels = (loop.raw_topic, str(state.partition))
        lag = state.lag()
        if lag is not None:
            metrics.lag.labels(*labels).set(lag)
        metrics.stalled.labels(*labels).set(state.stalled_for(now))
    healthy, _ = progress.health(now)
    metrics.healthy.set(1 if healthy else 0)


def health(loop: ExtractorLoop) -> tuple[bool, dict[str, Any]]:
    refresh(loop)
    return loop.progress.health(loop.clock())


def readiness(loop: ExtractorLoop) -> tuple[bool, dict[str, Any]]:
    refresh(loop)
    return loop.progress.readiness(loop.clock())
