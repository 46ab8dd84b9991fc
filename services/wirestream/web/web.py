"""The live view's ``/health``, ``/ready`` and ``/metrics`` (served with its page and API by
:func:`wirestream.web.routes.build_live_app`; open even when a token guards the rest).

- ``/health`` - 200 while the process runs;
- ``/ready`` - 200 once the consumer has read the last ``WIRESTREAM_WEB_BACKLOG`` records of each
  topic; with the pages connected and the articles held;
- ``/metrics`` - Prometheus, the ``wirestream_web_pages`` gauge set first.
"""

from __future__ import annotations

from typing import Any

from wirestream.web.consumer import LiveConsumer
from wirestream.web.hub import Hub
from wirestream.web.metrics import WebMetrics
from wirestream.web.store import LiveStore


def health() -> tuple[bool, dict[str, Any]]:
    return True, {"status": "ok"}


def ready(consumer: LiveConsumer, hub: Hub, store: LiveStore) -> tuple[bool, dict[str, Any]]:
    ok = consumer.ready()
    return ok, {"ready": ok, "pages": len(hub.pages), "articles": len(store.articles)}


def render_metrics(metrics: WebMetrics, hub: Hub) -> bytes:
    metrics.pages.set(len(hub.pages))
    return metrics.render()
