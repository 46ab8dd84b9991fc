"""The alerter's ``/health`` and ``/ready`` (served with ``/metrics`` by
:func:`wirestream.streaming.faustapp.serve_views`).

- ``/health`` - 200 while the worker runs;
- ``/ready`` - partitions of its topics assigned, tables recovered, not rebalancing: 200, else
  503 (:func:`~wirestream.streaming.readiness.group_readiness`); with the delivery counts.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from wirestream.alerter.agents import AlerterService
from wirestream.streaming.readiness import group_readiness


def health(svc: AlerterService) -> tuple[bool, dict[str, Any]]:
    return True, {"status": "ok"}


def ready(svc: AlerterService, served: Collection[str]) -> tuple[bool, dict[str, Any]]:
    ok, body = group_readiness(svc.app, served)
    counts = {"delivered": svc.delivered, "dead_lettered": svc.dead_lettered}
    return ok, {**body, **counts, "skipped": svc.skipped}
