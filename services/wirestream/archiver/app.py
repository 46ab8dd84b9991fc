"""``wirestream worker archiver``: the faust worker that hosts the archiver's consumer.

The faust app provides the worker's lifecycle (signals, graceful stop); ``/health``, ``/ready``
(:mod:`.web`) and ``/metrics`` are served on
``WIRESTREAM_ARCHIVER_WEB_BIND``:``WIRESTREAM_ARCHIVER_WEB_PORT`` (default 127.0.0.1:6067;
:func:`wirestream.streaming.faustapp.serve_views`, nothing else); the consuming and committing is
an aiokafka consumer with manual commits (:mod:`wirestream.archiver.consumer` explains why), run
for the worker's lifetime by :func:`wirestream.streaming.faustapp.host`. Its consumer group is
``WIRESTREAM_KAFKA_TOPIC_PREFIX`` + ``WIRESTREAM_ARCHIVER_GROUP_ID``; the faust app itself has
the id ``<group id>-host`` and consumes nothing. :func:`main` goes through the shared start-up
(:class:`~wirestream.streaming.service.Startup`: ``--web-port``, ``--log-level``).
"""

from __future__ import annotations

from functools import partial

import faust

from wirestream.archiver import web
from wirestream.archiver.consumer import Archiver
from wirestream.archiver.settings import ArchiverSettings
from wirestream.archiver.store import ArchiveStore, S3Options
from wirestream.archiver.topics import PROVISIONED
from wirestream.streaming.faustapp import build_app, host, run_worker, serve_views
from wirestream.streaming.service import Startup
from wirestream.streaming.settings import KafkaSettings

STARTUP = Startup(
    "archiver",
    ArchiverSettings,
    topics=lambda settings: PROVISIONED,
    log_extra=lambda settings: {"settings": str(settings)},
)


def open_store(settings: ArchiverSettings) -> ArchiveStore:
    """The archive named by the settings (local directory or S3 with its endpoint/credentials)."""
    s3 = S3Options(
        endpoint=settings.s3_endpoint,
        access_key=settings.s3_access_key.get_secret_value() if settings.s3_access_key else None,
        secret_key=settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None,
        region=settings.s3_region,
    )
    return ArchiveStore(settings.archive_url, s3)


def create_service(settings: ArchiverSettings, kafka: KafkaSettings) -> tuple[faust.App, Archiver]:
    """The faust app with the archiver attached (not started)."""
    group = settings.model_copy(update={"group_id": kafka.topic_prefix + settings.group_id})
    archiver = Archiver(kafka, group, open_store(settings))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(
        f"{settings.group_id}-host",
        kafka,
        data_dir=settings.data_dir / f"{settings.group_id}-host",
    )
    host(app, "archiver", run=archiver.run, stop=archiver.stop)
    serve_views(
        app,
        settings,
        health=partial(web.health, archiver),
        ready=partial(web.ready, archiver),
        metrics=archiver.metrics.render,
    )
    return app, archiver


def main(argv: list[str] | None = None) -> int:
    """Build the archiver from its settings (env) and run it until SIGTERM/SIGINT."""
    settings = STARTUP.begin(argv).settings
    kafka = STARTUP.connect(settings)
    app, _ = create_service(settings, kafka)
    return run_worker(app, log_level=settings.log_level)
