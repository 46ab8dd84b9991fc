"""Build a faust App with the settings every Wirestream service shares.

>>> app = build_app("wirestream-alerter", KafkaSettings.from_env())

What every service gets, whatever it does:

- the broker list from :class:`~wirestream.streaming.settings.KafkaSettings`
  (``WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS``), ``kafka://`` for each ``host:port``, and its TLS and
  SASL settings (:meth:`KafkaSettings.faust_options`: ``broker_credentials``, ``ssl_context``);
- faust's own web server off (it would serve ``/table/...`` - a table's contents - and
  ``/router/``): :func:`serve_views` runs Wirestream's ``/health``, ``/ready`` and ``/metrics``
  (:mod:`wirestream.streaming.web`) as a service of the app, on the service's bind address;
- the memory table store (RocksDB is not installed); tables are recovered from their changelog
  topics on start;
- an idempotent producer (``enable_idempotence=True``, ``acks=all``): a retried send never
  duplicates a message within a producer session (:mod:`wirestream.streaming.fausthooks`, the
  one module that overrides faust's private hooks);
- producer batching: :data:`PRODUCER_LINGER` and :data:`PRODUCER_BATCH_BYTES`;
- producer and consumer sizes raised to :data:`~wirestream.streaming.topics.MAX_MESSAGE_BYTES`
  plus headroom, so a message the topics accept can be sent and fetched;
- a consumer that reads with ``isolation_level=read_committed``: records of aborted transactions
  (an extractor killed mid-batch) are never seen (:mod:`~wirestream.streaming.fausthooks`);
- ``autodiscover`` off and no faust-managed logging (entry points call
  :func:`wirestream.logs.configure`).

:func:`host` runs a coroutine (a consumer of its own) for the worker's lifetime; :class:`TopicSink` sends bytes to a topic through the app's producer; :func:`run_worker` runs a
built app until SIGTERM/SIGINT, with faust's own worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import faust
from mode import Service

from wirestream.streaming import taskdump
from wirestream.streaming.fausthooks import WirestreamApp
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import MAX_REQUEST_BYTES as MAX_REQUEST_BYTES
from wirestream.streaming.web import Check, WebServer, build_web_app

if TYPE_CHECKING:
    from wirestream.streaming.service import ServiceSettings

logger = logging.getLogger(__name__)

PRODUCER_LINGER = 0.01
"""Seconds the producer waits to fill a batch before sending (aiokafka ``linger_ms`` 10)."""
PRODUCER_BATCH_BYTES = 256 * 1024
"""Largest batch per partition the producer builds (aiokafka ``max_batch_size``; default 16 KiB)."""


def broker_urls(kafka: KafkaSettings) -> list[str]:
    """``"a:9092,b:9092"`` → ``["kafka://a:9092", "kafka://b:9092"]``."""
    return [f"kafka://{server.strip()}" for server in kafka.bootstrap_servers.split(",") if server]


def build_app(
    app_id: str,
    kafka: KafkaSettings,
    *,
    data_dir: Path | None = None,
    topic_partitions: int = 4,
    **overrides: Any,
) -> faust.App:
    """A faust App for one Wirestream service.

    ``app_id`` is the consumer group and the prefix of table changelog topics; it is prefixed with
    ``kafka.topic_prefix`` so two deployments on one broker do not share groups. ``data_dir`` is
    faust's ``datadir`` (default ``var/<app_id>``). ``overrides`` are passed to :class:`faust.App`
    last. The app serves no web views of its own: add them with :func:`serve_views`.
    """
    settings: dict[str, Any] = {
        "broker": broker_urls(kafka),
        "store": "memory://",
        "autodiscover": False,
        "datadir": str(data_dir or Path("var") / app_id),
        "web_enabled": False,
        "topic_partitions": topic_partitions,
        "topic_replication_factor": kafka.replication_factor,
        "topic_allow_declare": True,
        "producer_max_request_size": MAX_REQUEST_BYTES,
        "producer_acks": -1,
        # Batch a burst of records (an article's dozen, a batch's hundred) into few requests: a
        # 10 ms linger costs the latency target nothing and cuts the broker's work per record.
        "producer_linger": PRODUCER_LINGER,
        "producer_max_batch_size": PRODUCER_BATCH_BYTES,
        "consumer_max_fetch_size": MAX_REQUEST_BYTES,
        "consumer_auto_offset_reset": "earliest",
        "broker_commit_every": 100,
        "broker_commit_interval": 1.0,
        "value_serializer": "raw",
        "key_serializer": "raw",
        "logging_config": None,
        **kafka.faust_options(),
    }
    settings.update(overrides)
    return WirestreamApp(kafka.topic_prefix + app_id, **settings)


def serve_views(
    app: faust.App,
    settings: ServiceSettings,
    *,
    health: Check,
    ready: Check,
    metrics: Callable[[], bytes],
) -> None:
    """Serve ``/health``, ``/ready`` and ``/metrics`` on the service's ``web_bind:web_port``
    while ``app``'s worker runs.

    The views are :func:`wirestream.streaming.web.build_web_app`'s, the extractor's too; the
    server starts with the app's services and stops with them."""
    views = build_web_app(health, ready, metrics)
    bind, port = settings.web_bind, settings.web_port

    @app.service
    class WebViews(Service):
        """The aiohttp server of the service's own views."""

        server: WebServer | None = None

        async def on_start(self) -> None:
            self.server = await WebServer.start(views, bind, port)
            logger.info("serving /health, /ready and /metrics on %s:%d", bind, port)
            taskdump.install(partial(_loops, app), partial(_consumer_state, app))

        async def on_stop(self) -> None:
            if self.server is not None:
                await self.server.stop()
                self.server = None


def _loops(app: faust.App) -> list[tuple[str, asyncio.AbstractEventLoop]]:
    """The worker's event loops: the main one and the consumer thread's."""
    loops = [("main", asyncio.get_running_loop())]
    thread = getattr(app.consumer, "_thread", None)
    if thread is not None and getattr(thread, "thread_loop", None) is not None:
        loops.append(("consumer thread", thread.thread_loop))
    return loops


def _consumer_state(app: faust.App) -> list[str]:
    """The consumer's partitions as faust and aiokafka see them (for the task dump)."""
    consumer: Any = app.consumer
    lines = [
        f"faust flow active: {consumer.flow_active}, in recovery: {app.in_recovery}",
        f"faust assigned: {_tps(consumer.assignment())}",
        f"faust active: {_tps(consumer._active_partitions or ())}",
        f"faust paused: {_tps(consumer._paused_partitions)}",
        f"faust buffered (full streams): {_tps(consumer._buffered_partitions)}",
        f"faust acked up to: {_offsets(getattr(consumer, '_committed_offset', {}))}",
        f"last handed to a stream: {_offsets(getattr(consumer, '_last_handed', {}))}",
        "being processed: " + _tps({m.tp for m in list(consumer._unacked_messages) if not m.acked}),
        f"tracked, acked: {_tps({m.tp for m in list(consumer._unacked_messages) if m.acked})}",
    ]
    thread = getattr(consumer, "_thread", None)
    kafka = getattr(thread, "_consumer", None)
    if kafka is not None:
        lines.append(f"aiokafka paused: {_tps(kafka.paused())}")
        state = kafka._subscription.subscription
        assignment = state.assignment if state is not None else None
        if assignment is not None:
            positions = {tp: assignment.state_value(tp).position for tp in assignment.tps}
            lines.append(f"aiokafka positions: {_offsets(positions)}")
    return lines


def _tps(tps: Any) -> str:
    return ", ".join(sorted(f"{tp.topic.rsplit('.', 1)[-1]}[{tp.partition}]" for tp in tps))


def _offsets(offsets: Any) -> str:
    return ", ".join(
        sorted(f"{tp.topic.rsplit('.', 1)[-1]}[{tp.partition}]={o}" for tp, o in offsets.items())
    )


def host(
    app: faust.App,
    name: str,
    *,
    run: Callable[[], Awaitable[None]],
    stop: Callable[[], None],
    stop_timeout: float = 30.0,
) -> None:
    """Run ``run()`` for as long as ``app``'s worker runs (a consumer the worker hosts, e.g. the
    archiver's): started with the app's services; on stop, ``stop()`` and wait for ``run`` to
    end (at most ``stop_timeout`` seconds). If ``run`` fails, the worker is stopped (crashed)."""

    @app.service
    class Hosted(Service):
        """Runs ``run()`` for as long as the worker runs."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._task: asyncio.Task[None] | None = None

        async def on_started(self) -> None:
            self._task = asyncio.ensure_future(self._run())

        async def _run(self) -> None:
            try:
                await run()
            except Exception:
                logger.exception("the %s stopped on an error; stopping the worker", name)
                await app.crash(RuntimeError(f"{name} failed"))
                raise

        async def on_stop(self) -> None:
            stop()
            if self._task is not None:
                await asyncio.wait_for(self._task, timeout=stop_timeout)


@dataclass(frozen=True)
class TopicSink:
    """Sends raw key/value bytes to topic ``name`` through ``app``'s (idempotent) producer.

    faust's ``Topic.send`` wraps every message in a future, a callback and sensor bookkeeping: on
    the extractor's output (a dozen records per article) that cost about 0.17 ms of CPU per
    record, against 0.05 ms here. Delivery is the same producer's, with the same guarantees.
    ``send`` returns once the message is queued; await the returned future for the broker's
    acknowledgement.
    """

    app: faust.App
    name: str

    async def send(self, *, key: bytes | None, value: bytes) -> Awaitable[Any]:
        producer = await self.app.maybe_start_producer()
        queued: Awaitable[Any] = await producer.send(self.name, key, value, None, None, None)
        return queued


def run_worker(app: faust.App, *, log_level: str = "INFO") -> int:
    """Run ``app`` in faust's worker until it is stopped (SIGTERM or SIGINT stop it gracefully).

    Logging must already be configured by the caller; faust's worker does not override it.
    """
    worker = faust.Worker(
        app,
        loglevel=log_level,
        override_logging=False,
        redirect_stdouts=False,
        quiet=True,
    )
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else 0
