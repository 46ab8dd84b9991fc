"""``wirestream worker web``: the live view (the page, its stream, and the consumer behind it).

One asyncio process: :class:`~wirestream.web.consumer.LiveConsumer` reads the record topics into
the in-memory :class:`~wirestream.web.store.LiveStore` and the :class:`~wirestream.web.hub.Hub`
pushes what arrives to every connected page; aiohttp serves the page, ``/api/stream`` and
``/health``, ``/ready``, ``/metrics`` (:mod:`.web`) on
``WIRESTREAM_WEB_WEB_BIND``:``WIRESTREAM_WEB_WEB_PORT`` (default 127.0.0.1:6069), through the
shared start-up (:class:`~wirestream.streaming.service.Startup`: ``--web-port``, ``--log-level``)
and :func:`~wirestream.streaming.service.run_until_stopped`. Unlike the archiver and alerter it hosts no faust app: it consumes
without a group membership and commits nothing, so faust's lifecycle would add only its cost.
It stops on SIGTERM or SIGINT. Read-only: it writes to no topic.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from wirestream.streaming.service import Startup, run_until_stopped
from wirestream.streaming.settings import KafkaSettings
from wirestream.web import web
from wirestream.web.consumer import LiveConsumer
from wirestream.web.hub import Hub
from wirestream.web.metrics import WebMetrics
from wirestream.web.routes import LiveRoutes, build_live_app
from wirestream.web.settings import WebSettings
from wirestream.web.store import LiveStore
from wirestream.web.topics import PROVISIONED

logger = logging.getLogger(__name__)

STARTUP = Startup(
    "web",
    WebSettings,
    title="live view",
    topics=lambda settings: PROVISIONED,
    log_extra=lambda settings: {"settings": str(settings)},
)


async def serve(settings: WebSettings, kafka: KafkaSettings) -> int:
    """Run the consumer and the web server until SIGTERM/SIGINT (or the consumer fails)."""
    store = LiveStore(settings.backlog, settings.articles)
    metrics = WebMetrics()
    hub = Hub(on_drop=metrics.dropped.inc)
    consumer = LiveConsumer(kafka, settings, store, hub, metrics)
    routes = LiveRoutes(store, hub, page_limit=settings.page_limit, backlog=settings.backlog)
    token = settings.token.get_secret_value() if settings.token else None
    app = build_live_app(
        routes,
        token=token,
        health=web.health,
        ready=partial(web.ready, consumer, hub, store),
        metrics=partial(web.render_metrics, metrics, hub),
    )
    logger.info("live view at http://%s:%d/", settings.web_bind, settings.web_port)
    return await run_until_stopped(consumer, settings, app, cleanup=hub.close)


def main(argv: list[str] | None = None) -> int:
    """Build the live view from its settings (env) and run it until SIGTERM/SIGINT."""
    settings = STARTUP.begin(argv).settings
    kafka = STARTUP.connect(settings)
    return asyncio.run(serve(settings, kafka))
