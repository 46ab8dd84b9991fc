"""``wirestream bench --incidents``: the incident stage's CPU per article against the extractor's.

On a fresh topic prefix, one extractor worker (``wirestream worker extractor``) and one incident
worker (``wirestream worker incidents``) run as their own processes, each in its own consumer
group; the incident stage needs nothing else (an article is complete for its ``route`` step once
its article record and as many events of its revision as it counts are there,
:class:`~wirestream.core.incidents.routing.Pending`: no copy marking is awaited). Once both are
ready:

1. *Idle*: both processes' CPU over :data:`IDLE_SECONDS` with no input (faust's timers, fetch
   polls): the baseline that every later second carries.
2. *Run*: the ``N`` articles are published to the raw topic at once. The extractor is idle when
   its group has committed the end of the raw topic (it commits in the transaction of its
   records); the bench then reads the articles and events topics to their end and makes the
   members the records must give (the pure :func:`~wirestream.core.incidents.members_of_article`).
   The incident worker is idle when its group has committed every record of the articles and
   events topics, and then the end of its members topic (read after ``route`` was done, so every
   member is in it).

CPU is user + system time of each process (``/proc/<pid>/stat``), from ready to its idle; the
incident worker's window includes the time it waits for the extractor (its idle baseline over that
wall time is reported beside it). Peak memory is ``VmHWM``. The members on the members topic are
counted and checked against the expected ones: a run whose incident stage lost or skipped an
article fails rather than reporting a cost for less work.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.errors import EnvironmentNotReadyError
from wirestream.evaluation.webbench import cpu_seconds
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.workers import WorkerProcess

IDLE_SECONDS = 10.0
"""The idle window (both workers ready, no input) whose CPU is the baseline."""
COMPLETION_TIMEOUT = 900.0
"""Seconds each worker gets to handle everything once the articles are published."""
TARGET_FRACTION = 0.05
"""Issue 16's target: the incident stage's CPU per article at most 5 % of the extractor's."""


@dataclass
class Topics:
    """What the bench reads back from the articles and events topics (no consumer group)."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per article id: its article and event records."""
    last: dict[tuple[str, int], int] = field(default_factory=dict)
    """Per (topic, partition): the offset after its last data record."""

    def expected_members(self) -> int:
        """The members the incident stage must send for these records (the pure route step)."""
        from wirestream.core.incidents import members_of_article
        from wirestream.core.incidents.routing import Pending

        total = 0
        for records in self.records.values():
            pending = Pending()
            for record in records:
                pending.add(record)
            complete = pending.complete()
            if complete is not None:
                total += len(members_of_article(*complete))
        return total

    def count(self, kind: str) -> int:
        return sum(1 for rs in self.records.values() for r in rs if r.get("kind") == kind)


async def _read_to_end(kafka: KafkaSettings, topics: Iterable[str]) -> list[Any]:
    """Every committed message of ``topics`` (``read_committed``, no group), read to the ends."""
    from aiokafka import AIOKafkaConsumer

    from wirestream.streaming.isolation import ISOLATION_LEVEL
    from wirestream.testkit.offsets import end_offsets
    from wirestream.testkit.waiting import async_wait_until

    ends = {tp: end for tp, end in (await end_offsets(kafka, topics)).items() if end > 0}
    if not ends:
        return []
    consumer = AIOKafkaConsumer(**kafka.client_options(), isolation_level=ISOLATION_LEVEL)
    await consumer.start()
    out: list[Any] = []
    try:
        consumer.assign(list(ends))
        await consumer.seek_to_beginning(*ends)

        async def at_end() -> bool:
            for batch in (await consumer.getmany(timeout_ms=300)).values():
                out.extend(batch)
            return all([await consumer.position(tp) >= end for tp, end in ends.items()])

        await async_wait_until(f"{sorted(set(t.topic for t in ends))} read", at_end, 120)
    finally:
        await consumer.stop()
    return out


async def _read_records(kafka: KafkaSettings) -> Topics:
    from wirestream.streaming.topics import ARTICLES, EVENTS

    topics = Topics()
    for message in await _read_to_end(kafka, [ARTICLES.name(kafka), EVENTS.name(kafka)]):
        record = jsonio.loads(message.value)
        topics.records.setdefault(record["article_id"], []).append(record)
        tp = (message.topic, message.partition)
        topics.last[tp] = max(topics.last.get(tp, 0), message.offset + 1)
    return topics


async def _wait_committed(
    kafka: KafkaSettings, group: str, wanted: dict[tuple[str, int], int], worker: WorkerProcess
) -> None:
    """Until ``group`` has committed at least ``wanted`` in every partition (the offset after
    the last data record: the extractor's transaction markers follow it)."""
    from wirestream.testkit.offsets import committed_offsets
    from wirestream.testkit.waiting import async_wait_until

    async def done() -> bool:
        if not worker.alive():
            raise EnvironmentNotReadyError(f"the incident worker exited:\n{worker.log()}")
        committed = await committed_offsets(kafka, group)
        have = {(tp.topic, tp.partition): offset for tp, offset in committed.items()}
        return all(have.get(tp, -1) >= offset for tp, offset in wanted.items())

    await async_wait_until(
        f"group {group} to commit its input", done, COMPLETION_TIMEOUT, detail=worker.log
    )


async def _count_members(kafka: KafkaSettings) -> int:
    from wirestream.streaming.topics import INCIDENT_MEMBERS

    messages = await _read_to_end(kafka, [INCIDENT_MEMBERS.name(kafka)])
    return sum(1 for m in messages if jsonio.loads(m.value).get("op") == "add")


async def _count_incident_records(kafka: KafkaSettings) -> int:
    from wirestream.streaming.topics import INCIDENTS

    return len(await _read_to_end(kafka, [INCIDENTS.name(kafka)]))


@dataclass
class Cpu:
    """A worker's CPU seconds at ready, after the idle window and at its idle."""

    ready: float = 0.0
    after_idle: float = 0.0
    done: float = 0.0
    idle_window: float = 0.0
    busy_window: float = 0.0
    """Wall seconds of the idle window, and from publishing to this worker's idle."""

    @property
    def idle_rate(self) -> float:
        """CPU seconds per wall second with no input."""
        return (self.after_idle - self.ready) / self.idle_window if self.idle_window else 0.0

    def per_article_ms(self, n: int) -> float:
        return 1000.0 * (self.done - self.after_idle) / n


def _measure(
    kafka: KafkaSettings, articles: Sequence[Article], ex: WorkerProcess, inc: WorkerProcess
) -> dict[str, Any]:
    """Idle window, publish, wait for each worker's idle (its group ``<prefix><service>``);
    the CPU and what the bench read back."""
    from wirestream.streaming.topics import INCIDENT_MEMBERS, RAW_ARTICLES
    from wirestream.testkit.offsets import wait_group_caught_up
    from wirestream.testkit.records import publish

    cpu = {"extractor": Cpu(), "incidents": Cpu()}
    workers = {"extractor": ex, "incidents": inc}
    t0 = time.monotonic()
    for name, c in cpu.items():
        c.ready = cpu_seconds(workers[name].pid)
    deadline = t0 + IDLE_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(left)  # the idle window itself, not a wait for something
    for name, c in cpu.items():
        c.after_idle = cpu_seconds(workers[name].pid)
        c.idle_window = time.monotonic() - t0
    messages = [
        (a.id.encode(), jsonio.dumps(a.model_dump(mode="json", exclude_none=True)))
        for a in articles
    ]

    async def run() -> Topics:
        started = time.monotonic()
        await publish(kafka, messages)
        print(f"incidents: {len(messages)} articles published", file=sys.stderr)
        await wait_group_caught_up(
            kafka,
            f"{kafka.topic_prefix}extractor",
            [RAW_ARTICLES.name(kafka)],
            COMPLETION_TIMEOUT,
            detail=ex.log,
        )
        cpu["extractor"].done = cpu_seconds(ex.pid)
        cpu["extractor"].busy_window = time.monotonic() - started
        print("incidents: extractor idle", file=sys.stderr)
        topics = await _read_records(kafka)
        group = f"{kafka.topic_prefix}incidents"
        await _wait_committed(kafka, group, topics.last, inc)
        await wait_group_caught_up(
            kafka, group, [INCIDENT_MEMBERS.name(kafka)], COMPLETION_TIMEOUT, detail=inc.log
        )
        cpu["incidents"].done = cpu_seconds(inc.pid)
        cpu["incidents"].busy_window = time.monotonic() - started
        print("incidents: incident worker idle", file=sys.stderr)
        return topics

    topics = asyncio.run(run())
    return {"cpu": cpu, "topics": topics}


def run(articles: Sequence[Article], kafka: KafkaSettings) -> dict[str, Any]:
    """Both workers over ``articles`` on a fresh topic prefix of ``kafka``'s broker; the numbers
    (raises when a worker exits, times out, or the incident stage sent other members than the
    extractor's records give)."""
    from wirestream.streaming.provision import ensure_topics
    from wirestream.testkit.workers import start_workers, wait_all_ready

    tag = f"bench-inc-{uuid.uuid4().hex[:8]}"
    kafka = kafka.model_copy(update={"topic_prefix": f"{tag}."})
    asyncio.run(ensure_topics(kafka, timeout=20.0))
    with tempfile.TemporaryDirectory(prefix=f"wirestream-{tag}-") as work:
        data = {"WIRESTREAM_INCIDENTS_DATA_DIR": str(Path(work) / "incidents")}
        folder = Path(work)
        [ex] = start_workers(1, kafka, app_id="extractor", work_dir=folder, wait=False)
        [inc] = start_workers(
            1,
            kafka,
            app_id="incidents",
            work_dir=folder,
            service="incidents",
            extra_env=data,
            wait=False,
        )
        try:
            wait_all_ready([ex, inc], timeout=300)
            print("incidents: both workers ready; idle window", file=sys.stderr)
            measured = _measure(kafka, articles, ex, inc)
            peaks = {"extractor": ex.peak_rss_bytes(), "incidents": inc.peak_rss_bytes()}
            topics: Topics = measured["topics"]
            expected = topics.expected_members()
            members = asyncio.run(_count_members(kafka))
            incident_records = asyncio.run(_count_incident_records(kafka))
        finally:
            for worker in (ex, inc):
                worker.stop(timeout=30)
    if members != expected:
        raise EnvironmentNotReadyError(
            f"the incident stage sent {members} members; the extractor's records give {expected}"
        )
    return _result(articles, topics, measured["cpu"], peaks, members, incident_records)


def _result(
    articles: Sequence[Article],
    topics: Topics,
    cpu: dict[str, Cpu],
    peaks: dict[str, int | None],
    members: int,
    incident_records: int,
) -> dict[str, Any]:
    n = len(articles)
    ex, inc = cpu["extractor"], cpu["incidents"]
    ex_ms, inc_ms = ex.per_article_ms(n), inc.per_article_ms(n)
    inc_idle_ms = 1000.0 * inc.idle_rate * inc.busy_window / n
    return {
        "articles": n,
        "article_records": topics.count("article"),
        "event_records": topics.count("event"),
        "members": members,
        "incident_records": incident_records,
        "extractor_cpu_seconds": round(ex.done - ex.after_idle, 3),
        "incidents_cpu_seconds": round(inc.done - inc.after_idle, 3),
        "extractor_cpu_ms_per_article": round(ex_ms, 3),
        "incidents_cpu_ms_per_article": round(inc_ms, 3),
        "fraction": round(inc_ms / ex_ms, 4) if ex_ms else None,
        "target_fraction": TARGET_FRACTION,
        "incidents_idle_cpu_ms_per_article": round(inc_idle_ms, 3),
        "fraction_without_idle": round((inc_ms - inc_idle_ms) / ex_ms, 4) if ex_ms else None,
        "idle_cpu_percent": {k: round(100.0 * c.idle_rate, 2) for k, c in cpu.items()},
        "wall_seconds": {k: round(c.busy_window, 2) for k, c in cpu.items()},
        "peak_rss_mib": {k: round(p / 2**20, 1) if p else None for k, p in peaks.items()},
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_method": "user+system time of each worker process (/proc/<pid>/stat) from the end "
        f"of a {IDLE_SECONDS:g} s idle window after ready to its idle (its group committed all "
        "its input); the incident worker's includes its idle baseline over the run's wall time "
        "(incidents_idle_cpu_ms_per_article)",
    }


def summary(result: dict[str, Any]) -> str:
    """The lines ``wirestream bench --incidents`` prints."""
    r = result
    verdict = "met" if r["fraction"] is not None and r["fraction"] <= TARGET_FRACTION else "NOT met"
    return "\n".join(
        [
            f"articles: {r['articles']} ({r['event_records']} event records, {r['members']} "
            f"members, {r['incident_records']} incident records)",
            f"extractor CPU: {r['extractor_cpu_ms_per_article']:.1f} ms/article "
            f"({r['extractor_cpu_seconds']:.1f} s)",
            f"incident stage CPU: {r['incidents_cpu_ms_per_article']:.2f} ms/article "
            f"({r['incidents_cpu_seconds']:.2f} s; idle baseline "
            f"{r['incidents_idle_cpu_ms_per_article']:.2f} ms/article of it)",
            f"fraction: {100 * (r['fraction'] or 0):.2f} % (target <= "
            f"{100 * TARGET_FRACTION:g} %: {verdict}); without the idle baseline "
            f"{100 * (r['fraction_without_idle'] or 0):.2f} %",
            f"incident worker peak RSS: {r['peak_rss_mib']['incidents']} MiB "
            f"(extractor {r['peak_rss_mib']['extractor']} MiB)",
        ]
    )
