"""``wirestream bench --kafka``: end to end through a broker with 1 and 2 extractor workers.

Uses the extractor's own harness (:mod:`wirestream.testkit`): real worker processes, the
publisher that records send times, and the collector that knows when an article is complete (its
article record and every entity, quote and event record its counts announce).

For each worker count, on fresh topics (a unique prefix) and a fresh consumer group:

1. *Maximum rate*: publish every article at once; throughput = articles / (last completion - first
   send).
2. *Latency*: publish the first :data:`LATENCY_ARTICLES` texts again under new ids (so they are
   new articles, with new record ids) at ``fraction`` (default 0.5) of the rate measured in step
   1; latency per article = arrival of its last record - its send time (both ``time.time()`` on
   this machine).

Before both, bare spaCy runs in two processes at once over the same texts (no Kafka): on a
two-core machine that also hosts the broker, this is the ceiling for the two-worker run.

Peak memory per worker is its ``VmHWM`` (Linux high-water mark of RSS) after both steps. The broker
is ``$WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS`` (or ``$KAFKA_BOOTSTRAP_SERVERS``), default
127.0.0.1:9092 as started by ``wirestream kafka start``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.errors import EnvironmentNotReadyError
from wirestream.evaluation import report
from wirestream.evaluation.bench import percentile, run_concurrent_spacy

WORKER_COUNTS = (1, 2)
DEFAULT_FRACTION = 0.5
COMPLETION_TIMEOUT = 900.0
LATENCY_ARTICLES = 300
"""The latency run paces at most this many articles (the first ones): at half the maximum rate a
thousand articles would take minutes more and add nothing to p50/p99."""


def _messages(articles: Sequence[Article], suffix: str) -> list[tuple[bytes, bytes]]:
    out = []
    for article in articles:
        data = article.model_dump(mode="json", exclude_none=True)
        data["id"] = f"{article.id}{suffix}"
        out.append((data["id"].encode(), jsonio.dumps(data)))
    return out


async def _publish_and_collect(
    kafka: Any, messages: list[tuple[bytes, bytes]], rate: float | None, workers: Sequence[Any]
) -> tuple[dict[bytes, float], dict[str, float], list[str]]:
    """Publish (at ``rate``/s, or as fast as possible) while collecting; returns send times,
    completion times by article id, and the ids that never completed. Raises when a worker
    exits before the articles are complete."""
    from wirestream.testkit.records import RecordCollector, publish

    ids = [key.decode() for key, _ in messages]
    collector = RecordCollector(kafka)
    await collector.start()
    try:
        sending = asyncio.create_task(publish(kafka, list(messages), rate=rate))
        deadline = time.monotonic() + COMPLETION_TIMEOUT
        while time.monotonic() < deadline:
            await collector.poll(0.2)
            if sending.done() and not collector.missing(ids):
                break
            if not all(worker.alive() for worker in workers):
                sending.cancel()
                raise EnvironmentNotReadyError(
                    "an extractor worker exited during the benchmark (was it stopped from "
                    "outside?); see the worker logs"
                )
        sent = await sending
        missing = collector.missing(ids)
    finally:
        await collector.stop()
    done = {
        i: p.completed_at
        for i, p in collector.articles.items()
        if i in set(ids) and p.completed_at is not None
    }
    return sent, done, missing


def _run_workers(count: int, articles: Sequence[Article], fraction: float) -> dict[str, Any]:
    from wirestream.streaming.provision import ensure_topics
    from wirestream.streaming.settings import KafkaSettings
    from wirestream.testkit.workers import start_workers

    base = KafkaSettings.from_env()
    tag = f"bench-{uuid.uuid4().hex[:8]}-w{count}"
    kafka = base.model_copy(update={"topic_prefix": f"{tag}."})
    asyncio.run(ensure_topics(kafka, timeout=20.0))
    with tempfile.TemporaryDirectory(prefix=f"wirestream-{tag}-") as work:
        workers = start_workers(count, kafka, app_id=tag, work_dir=Path(work))
        try:
            print(f"kafka: {count} worker(s) ready; maximum rate run", file=sys.stderr)
            sent, done, missing = asyncio.run(
                _publish_and_collect(kafka, _messages(articles, "#max"), None, workers)
            )
            if missing:
                raise EnvironmentNotReadyError(
                    f"{len(missing)} articles never completed with {count} worker(s); see the "
                    f"worker logs in {work}"
                )
            elapsed = max(done.values()) - min(sent.values())
            max_rate = len(articles) / elapsed
            rate = max_rate * fraction
            print(
                f"kafka: {count} worker(s): {max_rate:.2f} articles/s; latency run at {rate:.2f}/s",
                file=sys.stderr,
            )
            paced = _messages(articles[:LATENCY_ARTICLES], "#lat")
            sent2, done2, missing2 = asyncio.run(_publish_and_collect(kafka, paced, rate, workers))
            latencies = [done2[k.decode()] - t for k, t in sent2.items() if k.decode() in done2]
            peaks = [w.peak_rss_bytes() for w in workers]
        finally:
            for worker in workers:
                worker.stop(timeout=30)
    return {
        "workers": count,
        "topic_prefix": kafka.topic_prefix,
        "max_rate_articles_per_second": round(max_rate, 3),
        "max_rate_seconds": round(elapsed, 3),
        "latency_rate_articles_per_second": round(rate, 3),
        "latency_fraction_of_max": fraction,
        "latency_seconds": {
            "p50": round(percentile(latencies, 50), 3),
            "p90": round(percentile(latencies, 90), 3),
            "p99": round(percentile(latencies, 99), 3),
            "max": round(max(latencies, default=0.0), 3),
            "n": len(latencies),
        },
        "latency_incomplete": len(missing2),
        "latency_samples": [round(x, 4) for x in latencies],
        "peak_rss_mib_per_worker": [round(p / 2**20, 1) if p else None for p in peaks],
    }


def run(
    articles: Sequence[Article],
    out: Path,
    *,
    spacy_rate: float,
    fraction: float = DEFAULT_FRACTION,
) -> dict[str, Any]:
    """Both worker counts, read against ``spacy_rate`` (bare spaCy, one process, measured in the
    same run) and against bare spaCy in as many processes at once as the most workers (the
    machine's own ceiling: the broker, publisher and collector share its cores too). Returns the
    numbers, the Markdown rows and the chart file names."""
    most = max(WORKER_COUNTS)
    print(f"kafka: bare spaCy in {most} processes at once (the scale-out ceiling)", file=sys.stderr)
    ceiling = run_concurrent_spacy(list(articles), processes=most)
    runs = [_run_workers(n, articles, fraction) for n in WORKER_COUNTS]
    one_worker = runs[0]["max_rate_articles_per_second"]
    for r in runs:
        rate = r["max_rate_articles_per_second"]
        r["ratio_per_worker_to_bare_spacy"] = (
            round(rate / r["workers"] / spacy_rate, 3) if spacy_rate else None
        )
        r["ratio_to_one_worker"] = round(rate / one_worker, 3) if one_worker else None
    header, rows = _table(runs, ceiling, spacy_rate, fraction, most)
    _charts(out, runs, len(articles), fraction)
    return {
        "runs": runs,
        "bare_spacy_articles_per_second": spacy_rate,
        "concurrent_bare_spacy": ceiling,
        "articles": len(articles),
        "header": header,
        "rows": rows,
        "charts": ["bench-kafka-throughput.png", "bench-kafka-latency.png"],
    }


def _table(
    runs: list[dict[str, Any]],
    ceiling: dict[str, Any],
    spacy_rate: float,
    fraction: float,
    most: int,
) -> tuple[list[str], list[list[str]]]:
    """The Markdown table's header and rows: each worker count, then the bare-spaCy ceiling."""
    header = [
        "Kafka end to end",
        "max articles/s",
        "per worker x bare spaCy",
        "x 1 worker",
        f"latency p50/p90/p99 (s) at {fraction:.0%} of max",
        "peak RSS per worker (MiB)",
    ]
    rows = []
    for r in runs:
        lat = r["latency_seconds"]
        rows.append(
            [
                f"{r['workers']} worker(s)",
                f"{r['max_rate_articles_per_second']:.2f}",
                f"{r['ratio_per_worker_to_bare_spacy']:.2f}",
                f"{r['ratio_to_one_worker']:.2f}",
                f"{lat['p50']:.2f} / {lat['p90']:.2f} / {lat['p99']:.2f}",
                ", ".join(f"{p:.0f}" for p in r["peak_rss_mib_per_worker"] if p is not None),
            ]
        )
    total = ceiling["articles_per_second_total"]
    rows.append(
        [
            f"bare spaCy, {most} processes at once (no Kafka)",
            f"{total:.2f}",
            f"{total / most / spacy_rate:.2f}" if spacy_rate else "",
            f"{total / spacy_rate:.2f} (x 1 process)" if spacy_rate else "",
            "",
            "",
        ]
    )
    return header, rows


def _charts(out: Path, runs: list[dict[str, Any]], n_articles: int, fraction: float) -> None:
    """The throughput and latency charts in ``out``."""
    report.panels(
        out / "bench-kafka-throughput.png",
        f"Kafka end to end ({n_articles} articles)",
        {
            "max articles/s": {
                f"{r['workers']} worker(s)": r["max_rate_articles_per_second"] for r in runs
            },
            f"p50 latency (s) at {fraction:.0%}": {
                f"{r['workers']} worker(s)": r["latency_seconds"]["p50"] for r in runs
            },
            f"p99 latency (s) at {fraction:.0%}": {
                f"{r['workers']} worker(s)": r["latency_seconds"]["p99"] for r in runs
            },
        },
        value_format="{:.2f}",
    )
    report.histogram(
        out / "bench-kafka-latency.png",
        f"Publish to last record, at {fraction:.0%} of the maximum rate",
        {f"{r['workers']} worker(s)": r["latency_samples"] for r in runs},
        "seconds",
    )
