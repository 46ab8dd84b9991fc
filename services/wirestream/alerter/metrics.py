"""Prometheus metrics of the alerter, in their own registry (names ``wirestream_alerter_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from wirestream.streaming.metrics import ServiceMetrics


class AlerterMetrics(ServiceMetrics):
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        super().__init__(registry)
        self.hits = self.counter(
            "wirestream_alerter_hits",
            "Records matching a rule, by rule.",
            ["rule"],
        )
        self.alerts = self.counter(
            "wirestream_alerter_alerts",
            "Alerts fired, by rule and severity.",
            ["rule", "severity"],
        )
        self.deliveries = self.counter(
            "wirestream_alerter_webhook_deliveries",
            "Webhook deliveries, by outcome (delivered, dead_letter).",
            ["outcome"],
        )
        self.skipped = self.counter(
            "wirestream_alerter_skipped",
            "Messages that were not JSON records.",
        )
