"""The incident stage's ``/health`` and ``/ready`` (served with ``/metrics`` by
:func:`wirestream.streaming.faustapp.serve_views`).

- ``/health`` - 200 while the worker runs;
- ``/ready`` - partitions of its topics assigned, tables recovered, not rebalancing: 200, else
  503 (:func:`~wirestream.streaming.readiness.group_readiness`); with the records published and
  the messages skipped.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from wirestream.incidents.agents import IncidentService
from wirestream.streaming.readiness import group_readiness


def health(svc: IncidentService) -> tuple[bool, dict[str, Any]]:
    return True, {"status": "ok"}


def ready(svc: IncidentService, served: Collection[str]) -> tuple[bool, dict[str, Any]]:
    ok, body = group_readiness(svc.app, served)
    return ok, {**body, "published": svc.published, "skipped": svc.skipped}
