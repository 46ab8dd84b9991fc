"""The extractor's faust app: one agent over the raw topic, a dedup table, web views, ``main()``.

The agent (concurrency 1, faust issue #606) takes up to ``batch_size`` messages within
``batch_window`` seconds with ``stream.noack_take`` - faust's ``take`` acks the buffered events in
a ``finally``, so a batch interrupted by shutdown or by an exception would be acked and lost. Here
each batch is decoded, extracted, its records sent and *confirmed by the broker*, and only then are
the source messages acked; faust commits acked offsets only.

Where extraction runs: a batch of at most ``inline_max_chars`` characters of article text
(``WIRESTREAM_EXTRACTOR_INLINE_MAX_CHARS``, default 40,000: about 2.5 s of spaCy on one core) is
extracted on the event loop itself; a larger one in a single extraction thread, so that the
consumer keeps heartbeating and the web views keep answering through a long article. Handing every
batch to a thread cost about 7 % more CPU per article (the event loop and the thread contend for
the GIL), which showed most when two workers share two cores (1.60 x one worker against 1.76).

A batch in flight at SIGTERM is not acked and is processed again by whoever owns the partition
next - with byte-identical records.

Delivery is pipelined one batch deep: while batch N's records wait for the broker's
acknowledgement (and N's source messages for their ack), batch N+1 is already being extracted;
N+1's records are queued only after N is confirmed, so records keep their order. Without this the
extraction thread sat idle for about a tenth of every batch.

Web views on ``WIRESTREAM_EXTRACTOR_WEB_PORT`` (default 6066): ``/health`` (the process is up),
``/ready`` (partitions assigned, not rebalancing: 200, else 503) and ``/metrics`` (Prometheus).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import faust
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError

from wirestream.core.extraction import Extractor
from wirestream.extractor.dedup import DuplicateIndex
from wirestream.extractor.metrics import ExtractorMetrics
from wirestream.extractor.processing import BatchProcessor, Incoming, Outgoing
from wirestream.extractor.settings import ExtractorSettings
from wirestream.streaming.deadletters import position_of_message
from wirestream.streaming.faustapp import TopicSink, build_app, run_worker
from wirestream.streaming.readiness import group_readiness
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    ENTITIES,
    EVENTS,
    QUOTES,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
    TopicSpec,
)

logger = logging.getLogger(__name__)

OUTPUT_TOPICS: tuple[TopicSpec, ...] = (ARTICLES, ENTITIES, QUOTES, EVENTS, RAW_DEAD_LETTERS)
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0)
"""Seconds between attempts to re-send a batch's records after a transient broker error (the
last delay repeats: transient errors are retried until they pass, never dead-lettered)."""


def is_transient(exc: BaseException) -> bool:
    """A broker error that may pass by itself (unreachable, timed out, leader moving)."""
    if isinstance(exc, KafkaConnectionError | KafkaTimeoutError):
        return True
    return isinstance(exc, KafkaError) and bool(getattr(exc, "retriable", False))


@dataclass(frozen=True)
class PreparedBatch:
    """One batch between extraction and delivery: its faust events, their raw messages and the
    messages to publish for them."""

    events: Sequence[Any]
    incoming: Sequence[Incoming]
    messages: Sequence[Outgoing]


@dataclass
class ExtractorService:
    """The built app and the parts tests and views reach: topics, table, agent, metrics."""

    app: faust.App
    settings: ExtractorSettings
    kafka: KafkaSettings
    processor: BatchProcessor
    metrics: ExtractorMetrics
    raw_topic: Any
    output_topics: dict[str, Any]
    table: Any
    agent: Any = None
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="extract")
    )
    last_offsets: dict[Any, int] = field(default_factory=dict)
    sleep: Callable[[float], Any] = asyncio.sleep

    async def prepare(self, events: Sequence[Any]) -> PreparedBatch:
        """Decode, extract (on the event loop or in the extraction thread, by the batch's text
        size) and encode one batch: the messages to send."""
        batch = [
            Incoming(
                value=bytes(event.value or b""),
                source=position_of_message(event.message),
                key=event.message.key,
                timestamp=event.message.timestamp,
            )
            for event in events
        ]
        slots = self.processor.decode(batch)
        if self.processor.text_size(slots) <= self.settings.inline_max_chars:
            slots = self.processor.extract(slots)  # on the loop: see the module docstring
        else:
            loop = asyncio.get_running_loop()
            slots = await loop.run_in_executor(self.executor, self.processor.extract, slots)
        return PreparedBatch(events, batch, self.processor.outgoing(slots))

    async def deliver(self, batch: PreparedBatch, stream: Any) -> None:
        """Send a prepared batch, wait for the broker, then ack its source messages.

        Transient broker errors are retried until they pass (:meth:`send`). An error that will
        not pass (the broker refuses the records: too large, not authorised) dead-letters every
        message of the batch with stage ``publish``, and the batch is acked once the dead letters
        are confirmed; if even they cannot be sent, the error propagates and nothing is acked.
        """
        started = time.perf_counter()
        try:
            await self.send(batch.messages)
        except Exception as exc:  # noqa: BLE001 - not transient: send() retried those itself
            logger.error(
                "the broker refused a batch's records; dead-lettering its %d messages (%s: %s)",
                len(batch.incoming),
                type(exc).__name__,
                exc,
            )
            await self.send(self.processor.unpublishable(batch.incoming, exc))
        for event in batch.events:
            await stream.ack(event)
        self.mark_done(batch.events)
        logger.debug(
            "batch delivered",
            extra={
                "messages": len(batch.events),
                "records": len(batch.messages),
                "seconds": round(time.perf_counter() - started, 4),
            },
        )

    async def send(self, messages: Sequence[Outgoing]) -> None:
        """Send and wait for every acknowledgement; transient errors re-send the whole batch (the
        idempotent producer and deterministic record ids make a re-sent record identical)."""
        attempt = 0
        while True:
            try:
                futures = [
                    await self.output_topics[m.topic].send(key=m.key, value=m.value)
                    for m in messages
                ]
                await asyncio.gather(*futures)
                return
            except Exception as exc:
                if not is_transient(exc):
                    raise
                delay = SEND_RETRY_DELAYS[min(attempt, len(SEND_RETRY_DELAYS) - 1)]
                attempt += 1
                self.metrics.send_retries.inc()
                logger.warning(
                    "send failed (%s: %s); retrying in %.1fs",
                    type(exc).__name__,
                    exc,
                    delay,
                    extra={"attempt": attempt},
                )
                await self.sleep(delay)

    def mark_done(self, events: Sequence[Any]) -> None:
        for event in events:
            tp = event.message.tp
            self.last_offsets[tp] = max(self.last_offsets.get(tp, -1), event.message.offset)

    def update_lag(self) -> None:
        consumer = self.app.consumer
        assigned = consumer.assignment()
        for tp, offset in self.last_offsets.items():
            if tp not in assigned:
                continue
            highwater: int | None = consumer.highwater(tp)
            if not highwater:
                continue
            lag = max(0, highwater - 1 - offset)
            self.metrics.lag.labels(tp.topic, str(tp.partition)).set(lag)

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        return group_readiness(self.app, {self.raw_topic.get_topic_name()})


def _log_delivery_failure(future: asyncio.Future[None]) -> None:
    """Report a failed delivery at once (the agent re-raises it when it takes the next batch)."""
    if not future.cancelled() and (exc := future.exception()) is not None:
        logger.error("delivering a batch failed: %s: %s", type(exc).__name__, exc)


def create_service(
    settings: ExtractorSettings,
    kafka: KafkaSettings,
    extractor: Extractor,
    **app_overrides: Any,
) -> ExtractorService:
    """Build the faust app with its topics, dedup table, agent and views (nothing starts yet)."""
    app = build_app(
        settings.app_id,
        kafka,
        web_port=settings.web_port,
        web_bind=settings.web_bind,
        data_dir=settings.data_dir,
        topic_partitions=RAW_ARTICLES.partitions,
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=settings.session_timeout / 10,
        **app_overrides,
    )
    raw_topic = app.topic(
        RAW_ARTICLES.name(kafka),
        key_serializer="raw",
        value_serializer="raw",
        partitions=RAW_ARTICLES.partitions,
    )
    output_topics = {spec.key: TopicSink(app, spec.name(kafka)) for spec in OUTPUT_TOPICS}
    table = app.Table(
        "dedup",
        partitions=RAW_ARTICLES.partitions,
        # No key/value types: both JSON (str keys, lists of [id, fingerprint, timestamp]).
        use_partitioner=True,
        help="Recent SimHash fingerprints per band value, for syndicated-copy detection.",
    )
    metrics = ExtractorMetrics()
    dedup = DuplicateIndex(
        table,
        threshold=settings.dedup_threshold,
        window=settings.dedup_window,
        per_band=settings.dedup_per_band,
    )
    processor = BatchProcessor(extractor, dedup=dedup, metrics=metrics)
    service = ExtractorService(
        app=app,
        settings=settings,
        kafka=kafka,
        processor=processor,
        metrics=metrics,
        raw_topic=raw_topic,
        output_topics=output_topics,
        table=table,
    )

    async def extract(stream: Any) -> None:
        delivering: asyncio.Future[None] | None = None
        try:
            async for events in stream.noack_take(
                settings.batch_size, within=settings.batch_window
            ):
                prepared = await service.prepare(events)
                if delivering is not None:
                    await delivering  # batch N confirmed and acked before N+1 is queued
                delivering = asyncio.ensure_future(service.deliver(prepared, stream))
                delivering.add_done_callback(_log_delivery_failure)
            if delivering is not None:
                await delivering
        finally:
            # Stopping: let the batch in flight finish (its records are queued), or leave it
            # unacked to be processed again by the partition's next owner.
            if delivering is not None and not delivering.done():
                await asyncio.wait({delivering}, timeout=settings.session_timeout / 3)
                delivering.cancel()

    service.agent = app.agent(raw_topic, name="extract", concurrency=1)(extract)

    @app.page("/health")
    async def health(self: Any, request: Any) -> Any:
        return self.json({"status": "ok"})

    @app.page("/ready")
    async def ready(self: Any, request: Any) -> Any:
        ok, body = service.readiness()
        return self.json(body, status=200 if ok else 503)

    @app.page("/metrics")
    async def metrics_view(self: Any, request: Any) -> Any:
        service.update_lag()
        # Prometheus text format 0.0.4 (UTF-8); aiohttp refuses a charset in content_type.
        return self.bytes(metrics.render(), content_type="text/plain")

    return service


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="wirestream worker extractor",
        description="Run the extractor worker (settings: WIRESTREAM_EXTRACTOR_* variables).",
    )
    parser.add_argument(
        "--web-port", type=int, help="overrides WIRESTREAM_EXTRACTOR_WEB_PORT (default 6066)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``wirestream worker extractor``: settings, logging, topics, model, worker."""
    from wirestream import logs
    from wirestream.streaming.provision import ensure_topics

    args = parse_args(argv)
    overrides: dict[str, object] = {}
    if args.web_port is not None:
        overrides["web_port"] = args.web_port
    settings = ExtractorSettings.from_env(**overrides)
    kafka = KafkaSettings.from_env()
    logs.configure(settings.log_level, json=True)
    logger.info(
        "starting extractor",
        extra={
            "bootstrap_servers": kafka.bootstrap_servers,
            "topic_prefix": kafka.topic_prefix,
            "web_port": settings.web_port,
        },
    )
    if settings.provision_topics:
        asyncio.run(ensure_topics(kafka))
    extractor = Extractor.load(settings.model, batch_size=settings.batch_size)
    started = time.perf_counter()
    extractor.warm_up()
    logger.info("extractor warmed up", extra={"seconds": round(time.perf_counter() - started, 3)})
    service = create_service(settings, kafka, extractor)
    asyncio.set_event_loop(asyncio.new_event_loop())
    return run_worker(service.app, log_level=settings.log_level)
