"""Prometheus metrics of the live view, in their own registry (names ``wirestream_web_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from wirestream.streaming.metrics import service_registry


class WebMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or service_registry()
        self.records = Counter(
            "wirestream_web_records",
            "Records read from the record topics, by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.skipped = Counter(
            "wirestream_web_skipped",
            "Messages that were not JSON objects (not shown).",
            registry=self.registry,
        )
        self.pages = Gauge(
            "wirestream_web_pages",
            "Pages connected to the stream now.",
            registry=self.registry,
        )
        self.dropped = Counter(
            "wirestream_web_dropped_pages",
            "Streams closed because the page read too slowly (it reconnects and starts over).",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
