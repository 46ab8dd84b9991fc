"""``wirestream worker copies``: the copies stage (syndicated-copy marking across workers).

Reads its settings (``WIRESTREAM_COPIES_*``, :mod:`.settings`) and the Kafka settings, serves
``/health``, ``/ready`` and ``/metrics`` on ``WIRESTREAM_COPIES_WEB_BIND``:``..._WEB_PORT``
(default 127.0.0.1:6070) and runs :class:`~wirestream.copies.loop.CopiesLoop` until SIGTERM or
SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Sequence

from wirestream.copies.loop import CopiesLoop
from wirestream.copies.settings import CopiesSettings
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.web import WebServer, build_web_app

logger = logging.getLogger(__name__)


async def serve(loop: CopiesLoop) -> int:
    """Serve the web views and run the loop until a signal stops it; the exit status."""
    settings = loop.settings
    app = build_web_app(loop.health, loop.readiness, loop.metrics.render)
    web = await WebServer.start(app, settings.web_bind, settings.web_port)
    running = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        running.add_signal_handler(signum, loop.stop)
    try:
        await loop.run()
    except Exception:
        logger.exception("the copies stage failed")
        return 1
    finally:
        await web.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``wirestream worker copies``."""
    from wirestream import logs
    from wirestream.streaming.connection import require_connection
    from wirestream.streaming.provision import ensure_topics

    parser = argparse.ArgumentParser(
        prog="wirestream worker copies",
        description="Run the copies stage (settings: WIRESTREAM_COPIES_* variables).",
    )
    parser.add_argument(
        "--web-port", type=int, help="overrides WIRESTREAM_COPIES_WEB_PORT (default 6070)"
    )
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.web_port is not None:
        overrides["web_port"] = args.web_port
    settings = CopiesSettings.from_env(**overrides)
    kafka = KafkaSettings.from_env()
    logs.configure(settings.log_level, json=True)
    logger.info("starting the copies stage", extra={"kafka": kafka.describe()})
    require_connection(kafka)
    if settings.provision_topics:
        asyncio.run(ensure_topics(kafka))
    return asyncio.run(serve(CopiesLoop(settings, kafka)))
