"""The Prometheus registry every service starts from: its own metrics plus the process's.

:func:`service_registry` returns a fresh registry holding prometheus_client's process collector
(``process_resident_memory_bytes``, ``process_cpu_seconds_total``, ``process_open_fds``, ...),
platform collector (``python_info``) and garbage-collector collector (``python_gc_*``). Each
service's metrics class adds its ``wirestream_*`` metrics to it; ``/metrics`` renders it in the
Prometheus text format (:data:`wirestream.streaming.web.PROMETHEUS_CONTENT_TYPE`).
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
)


def service_registry() -> CollectorRegistry:
    """A new registry with the process, platform and GC collectors registered."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry
