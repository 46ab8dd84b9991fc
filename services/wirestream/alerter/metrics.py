"""Prometheus metrics of the alerter, in their own registry (names ``wirestream_alerter_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, generate_latest

from wirestream.streaming.metrics import service_registry


class AlerterMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or service_registry()
        self.hits = Counter(
            "wirestream_alerter_hits",
            "Records matching a rule, by rule.",
            ["rule"],
            registry=self.registry,
        )
        self.alerts = Counter(
            "wirestream_alerter_alerts",
            "Alerts fired, by rule and severity.",
            ["rule", "severity"],
            registry=self.registry,
        )
        self.deliveries = Counter(
            "wirestream_alerter_webhook_deliveries",
            "Webhook deliveries, by outcome (delivered, dead_letter).",
            ["outcome"],
            registry=self.registry,
        )
        self.skipped = Counter(
            "wirestream_alerter_skipped",
            "Messages that were not JSON records.",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
