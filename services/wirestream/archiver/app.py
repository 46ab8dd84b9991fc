"""``wirestream worker archiver``: the faust worker that hosts the archiver's consumer.

The faust app provides the worker's lifecycle (signals, graceful stop); ``/health``, ``/ready`` and
``/metrics`` are served on ``WIRESTREAM_ARCHIVER_WEB_BIND``:``WIRESTREAM_ARCHIVER_WEB_PORT``
(:func:`wirestream.streaming.faustapp.serve_views`, nothing else); the consuming and committing is an aiokafka consumer with
manual commits (:mod:`wirestream.archiver.consumer` explains why), started as a faust service. Its
consumer group is ``WIRESTREAM_KAFKA_TOPIC_PREFIX`` + ``WIRESTREAM_ARCHIVER_GROUP_ID``; the faust
app itself has the id ``<group id>-host`` and consumes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

import faust
from mode import Service

from wirestream.archiver.consumer import Archiver
from wirestream.archiver.settings import ArchiverSettings
from wirestream.archiver.store import ArchiveStore, S3Options
from wirestream.logs import configure
from wirestream.streaming.faustapp import build_app, run_worker, serve_views
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import INCIDENTS, RECORD_TOPICS

logger = logging.getLogger(__name__)


def open_store(settings: ArchiverSettings) -> ArchiveStore:
    """The archive named by the settings (local directory or S3 with its endpoint/credentials)."""
    s3 = S3Options(
        endpoint=settings.s3_endpoint,
        access_key=settings.s3_access_key.get_secret_value() if settings.s3_access_key else None,
        secret_key=settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None,
        region=settings.s3_region,
    )
    return ArchiveStore(settings.archive_url, s3)


def build(kafka: KafkaSettings, settings: ArchiverSettings) -> tuple[faust.App, Archiver]:
    """The faust app with the archiver service attached (not started)."""
    group = settings.model_copy(update={"group_id": kafka.topic_prefix + settings.group_id})
    archiver = Archiver(kafka, group, open_store(settings))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(
        f"{settings.group_id}-host",
        kafka,
        data_dir=settings.data_dir / f"{settings.group_id}-host",
    )

    @app.service
    class ArchiverService(Service):
        """Runs :meth:`Archiver.run` for as long as the worker runs."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._task: asyncio.Task[None] | None = None

        async def on_started(self) -> None:
            self._task = asyncio.ensure_future(self._run())

        async def _run(self) -> None:
            try:
                await archiver.run()
            except Exception:
                logger.exception("the archiver stopped on an error; stopping the worker")
                await app.crash(RuntimeError("archiver failed"))
                raise

        async def on_stop(self) -> None:
            archiver.stop()
            if self._task is not None:
                await asyncio.wait_for(self._task, timeout=30)

    def health() -> tuple[bool, dict[str, Any]]:
        return True, {"status": "ok"}

    def ready() -> tuple[bool, dict[str, Any]]:
        ok = archiver.ready()
        return ok, {
            "ready": ok,
            "files_written": archiver.files_written,
            "records_written": archiver.records_written,
        }

    serve_views(
        app,
        health=health,
        ready=ready,
        metrics=archiver.metrics.render,
        bind=settings.web_bind,
        port=settings.web_port,
    )

    return app, archiver


def main(argv: list[str] | None = None) -> int:
    """Build the archiver from its settings (env) and run it until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(prog="wirestream worker archiver")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--web-port", type=int, help="overrides WIRESTREAM_ARCHIVER_WEB_PORT")
    args = parser.parse_args(argv or [])
    configure(args.log_level, json=True)
    kafka = KafkaSettings.from_env()
    settings = ArchiverSettings.from_env()
    if args.web_port is not None:
        settings = settings.model_copy(update={"web_port": args.web_port})
    logger.info(
        "starting the archiver", extra={"settings": str(settings), "kafka": kafka.describe()}
    )
    asyncio.run(ensure_topics(kafka, [*RECORD_TOPICS.values(), INCIDENTS]))
    app, _ = build(kafka, settings)
    return run_worker(app, log_level=args.log_level)
