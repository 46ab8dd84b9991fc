"""The copies stage's Prometheus metrics (served on ``/metrics``; names unchanged)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, generate_latest

from wirestream.streaming.metrics import service_registry


class CopiesMetrics:
    """The stage's Prometheus metrics."""

    def __init__(self) -> None:
        self.registry = service_registry()
        self.fingerprints = Counter(
            "wirestream_copies_fingerprints",
            "Fingerprints taken in, by phase (rebuild: before the committed offset; live).",
            ["phase"],
            registry=self.registry,
        )
        self.marks = Counter(
            "wirestream_copies_marks",
            "Copy markings published, by result (copy, original).",
            ["result"],
            registry=self.registry,
        )
        self.failures = Counter(
            "wirestream_copies_failures",
            "Failures that made the stage rebuild its index.",
            registry=self.registry,
        )
        self.active = Gauge(
            "wirestream_copies_active",
            "1 while this instance owns the fingerprint partition.",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
