"""``/metrics``: the Prometheus text format's content type, process and Python collectors, and an
exposition ``promtool check metrics`` accepts, for every service's registry.

promtool comes with the Debian package ``prometheus`` (``make system-deps`` installs it); the test
fails, never skips, where it is missing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from wirestream.alerter.metrics import AlerterMetrics
from wirestream.archiver.metrics import ArchiverMetrics
from wirestream.extractor.metrics import ExtractorMetrics
from wirestream.incidents.metrics import IncidentMetrics
from wirestream.streaming.web import PROMETHEUS_CONTENT_TYPE, build_web_app
from wirestream.web.metrics import WebMetrics


def _extractor() -> bytes:
    metrics = ExtractorMetrics()
    metrics.articles.labels("extracted").inc()
    return metrics.render()


def _archiver() -> bytes:
    metrics = ArchiverMetrics()
    metrics.records.labels("entity").inc(3)
    metrics.files.inc()
    return metrics.render()


def _alerter() -> bytes:
    metrics = AlerterMetrics()
    metrics.hits.labels("rule-a").inc()
    return metrics.render()


def _web() -> bytes:
    metrics = WebMetrics()
    metrics.records.labels("event").inc(2)
    metrics.pages.set(1)
    return metrics.render()


def _incidents() -> bytes:
    metrics = IncidentMetrics()
    metrics.members.labels("add").inc(3)
    metrics.records.labels("active").inc()
    return metrics.render()


RENDERERS: dict[str, Callable[[], bytes]] = {
    "extractor": _extractor,
    "archiver": _archiver,
    "alerter": _alerter,
    "web": _web,
    "incidents": _incidents,
}


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.fail(
            "promtool is not installed: run `make system-deps` as root (Debian/Ubuntu package "
            "`prometheus`), or install Prometheus' promtool and put it on PATH",
            pytrace=False,
        )
    return found


@pytest.mark.parametrize("service", sorted(RENDERERS))
def test_promtool_accepts_the_exposition(service: str) -> None:
    text = RENDERERS[service]()
    done = subprocess.run(
        [promtool(), "check", "metrics"], input=text, capture_output=True, timeout=60
    )
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), (
        done.stdout.decode() + done.stderr.decode()
    )


@pytest.mark.parametrize("service", sorted(RENDERERS))
def test_process_and_python_collectors_are_registered(service: str) -> None:
    text = RENDERERS[service]().decode()
    for name in (
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_open_fds",
        "python_info",
        "python_gc_collections_total",
        f"wirestream_{service}_",
    ):
        assert name in text, name


async def test_metrics_view_content_type_and_only_three_views() -> None:
    app = build_web_app(lambda: (True, {}), lambda: (False, {"why": "x"}), _alerter)
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/metrics")
        assert resp.status == 200
        assert resp.headers["Content-Type"] == PROMETHEUS_CONTENT_TYPE
        assert PROMETHEUS_CONTENT_TYPE == "text/plain; version=0.0.4; charset=utf-8"
        assert (await client.get("/health")).status == 200
        assert (await client.get("/ready")).status == 503
        for path in ("/", "/router/", "/table/windows/", "/stats/", "/metrics/x"):
            assert (await client.get(path)).status == 404, path
