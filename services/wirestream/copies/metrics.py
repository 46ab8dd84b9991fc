"""The copies stage's Prometheus metrics (served on ``/metrics``; names unchanged)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from wirestream.streaming.metrics import ServiceMetrics


class CopiesMetrics(ServiceMetrics):
    """The stage's Prometheus metrics."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        super().__init__(registry)
        self.fingerprints = self.counter(
            "wirestream_copies_fingerprints",
            "Fingerprints taken in, by phase (rebuild: before the committed offset; live).",
            ["phase"],
        )
        self.marks = self.counter(
            "wirestream_copies_marks",
            "Copy markings published, by result (copy, original).",
            ["result"],
        )
        self.failures = self.counter(
            "wirestream_copies_failures",
            "Failures that made the stage rebuild its index.",
        )
        self.active = self.gauge(
            "wirestream_copies_active",
            "1 while this instance owns the fingerprint partition.",
        )
