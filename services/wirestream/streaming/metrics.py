"""The Prometheus registry every service starts from: its own metrics plus the process's.

:func:`service_registry` returns a fresh registry holding prometheus_client's process collector
(``process_resident_memory_bytes``, ``process_cpu_seconds_total``, ``process_open_fds``, ...),
platform collector (``python_info``) and garbage-collector collector (``python_gc_*``). Each
service's metrics class (a :class:`ServiceMetrics`) adds its ``wirestream_*`` metrics to it; ``/metrics`` renders it in the
Prometheus text format (:data:`wirestream.streaming.web.PROMETHEUS_CONTENT_TYPE`).
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)


def service_registry() -> CollectorRegistry:
    """A new registry with the process, platform and GC collectors registered."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry


class ServiceMetrics:
    """The base of each service's metrics class: its registry (:func:`service_registry` unless
    one is given), constructors that register there, and :meth:`render` for ``/metrics``."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or service_registry()

    def counter(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
        return Counter(name, documentation, list(labels), registry=self.registry)

    def gauge(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Gauge:
        return Gauge(name, documentation, list(labels), registry=self.registry)

    def histogram(self, name: str, documentation: str, buckets: Sequence[float]) -> Histogram:
        return Histogram(name, documentation, buckets=tuple(buckets), registry=self.registry)

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric in the registry."""
        return bytes(generate_latest(self.registry))
