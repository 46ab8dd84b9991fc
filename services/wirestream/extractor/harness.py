"""Run extractor workers as real processes and watch their output: for integration tests and
``wirestream bench --kafka``.

- :class:`WorkerProcess` / :func:`start_workers` — ``python -m wirestream.cli worker extractor``
  subprocesses for one topic prefix and consumer group, each on its own web port, with
  :meth:`WorkerProcess.wait_ready` (polls ``/ready``), :meth:`~WorkerProcess.peak_rss_bytes`
  (``VmHWM`` from ``/proc``), SIGTERM/SIGKILL.
- :func:`publish` — send ``(key, value)`` messages to the raw topic; returns each key's send time.
- :class:`RecordCollector` — reads the record and dead-letter topics from the beginning (no
  consumer group) and knows when an article is *complete*: its article record arrived with every
  entity, quote and event record its counts announce, or a dead letter carries its key. Arrival
  times are kept per article, so latency = completion time - publish time.
"""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.errors import EnvironmentNotReadyError
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    ARTICLES,
    ENTITIES,
    EVENTS,
    QUOTES,
    RAW_ARTICLES,
    RAW_DEAD_LETTERS,
)

RECORD_KINDS = {"entities": "entity", "quotes": "quote", "events": "event"}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class WorkerProcess:
    """One extractor worker subprocess; its JSON logs go to ``log_path``."""

    web_port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    service: str = "extractor"
    """Which ``wirestream worker`` service runs (``copies`` for the copies stage)."""

    def start(self) -> WorkerProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wirestream.cli",
                "worker",
                self.service,
                "--web-port",
                str(self.web_port),
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def get(self, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
        """GET ``path`` on the worker's web port: (status, body); status 0 when unreachable."""
        url = f"http://127.0.0.1:{self.web_port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as exc:
            return int(exc.code), bytes(exc.read())
        except (urllib.error.URLError, OSError):
            return 0, b""

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until ``/ready`` answers 200; raises when the process exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise EnvironmentNotReadyError(
                    f"extractor worker exited ({self.process and self.process.returncode}); "
                    f"see {self.log_path}"
                )
            if self.get("/ready")[0] == 200:
                return
            time.sleep(0.25)
        raise EnvironmentNotReadyError(
            f"extractor worker not ready in {timeout:.0f}s; see {self.log_path}"
        )

    def peak_rss_bytes(self) -> int | None:
        """Peak resident memory so far (Linux ``VmHWM``); None when unknown or exited."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def signal(self, signum: int) -> None:
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signum)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM, wait, then SIGKILL if it does not exit in ``timeout`` seconds."""
        if self.process is None:
            return None
        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)

    def kill(self) -> None:
        """SIGKILL: no shutdown at all."""
        if self.process is not None and self.alive():
            self.process.kill()
            self.process.wait(10)


def worker_env(
    kafka: KafkaSettings,
    *,
    app_id: str,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a worker for ``kafka`` (every ``WIRESTREAM_KAFKA_*``) and ``app_id``."""
    env = dict(os.environ)
    env.update(kafka.environment())
    env.update(
        {
            "WIRESTREAM_EXTRACTOR_APP_ID": app_id,
            "WIRESTREAM_EXTRACTOR_WEB_BIND": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def start_workers(
    count: int,
    kafka: KafkaSettings,
    *,
    app_id: str,
    work_dir: Path,
    extra_env: Mapping[str, str] | None = None,
    ready_timeout: float = 180.0,
    wait: bool = True,
) -> list[WorkerProcess]:
    """Start ``count`` workers in one consumer group and (``wait``) until all are ready."""
    workers = []
    work_dir.mkdir(parents=True, exist_ok=True)  # the workers keep no state on disk: logs only
    env = worker_env(kafka, app_id=app_id, extra=extra_env)
    for index in range(count):
        workers.append(WorkerProcess(free_port(), env, work_dir / f"worker-{index}.log").start())
    if wait:
        wait_all_ready(workers, timeout=ready_timeout)
    return workers


def wait_all_ready(workers: Sequence[WorkerProcess], timeout: float = 180.0) -> None:
    """Until every worker answers ``/ready`` at the same time (after the group has settled)."""
    deadline = time.monotonic() + timeout
    while True:
        for worker in workers:
            worker.wait_ready(max(1.0, deadline - time.monotonic()))
        if all(worker.get("/ready")[0] == 200 for worker in workers):
            return
        if time.monotonic() > deadline:
            raise EnvironmentNotReadyError("extractor workers did not all become ready")


async def publish(
    kafka: KafkaSettings,
    messages: Iterable[tuple[bytes | None, bytes]],
    *,
    rate: float | None = None,
    topic: str | None = None,
) -> dict[bytes, float]:
    """Send messages to the raw topic (at most ``rate`` per second); returns key → send time
    (``time.time()``) of the keyed ones."""
    from aiokafka import AIOKafkaProducer

    from wirestream.streaming.topics import MAX_REQUEST_BYTES

    producer = AIOKafkaProducer(
        **kafka.client_options(),
        acks="all",
        enable_idempotence=True,
        max_request_size=MAX_REQUEST_BYTES,
    )
    await producer.start()
    sent: dict[bytes, float] = {}
    pending = []
    name = topic or RAW_ARTICLES.name(kafka)
    started = time.monotonic()
    try:
        for index, (key, value) in enumerate(messages):
            if rate:
                delay = started + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            if key is not None:
                sent[key] = time.time()
            pending.append(await producer.send(name, value=value, key=key))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


@dataclass
class ArticleProgress:
    article: dict[str, Any] | None = None
    records: dict[str, dict[str, bytes]] = field(
        default_factory=lambda: {"entity": {}, "quote": {}, "event": {}}
    )
    dead_letters: list[dict[str, Any]] = field(default_factory=list)
    completed_at: float | None = None

    def complete(self) -> bool:
        if self.dead_letters:
            return True
        if self.article is None:
            return False
        counts = self.article["counts"]
        return bool(
            len(self.records["entity"]) >= counts["entities"]
            and len(self.records["quote"]) >= counts["quotes"]
            and len(self.records["event"]) >= counts["events"]
        )


COLLECTOR_FETCH_MIN_BYTES = 256 * 1024
COLLECTOR_FETCH_MAX_WAIT_MS = 50


class RecordCollector:
    """Everything the extractor published for one topic prefix, as it arrives.

    ``raw_values[topic_key]`` keeps every message value in arrival order (duplicates included);
    ``by_id`` the bytes seen per record id (a set: more than one means two different versions).
    """

    TOPICS = (ARTICLES, ENTITIES, QUOTES, EVENTS, RAW_DEAD_LETTERS)

    def __init__(self, kafka: KafkaSettings) -> None:
        self.kafka = kafka
        self.articles: dict[str, ArticleProgress] = {}
        self.raw_values: dict[str, list[bytes]] = {t.key: [] for t in self.TOPICS}
        self.by_id: dict[str, set[bytes]] = {}
        self._consumer: Any = None
        self._names = {t.name(kafka): t.key for t in self.TOPICS}

    async def start(self) -> None:
        from aiokafka import AIOKafkaConsumer, TopicPartition

        from wirestream.streaming.isolation import ISOLATION_LEVEL
        from wirestream.streaming.topics import MAX_REQUEST_BYTES

        self._consumer = AIOKafkaConsumer(
            **self.kafka.client_options(),
            group_id=None,
            enable_auto_commit=False,
            # What a downstream consumer sees: records of aborted transactions never count.
            isolation_level=ISOLATION_LEVEL,
            max_partition_fetch_bytes=MAX_REQUEST_BYTES,
            # Few, full fetches: the collector shares the machine with the workers it measures.
            # Adds at most 50 ms to a measured latency.
            fetch_min_bytes=COLLECTOR_FETCH_MIN_BYTES,
            fetch_max_wait_ms=COLLECTOR_FETCH_MAX_WAIT_MS,
        )
        await self._consumer.start()
        tps: list[Any] = []
        for spec in self.TOPICS:
            name = spec.name(self.kafka)
            for _ in range(60):
                partitions = self._consumer.partitions_for_topic(name)
                if partitions:
                    break
                await self._consumer._client.force_metadata_update()
                await asyncio.sleep(0.5)
            else:
                raise EnvironmentNotReadyError(f"topic {name} does not exist")
            tps.extend(TopicPartition(name, p) for p in partitions)
        self._consumer.assign(tps)
        await self._consumer.seek_to_beginning(*tps)

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()

    def _progress(self, article_id: str) -> ArticleProgress:
        return self.articles.setdefault(article_id, ArticleProgress())

    def _add(self, key: str, value: bytes, now: float) -> None:
        if not value:
            return  # a tombstone (a retracted article): the retractions topic says why
        self.raw_values[key].append(value)
        data = jsonio.loads(value)
        if key == RAW_DEAD_LETTERS.key:
            source_key = data["source"].get("key_b64")
            article_id = (
                base64.b64decode(source_key).decode("utf-8", "replace")
                if source_key
                else f"@{data['source']['partition']}:{data['source']['offset']}"
            )
            progress = self._progress(article_id)
            progress.dead_letters.append(data)
        else:
            self.by_id.setdefault(data["id"], set()).add(value)
            progress = self._progress(data["article_id"])
            if data["kind"] == "article":
                progress.article = data
            else:
                progress.records[data["kind"]][data["id"]] = value
        if progress.completed_at is None and progress.complete():
            progress.completed_at = now

    async def poll(self, timeout: float = 0.5) -> int:
        batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000), max_records=2000)
        now = time.time()
        count = 0
        for tp, messages in batches.items():
            key = self._names[tp.topic]
            for message in messages:
                self._add(key, message.value or b"", now)
                count += 1
        return count

    def missing(self, article_ids: Iterable[str]) -> list[str]:
        return [a for a in article_ids if a not in self.articles or not self.articles[a].complete()]

    async def until_complete(
        self, article_ids: Iterable[str], *, timeout: float = 120.0, dead_letters: int = 0
    ) -> list[str]:
        """Poll until every article is complete and at least ``dead_letters`` dead letters came;
        returns the ids still missing (empty on success)."""
        wanted = list(article_ids)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await self.poll()
            if not self.missing(wanted) and len(self.raw_values["raw_dlq"]) >= dead_letters:
                return []
        return self.missing(wanted)

    def conflicting_ids(self) -> dict[str, set[bytes]]:
        """Record ids seen with more than one distinct value (must be empty)."""
        return {rid: values for rid, values in self.by_id.items() if len(values) > 1}


def load_messages(path: Path, limit: int | None = None) -> list[tuple[bytes, bytes]]:
    """``(article id, line)`` pairs from a JSON-lines file of articles (the lines sent as they are)."""
    messages = []
    with path.open("rb") as handle:
        for line in handle:
            line = line.rstrip(b"\n")
            if not line.strip():
                continue
            data = jsonio.loads(line)
            messages.append((str(data["id"]).encode("utf-8"), line))
            if limit is not None and len(messages) >= limit:
                break
    return messages


def bare_pipe_rate(texts: Sequence[str], *, batch_size: int = 8, model: str | None = None) -> float:
    """Articles per second of bare spaCy ``nlp.pipe`` (the extractor's model and batch size)."""
    from wirestream.core.extraction.pipeline import DEFAULT_MODEL, load_nlp

    nlp = load_nlp(model or DEFAULT_MODEL)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return len(texts) / (time.perf_counter() - started)


@dataclass(frozen=True)
class StreamRun:
    """One end-to-end run: ``rate`` = articles per second between the first and last completion;
    ``latencies`` = completion - send time per article (seconds); ``peak_rss`` per worker."""

    workers: int
    articles: int
    rate: float
    latencies: list[float]
    peak_rss: list[int | None]

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def _publish_and_collect(
    kafka: KafkaSettings,
    messages: Sequence[tuple[bytes, bytes]],
    rate: float | None,
    timeout: float,
    workers: Sequence[WorkerProcess],
    peaks: dict[int, int],
) -> tuple[dict[bytes, float], RecordCollector]:
    collector = RecordCollector(kafka)
    await collector.start()
    try:
        sending = asyncio.create_task(publish(kafka, messages, rate=rate))
        ids = [key.decode("utf-8") for key, _ in messages]
        deadline = time.monotonic() + timeout
        while (collector.missing(ids) or not sending.done()) and time.monotonic() < deadline:
            await collector.poll(0.1)
            for index, worker in enumerate(workers):
                peaks[index] = max(peaks.get(index, 0), worker.peak_rss_bytes() or 0)
        sent = await sending
    finally:
        await collector.stop()
    return sent, collector


def run_stream(
    kafka: KafkaSettings,
    messages: Sequence[tuple[bytes, bytes]],
    *,
    workers: int,
    app_id: str,
    work_dir: Path,
    rate: float | None = None,
    timeout: float = 600.0,
) -> StreamRun:
    """Start ``workers`` extractor processes, publish ``messages`` (at ``rate`` per second, or as
    fast as possible), wait until every article is complete, stop the workers.

    Use a fresh ``kafka.topic_prefix`` per run (the collector reads its topics from the start).
    """
    from wirestream.streaming.provision import ensure_topics

    asyncio.run(ensure_topics(kafka))
    procs = start_workers(workers, kafka, app_id=app_id, work_dir=work_dir)
    peaks: dict[int, int] = {}
    try:
        sent, collector = asyncio.run(
            _publish_and_collect(kafka, messages, rate, timeout, procs, peaks)
        )
    finally:
        for proc in procs:
            proc.stop()
    done = {
        key: collector.articles[key.decode()].completed_at
        for key in sent
        if key.decode() in collector.articles
    }
    finished = sorted(t for t in done.values() if t is not None)
    span = finished[-1] - finished[0] if len(finished) > 1 else 0.0
    latencies = [t - sent[key] for key, t in done.items() if t is not None]
    return StreamRun(
        workers=workers,
        articles=len(finished),
        rate=(len(finished) - 1) / span if span > 0 else 0.0,
        latencies=latencies,
        peak_rss=[peaks.get(i) or None for i in range(workers)],
    )
