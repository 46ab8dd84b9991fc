"""The extractor service: its parts built from settings, the web views, ``main()``.

- :func:`create_service` builds the processing loop (:mod:`.loop`: exactly-once consume, extract,
  produce with Kafka transactions), the near-duplicate index, the metrics and the progress
  bookkeeping (:mod:`.progress`) - nothing starts yet;
- :func:`serve` runs the web views and the loop until SIGTERM/SIGINT, within the shutdown bound;
- :func:`main` is ``wirestream worker extractor`` (flags ``--web-port``, ``--log-level``; the
  shared start-up :class:`~wirestream.streaming.service.Startup`).

Web views on ``WIRESTREAM_EXTRACTOR_WEB_PORT`` (default 6066), bound to
``WIRESTREAM_EXTRACTOR_WEB_BIND``: ``/health`` and ``/ready`` (:mod:`.web`) and ``/metrics``
(Prometheus).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from wirestream.core.extraction import Extractor
from wirestream.extractor import web
from wirestream.extractor.dedup import DuplicateIndex
from wirestream.extractor.faults import FaultInjector
from wirestream.extractor.loop import ExtractorLoop
from wirestream.extractor.metrics import ExtractorMetrics
from wirestream.extractor.processing import BatchProcessor
from wirestream.extractor.progress import LoopState, Progress
from wirestream.extractor.settings import ExtractorSettings
from wirestream.extractor.stories import StoryBook
from wirestream.extractor.topics import PROVISIONED
from wirestream.streaming.service import Startup, run_until_stopped
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.web import build_web_app

logger = logging.getLogger(__name__)

EXIT_GRACE = 5.0
"""Seconds past ``shutdown_timeout`` after which a worker that has not stopped exits anyway."""


@dataclass
class ExtractorService:
    """The built service: what the web views and tests reach."""

    settings: ExtractorSettings
    kafka: KafkaSettings
    loop: ExtractorLoop
    metrics: ExtractorMetrics
    progress: Progress

    @property
    def processor(self) -> BatchProcessor:
        return self.loop.processor


def create_service(
    settings: ExtractorSettings, kafka: KafkaSettings, extractor: Extractor
) -> ExtractorService:
    """Build the loop and its parts from the settings (nothing connects yet)."""
    metrics = ExtractorMetrics()
    progress = Progress(stall_timeout=settings.stall_timeout)
    dedup = DuplicateIndex(
        {},
        threshold=settings.dedup_threshold,
        window=settings.dedup_window,
        per_band=settings.dedup_per_band,
    )
    processor = BatchProcessor(
        extractor,
        dedup=dedup,
        stories=StoryBook(),
        metrics=metrics,
        faults=FaultInjector(settings.fault_marker),
    )
    loop = ExtractorLoop(settings, kafka, processor, metrics, progress)
    return ExtractorService(settings, kafka, loop, metrics, progress)


async def serve(service: ExtractorService) -> int:
    """Serve the web views and run the loop until a signal stops it; the exit status."""
    settings = service.settings
    running = asyncio.get_running_loop()

    def on_signal(signum: int) -> None:
        if service.loop.stopping.is_set():
            logger.warning("second signal: exiting now")
            os._exit(1)
        logger.info("stopping (signal %d)", signum)
        service.loop.stop()
        running.call_later(settings.shutdown_timeout + EXIT_GRACE, _give_up, settings)

    def on_failure(exc: BaseException) -> None:
        service.progress.set_state(LoopState.FAILED, time.monotonic(), exc)

    views = build_web_app(
        partial(web.health, service.loop),
        partial(web.readiness, service.loop),
        service.metrics.render,
    )
    return await run_until_stopped(
        service.loop,
        settings,
        views,
        on_signal=on_signal,
        on_failure=on_failure,
    )


def _give_up(settings: ExtractorSettings) -> None:
    logger.error(
        "shutdown took longer than %.0fs; exiting without finishing (uncommitted messages are "
        "processed again by the partitions' next owners)",
        settings.shutdown_timeout + EXIT_GRACE,
    )
    logging.shutdown()
    os._exit(1)


STARTUP = Startup(
    "extractor",
    ExtractorSettings,
    topics=lambda settings: PROVISIONED,
    description="Run the extractor worker (settings: WIRESTREAM_EXTRACTOR_* variables).",
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``wirestream worker extractor``: settings, logging, topics, model, loop."""
    settings = STARTUP.begin(argv).settings
    kafka = STARTUP.connect(settings)
    extractor = Extractor.load(settings.model, batch_size=settings.batch_size)
    started = time.perf_counter()
    extractor.warm_up()
    logger.info("extractor warmed up", extra={"seconds": round(time.perf_counter() - started, 3)})

    async def run() -> int:
        return await serve(create_service(settings, kafka, extractor))

    return asyncio.run(run())
