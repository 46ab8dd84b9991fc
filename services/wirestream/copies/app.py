"""``wirestream worker copies``: the copies stage (syndicated-copy marking across workers).

Reads its settings (``WIRESTREAM_COPIES_*``, :mod:`.settings`) and the Kafka settings through the
shared start-up (:class:`~wirestream.streaming.service.Startup`: flags ``--web-port``,
``--log-level``), serves ``/health`` and ``/ready`` (:mod:`.web`) and ``/metrics`` on
``WIRESTREAM_COPIES_WEB_BIND``:``..._WEB_PORT`` (default 127.0.0.1:6070) and runs
:class:`~wirestream.copies.loop.CopiesLoop` until SIGTERM or SIGINT.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from wirestream.copies import web
from wirestream.copies.loop import CopiesLoop
from wirestream.copies.settings import CopiesSettings
from wirestream.copies.topics import PROVISIONED
from wirestream.streaming.service import Startup, run_until_stopped
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.web import build_web_app

STARTUP = Startup(
    "copies",
    CopiesSettings,
    topics=lambda settings: PROVISIONED,
    title="copies stage",
    description="Run the copies stage (settings: WIRESTREAM_COPIES_* variables).",
)


def create_service(settings: CopiesSettings, kafka: KafkaSettings) -> CopiesLoop:
    """The stage's loop (nothing connects yet)."""
    return CopiesLoop(settings, kafka)


async def serve(loop: CopiesLoop) -> int:
    """Serve the web views and run the loop until a signal stops it; the exit status."""
    views = build_web_app(
        partial(web.health, loop), partial(web.readiness, loop), loop.metrics.render
    )
    return await run_until_stopped(loop, loop.settings, views)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``wirestream worker copies``."""
    import asyncio

    settings = STARTUP.begin(argv).settings
    kafka = STARTUP.connect(settings)
    return asyncio.run(serve(create_service(settings, kafka)))
