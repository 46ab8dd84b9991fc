"""``wirestream demo``: the whole pipeline on the local default, end to end.

Starts the local Apache Kafka broker (unless ``WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS`` or
``KAFKA_BOOTSTRAP_SERVERS`` names one), creates the declared topics, starts one extractor worker
and the live view (``wirestream worker web``) as real processes, publishes the example articles,
prints every record as it arrives, stops the worker, and ends with the live view's address. The
broker and the live view are left running for further use (``wirestream kafka stop`` stops the
broker; the live view's process id is in ``<work dir>/web.pid``, and the next demo replaces it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wirestream import logs
from wirestream.core import jsonio

if TYPE_CHECKING:
    from wirestream.streaming.settings import KafkaSettings

ROOT = Path(__file__).resolve().parents[3]
DEMO_APP_ID = "wirestream-demo"
"""The demo extractor's app id (its consumer group), whose lag the live view shows."""
DEFAULT_ARTICLES = (ROOT / "tests" / "data" / "seed_article.json",)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "demo",
        help="run the pipeline end to end on the local broker and show the records",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="articles to publish (.txt/.json/.jsonl); default: the example article and one more",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=ROOT / "var" / "demo",
        help="worker state and logs (default var/demo in the checkout)",
    )
    parser.add_argument(
        "--timeout", type=float, default=180.0, help="seconds to wait for the records (default 180)"
    )
    parser.add_argument(
        "--web-port",
        type=int,
        default=6069,
        help="port of the live view on 127.0.0.1 (default 6069)",
    )
    parser.set_defaults(run=run)


def _bootstrap_from_env() -> str | None:
    return os.environ.get("WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS") or os.environ.get(
        "KAFKA_BOOTSTRAP_SERVERS"
    )


def run(args: argparse.Namespace) -> int:
    from wirestream.commands.tail import summary
    from wirestream.core.contracts import Article
    from wirestream.inputs import read_paths
    from wirestream.schemagen import EXAMPLE_ARTICLE
    from wirestream.streaming.provision import ensure_topics
    from wirestream.streaming.settings import KafkaSettings
    from wirestream.testkit.records import publish
    from wirestream.testkit.workers import start_workers

    logs.configure("WARNING")
    bootstrap = _bootstrap_from_env()
    security: str | None = None  # from WIRESTREAM_KAFKA_SECURITY_PROTOCOL
    if bootstrap is None:
        from wirestream.localkafka import LocalBroker, LocalKafkaSettings

        print("1/6 starting the local Kafka broker (first run: Maven fetches the jars) ...")
        status = LocalBroker(LocalKafkaSettings.from_env()).start()
        bootstrap = status.bootstrap_servers
        security = "PLAINTEXT"  # the local broker's listener, whatever the environment says
    else:
        print(f"1/6 using the broker at {bootstrap}")
    kafka = KafkaSettings.from_env(bootstrap_servers=bootstrap, security_protocol=security)

    articles: list[Article] = []
    if args.paths:
        for result in read_paths(args.paths):
            if result.error is not None:
                print(f"    rejected {result.error}", file=sys.stderr)
            elif result.article is not None:
                articles.append(result.article)
    else:
        articles = [r.article for r in read_paths(map(str, DEFAULT_ARTICLES)) if r.article]
        articles.append(Article.model_validate(EXAMPLE_ARTICLE))
    if not articles:
        print("nothing to publish", file=sys.stderr)
        return 1

    print(f"2/6 creating topics with prefix {kafka.topic_prefix!r}")
    asyncio.run(ensure_topics(kafka))

    print("3/6 starting the extractor worker (wirestream worker extractor) ...")
    args.work_dir.mkdir(parents=True, exist_ok=True)
    workers = start_workers(1, kafka, app_id=DEMO_APP_ID, work_dir=args.work_dir)
    try:
        print(f"4/6 starting the live view (wirestream worker web) on port {args.web_port} ...")
        url = start_live_view(kafka, args.work_dir, args.web_port)
        print(f"5/6 publishing {len(articles)} article(s) to {kafka.topic_prefix}articles.raw")
        messages = [(a.id.encode(), jsonio.dumps(a.model_dump(mode="json"))) for a in articles]
        sent = asyncio.run(publish(kafka, messages))
        print("6/6 records arriving:")
        shown = asyncio.run(_show(kafka, [a.id for a in articles], sent, args.timeout, summary))
    finally:
        workers[0].stop()
        print(f"worker stopped (log: {workers[0].log_path}); the broker keeps running.")
    print(f"live view: {url} (keeps running; its log: {args.work_dir / 'web.log'})")
    return shown


def _stop_previous(pid_file: Path) -> None:
    """Stop the live view an earlier demo left running (only if that process is still one)."""
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return
    if b"web" in cmdline and b"worker" in cmdline:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)


def start_live_view(kafka: KafkaSettings, work_dir: Path, port: int) -> str:
    """Start ``wirestream worker web`` for the demo (left running) and wait until it is ready."""
    from wirestream.testkit.workers import WorkerProcess

    pid_file = work_dir / "web.pid"
    _stop_previous(pid_file)
    env = dict(os.environ, **kafka.environment())
    env.update(
        WIRESTREAM_WEB_EXTRACTOR_GROUP=DEMO_APP_ID,
        WIRESTREAM_WEB_WEB_BIND="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    web = WorkerProcess(port, env, work_dir / "web.log", service="web").start()
    pid_file.write_text(str(web.pid))
    web.wait_ready(90)
    return f"http://127.0.0.1:{port}/"


async def _show(
    kafka: KafkaSettings,
    article_ids: list[str],
    sent: dict[bytes, float],
    timeout: float,
    summary: Callable[[bytes], str],
) -> int:
    from wirestream.testkit.records import RecordCollector

    collector = RecordCollector(kafka)
    await collector.start()
    shown: dict[str, int] = {}
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            await collector.poll()
            for key, values in collector.raw_values.items():
                for value in values[shown.get(key, 0) :]:
                    data = jsonio.loads(value)
                    if data.get("article_id") in article_ids or key == "raw_dlq":
                        print("   ", summary(value))
                shown[key] = len(values)
            if not collector.missing(article_ids):
                for article_id in article_ids:
                    done = collector.articles[article_id].completed_at or time.time()
                    took = done - sent.get(article_id.encode(), done)
                    print(f"    {article_id}: all records in {took:.2f}s after publishing")
                return 0
    finally:
        await collector.stop()
    print(f"timed out; still missing: {collector.missing(article_ids)}", file=sys.stderr)
    return 1
