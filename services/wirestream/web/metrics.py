"""Prometheus metrics of the live view, in their own registry (names ``wirestream_web_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from wirestream.streaming.metrics import ServiceMetrics


class WebMetrics(ServiceMetrics):
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        super().__init__(registry)
        self.records = self.counter(
            "wirestream_web_records",
            "Records read from the record topics, by kind.",
            ["kind"],
        )
        self.skipped = self.counter(
            "wirestream_web_skipped",
            "Messages that were not JSON objects (not shown).",
        )
        self.pages = self.gauge(
            "wirestream_web_pages",
            "Pages connected to the stream now.",
        )
        self.dropped = self.counter(
            "wirestream_web_dropped_pages",
            "Streams closed because the page read too slowly (it reconnects and starts over).",
        )
