"""``/ready`` for a faust worker: the same answer for every Wirestream service.

A worker is ready when its consumer holds partitions of the topics it serves, no rebalance is in
progress and faust's flow control is active again (table recovery done). Until then ``/ready``
answers 503, so an orchestrator (docker compose, Kubernetes) and the tests wait for it instead of
guessing a start-up time.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import faust


def group_readiness(app: faust.App, topics: Collection[str]) -> tuple[bool, dict[str, Any]]:
    """``(ready, body)``: ready when a partition of one of ``topics`` is assigned to this worker,
    ``app`` is not rebalancing and its flow is active; the body lists the assigned partitions of
    ``topics`` (``"topic[partition]"``) and the rebalancing flag."""
    try:
        assignment = app.consumer.assignment()
    except Exception:  # noqa: BLE001 - the consumer is not started yet: simply not ready
        assignment = set()
    assigned = sorted(f"{tp.topic}[{tp.partition}]" for tp in assignment if tp.topic in topics)
    rebalancing = bool(app.rebalancing)
    ready = bool(assigned) and not rebalancing and app.flow_control.is_active()
    return ready, {"ready": ready, "assigned": assigned, "rebalancing": rebalancing}
