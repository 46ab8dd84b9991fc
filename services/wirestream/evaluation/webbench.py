"""``wirestream bench --web``: the live view's CPU at a steady record rate, with pages connected.

The records are real: the seed article and the example article extracted by the real pipeline
(article, entity, quote and event records in their published order and proportions), published
again and again under new article and record ids, at ``rate`` records per second, to the record
topics of a fresh topic prefix. ``wirestream worker web`` runs as its own process with ``pages``
streams open (every item reaches every page); its CPU is read from ``/proc/<pid>/stat`` (user +
system time) over ``seconds`` after a warm-up, idle first (no records), then under load. The
reported percentage is of one core.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.streaming.settings import KafkaSettings

ROOT = Path(__file__).resolve().parents[3]
SOURCES = (ROOT / "tests" / "data" / "seed_article.json",)
WARM_UP = 5.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def templates() -> list[tuple[str, dict[str, Any]]]:
    """(record kind, record) of the seed and example articles, as the extractor makes them."""
    from wirestream.core.contracts import Article
    from wirestream.core.extraction import Extractor
    from wirestream.schemagen import EXAMPLE_ARTICLE

    articles = [Article.model_validate(jsonio.loads(p.read_bytes())) for p in SOURCES]
    articles.append(Article.model_validate(EXAMPLE_ARTICLE))
    extractor = Extractor.load()
    out: list[tuple[str, dict[str, Any]]] = []
    for result in extractor.extract_many(articles):
        out.extend((r.kind, r.model_dump(mode="json")) for r in result.records)
    return out


def renamed(record: dict[str, Any], n: int) -> dict[str, Any]:
    """``record`` under article id and record id of round ``n`` (a new article each round)."""
    return dict(record, id=f"{record['id']}-{n}", article_id=f"bench-{n}-{record['article_id']}")


@dataclass
class Window:
    seconds: float
    cpu: float
    records: int
    received: int

    @property
    def percent(self) -> float:
        return 100.0 * self.cpu / self.seconds if self.seconds else 0.0


class Pages:
    """``count`` open streams; counts the feed items they receive."""

    def __init__(self, url: str, count: int) -> None:
        self.url = url
        self.count = count
        self.received = 0
        self.tasks: list[asyncio.Task[None]] = []

    async def _read(self) -> None:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.get(self.url, timeout=aiohttp.ClientTimeout(total=None)) as response,
        ):
            async for line in response.content:
                if line.startswith(b"data: ["):
                    self.received += len(jsonio.loads(line[6:]))

    def start(self) -> None:
        self.tasks = [asyncio.ensure_future(self._read()) for _ in range(self.count)]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def _measure(
    kafka: KafkaSettings,
    pid: int,
    pages: Pages,
    records: list[tuple[str, dict[str, Any]]],
    rate: float,
    seconds: float,
) -> Window:
    """CPU of ``pid`` over ``seconds`` while ``rate`` records/s are sent (none when 0)."""
    from aiokafka import AIOKafkaProducer

    from wirestream.streaming.topics import RECORD_TOPICS

    producer = AIOKafkaProducer(**kafka.client_options(), linger_ms=5)
    await producer.start()
    sent = 0
    n = 0
    try:

        async def send_until(deadline: float) -> None:
            nonlocal sent, n
            started, here = time.monotonic(), 0
            while time.monotonic() < deadline:
                kind, record = records[sent % len(records)]
                if sent % len(records) == 0:
                    n += 1
                value = renamed(record, n)
                await producer.send(
                    RECORD_TOPICS[kind].name(kafka),
                    jsonio.dumps(value),
                    key=value["article_id"].encode(),
                )
                sent += 1
                here += 1
                wait = started + here / rate - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)

        if rate > 0:
            await send_until(time.monotonic() + WARM_UP)
        else:
            await asyncio.sleep(WARM_UP)
        before_sent, before_received = sent, pages.received
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        if rate > 0:
            await send_until(t0 + seconds)
        else:
            await asyncio.sleep(seconds)
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds(pid) - cpu0
        await producer.flush()
        await asyncio.sleep(1.0)  # the last items reach the pages
        return Window(elapsed, cpu, sent - before_sent, pages.received - before_received)
    finally:
        await producer.stop()


def run(
    kafka: KafkaSettings, work_dir: Path, *, rate: float, seconds: float, pages: int
) -> dict[str, Any]:
    """Start a live view on a fresh topic prefix, measure idle and loaded; the results."""
    from wirestream.streaming.provision import ensure_topics
    from wirestream.testkit.net import free_port
    from wirestream.testkit.workers import WorkerProcess

    kafka = kafka.model_copy(update={"topic_prefix": f"bench-web-{secrets.token_hex(4)}."})
    asyncio.run(ensure_topics(kafka))
    records = templates()
    work_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, **kafka.environment(), PYTHONUNBUFFERED="1")
    web = WorkerProcess(free_port(), env, work_dir / "web-bench.log", service="web").start()
    try:
        web.wait_ready(90)
        url = f"http://127.0.0.1:{web.web_port}/api/stream"

        async def both() -> tuple[Window, Window]:
            streams = Pages(url, pages)
            streams.start()
            try:
                idle = await _measure(kafka, web.pid, streams, records, 0, seconds)
                loaded = await _measure(kafka, web.pid, streams, records, rate, seconds)
            finally:
                await streams.stop()
            return idle, loaded

        idle, loaded = asyncio.run(both())
        rss = web.peak_rss_bytes()
    finally:
        web.stop()
    kinds: dict[str, int] = {}
    for kind, _ in records:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "rate": rate,
        "seconds": seconds,
        "pages": pages,
        "record_mix": kinds,
        "idle_cpu_percent": round(idle.percent, 2),
        "cpu_percent": round(loaded.percent, 2),
        "records_sent": loaded.records,
        "items_received_by_pages": loaded.received,
        "peak_rss_mib": round(rss / 2**20, 1) if rss else None,
        "cpu_method": "user+system time of the web process (/proc/<pid>/stat) over the window, "
        "divided by the window's wall time: percent of one core",
    }
