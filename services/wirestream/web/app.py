"""``wirestream worker web``: the live view (the page, its stream, and the consumer behind it).

One asyncio process: :class:`~wirestream.web.consumer.LiveConsumer` reads the record topics into
the in-memory :class:`~wirestream.web.store.LiveStore` and the :class:`~wirestream.web.hub.Hub`
pushes what arrives to every connected page; aiohttp serves the page, ``/api/stream`` and
``/health``, ``/ready``, ``/metrics`` on ``WIRESTREAM_WEB_WEB_BIND``:``WIRESTREAM_WEB_WEB_PORT``
(default 127.0.0.1:6069). Unlike the archiver and alerter it hosts no faust app: it consumes
without a group membership and commits nothing, so faust's lifecycle would add only its cost.
It stops on SIGTERM or SIGINT. Read-only: it writes to no topic.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from typing import Any

from wirestream.logs import configure
from wirestream.streaming.connection import check_connection
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.web import WebServer
from wirestream.web.consumer import LiveConsumer
from wirestream.web.hub import Hub
from wirestream.web.metrics import WebMetrics
from wirestream.web.routes import LiveRoutes, build_live_app
from wirestream.web.settings import WebSettings
from wirestream.web.store import LiveStore

logger = logging.getLogger(__name__)


async def serve(kafka: KafkaSettings, settings: WebSettings) -> None:
    """Run the consumer and the web server until SIGTERM/SIGINT (or the consumer fails)."""
    store = LiveStore(settings.backlog, settings.articles)
    metrics = WebMetrics()
    hub = Hub(on_drop=metrics.dropped.inc)
    consumer = LiveConsumer(kafka, settings, store, hub, metrics)

    def health() -> tuple[bool, dict[str, Any]]:
        return True, {"status": "ok"}

    def ready() -> tuple[bool, dict[str, Any]]:
        ok = consumer.ready()
        return ok, {"ready": ok, "pages": len(hub.pages), "articles": len(store.articles)}

    def render_metrics() -> bytes:
        metrics.pages.set(len(hub.pages))
        return metrics.render()

    routes = LiveRoutes(store, hub, page_limit=settings.page_limit, backlog=settings.backlog)
    token = settings.token.get_secret_value() if settings.token else None
    app = build_live_app(routes, token=token, health=health, ready=ready, metrics=render_metrics)
    await check_connection(kafka)
    server = await WebServer.start(app, settings.web_bind, settings.web_port)
    logger.info("live view at http://%s:%d/", settings.web_bind, settings.web_port)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, consumer.stop)
    try:
        await consumer.run()
    finally:
        hub.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.stop(), 10)


def main(argv: list[str] | None = None) -> int:
    """Build the live view from its settings (env) and run it until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(prog="wirestream worker web")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--web-port", type=int, help="overrides WIRESTREAM_WEB_WEB_PORT")
    args = parser.parse_args(argv or [])
    configure(args.log_level, json=True)
    kafka = KafkaSettings.from_env()
    settings = WebSettings.from_env()
    if args.web_port is not None:
        settings = settings.model_copy(update={"web_port": args.web_port})
    logger.info(
        "starting the live view", extra={"settings": str(settings), "kafka": kafka.describe()}
    )
    asyncio.run(serve(kafka, settings))
    return 0
