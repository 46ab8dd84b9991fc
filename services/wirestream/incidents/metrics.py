"""Prometheus metrics of the incident stage, in their own registry (``wirestream_incidents_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, generate_latest

from wirestream.streaming.metrics import service_registry


class IncidentMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or service_registry()
        self.members = Counter(
            "wirestream_incidents_members",
            "Members routed to the members topic, by op (add, retract).",
            ["op"],
            registry=self.registry,
        )
        self.records = Counter(
            "wirestream_incidents_records",
            "Incident records published, by status (active, merged, dissolved).",
            ["status"],
            registry=self.registry,
        )
        self.skipped = Counter(
            "wirestream_incidents_skipped",
            "Messages that were not JSON records.",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
