"""``wirestream publish PATH...``: send articles to the raw topic.

The same inputs as ``wirestream extract`` (``.txt``, ``.json``, ``.jsonl``, ``-``): each valid article
is sent as the JSON of the Article (canonical, sorted keys) keyed by its id; rejected inputs are
reported on standard error and the rest still go out. ``--raw`` sends every line of the files as
it is (no validation, no key) - for trying what the extractor does with bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

from wirestream.core import jsonio
from wirestream.errors import EnvironmentNotReadyError, InputError
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import BY_KEY, RAW_ARTICLES

IN_FLIGHT = 500
"""Sends outstanding before waiting for acknowledgements."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "publish",
        help="send articles to the raw topic",
        description=(
            "Send articles from .txt, .json and .jsonl files (or '-' for standard input) to the "
            "raw articles topic, keyed by article id. Rejected inputs are reported on standard "
            "error with file, line and reason; the others are still sent (exit status 1 when any "
            "was rejected). Broker and topic names: WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS, "
            "WIRESTREAM_KAFKA_TOPIC_PREFIX."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or - for standard input")
    parser.add_argument(
        "--raw",
        action="store_true",
        help="send each line's bytes as they are, without a key or any validation",
    )
    parser.add_argument(
        "--topic",
        default=RAW_ARTICLES.key,
        help="declared topic key or full topic name (default: raw)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def topic_name(value: str, kafka: KafkaSettings) -> str:
    """A declared topic key (``raw``, ``entities`` ...) → its deployed name; anything else as is."""
    spec = BY_KEY.get(value)
    return spec.name(kafka) if spec is not None else value


def raw_lines(paths: list[str]) -> Iterator[bytes]:
    """Every line of the files (``-``: standard input), without its newline, as bytes."""
    for path in paths:
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            print(f"rejected {path}: cannot read: {exc.strerror}", file=sys.stderr)
            continue
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        yield from lines


def messages(
    args: argparse.Namespace, rejected: list[InputError]
) -> Iterator[tuple[bytes | None, bytes]]:
    if args.raw:
        for line in raw_lines(args.paths):
            yield None, line
        return
    from wirestream.inputs import read_paths

    for result in read_paths(args.paths):
        if result.error is not None:
            rejected.append(result.error)
            print(f"rejected {result.error}", file=sys.stderr)
        elif result.article is not None:
            article = result.article
            value = jsonio.dumps(article.model_dump(mode="json", exclude_defaults=True))
            yield article.id.encode("utf-8"), value


async def publish(args: argparse.Namespace, kafka: KafkaSettings) -> tuple[int, int]:
    from aiokafka import AIOKafkaProducer
    from aiokafka.errors import KafkaConnectionError
    from tqdm import tqdm

    from wirestream.streaming.faustapp import MAX_REQUEST_BYTES

    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=MAX_REQUEST_BYTES,
        linger_ms=5,
    )
    try:
        await producer.start()
    except KafkaConnectionError as exc:
        await producer.stop()
        raise EnvironmentNotReadyError(
            f"no broker at {kafka.bootstrap_servers} ({exc}): start one with 'wirestream kafka "
            "start' or set WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"
        ) from exc
    topic = topic_name(args.topic, kafka)
    rejected: list[InputError] = []
    sent = 0
    show = sys.stderr.isatty() and not args.no_progress
    try:
        with tqdm(disable=not show, unit="msg", file=sys.stderr, desc=topic) as bar:
            pending: list[asyncio.Future[object]] = []
            for key, value in messages(args, rejected):
                pending.append(await producer.send(topic, value=value, key=key))
                sent += 1
                if len(pending) >= IN_FLIGHT:
                    await asyncio.gather(*pending)
                    bar.update(len(pending))
                    pending.clear()
            await asyncio.gather(*pending)
            bar.update(len(pending))
    finally:
        await producer.stop()
    return sent, len(rejected)


def run(args: argparse.Namespace) -> int:
    from wirestream import logs

    logs.configure("WARNING")
    kafka = KafkaSettings.from_env()
    sent, rejected = asyncio.run(publish(args, kafka))
    print(
        f"published {sent} message(s) to {topic_name(args.topic, kafka)}"
        + (f"; {rejected} input(s) rejected" if rejected else ""),
        file=sys.stderr,
    )
    return 1 if rejected else 0
