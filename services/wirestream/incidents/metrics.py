"""Prometheus metrics of the incident stage, in their own registry (``wirestream_incidents_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from wirestream.streaming.metrics import ServiceMetrics


class IncidentMetrics(ServiceMetrics):
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        super().__init__(registry)
        self.members = self.counter(
            "wirestream_incidents_members",
            "Members routed to the members topic, by op (add, retract).",
            ["op"],
        )
        self.records = self.counter(
            "wirestream_incidents_records",
            "Incident records published, by status (active, merged, dissolved).",
            ["status"],
        )
        self.skipped = self.counter(
            "wirestream_incidents_skipped",
            "Messages that were not JSON records.",
        )
