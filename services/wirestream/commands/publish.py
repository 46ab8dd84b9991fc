"""``wirestream publish PATH...``: send articles to the raw topic.

The same inputs as ``wirestream extract`` (``.txt``, ``.json``, ``.jsonl``, ``-``): each valid article
is sent as the JSON of the Article (canonical, sorted keys) keyed by its story id (``story_id``, else ``id``: every version of a story goes to
one raw partition); rejected inputs are
reported on standard error and the rest still go out. ``--raw`` sends every line of the files as
it is (no validation, no key) - for trying what the extractor does with bad input.

One bad line never stops the others: a line whose key and value exceed the raw topic's limit
(:data:`~wirestream.core.contracts.MAX_RAW_MESSAGE_BYTES` less :data:`RECORD_OVERHEAD_BYTES`), or
that the broker refuses for good (``MessageSizeTooLargeError`` ...), is reported on standard error
as ``rejected FILE:LINE: reason`` and the rest are still sent; the exit status is 1 when any line
was rejected. Transient broker errors are retried by the producer (aiokafka, idempotent) until
they pass; a broker that cannot be reached at the start is an error naming the address.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.core.contracts import MAX_RAW_MESSAGE_BYTES
from wirestream.errors import EnvironmentNotReadyError
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import BY_KEY, RAW_ARTICLES

IN_FLIGHT = 500
"""Sends outstanding before waiting for acknowledgements."""
RECORD_OVERHEAD_BYTES = 512
"""What Kafka adds to a record's key and value in its batch (header and framing, under 100
bytes), rounded up: a line is sent when key + value + this fits in ``MAX_RAW_MESSAGE_BYTES``."""
MAX_RESENDS = 3
"""How often a send that failed only because another line was refused is tried again."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "publish",
        help="send articles to the raw topic",
        description=(
            "Send articles from .txt, .json and .jsonl files (or '-' for standard input) to the "
            "raw articles topic, keyed by story id (story_id, else the article id). "
            "Rejected inputs (invalid, over the raw "
            "topic's 8 MiB limit, or refused by the broker) are reported on standard error with "
            "file, line and reason; the others are still sent (exit status 1 when any was "
            "rejected). Broker and topic names: WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS, "
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


@dataclass(frozen=True)
class Line:
    """One message to send and where it came from (``file.jsonl:12``), for messages."""

    location: str
    key: bytes | None
    value: bytes


def raw_lines(paths: list[str], rejected: list[str]) -> Iterator[Line]:
    """Every line of the files (``-``: standard input), without its newline, as bytes."""
    for path in paths:
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            rejected.append(path)
            print(f"rejected {path}: cannot read: {exc.strerror}", file=sys.stderr)
            continue
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        name = "<stdin>" if path == "-" else path
        for number, line in enumerate(lines, start=1):
            yield Line(f"{name}:{number}", None, line)


def messages(args: argparse.Namespace, rejected: list[str]) -> Iterator[Line]:
    if args.raw:
        yield from raw_lines(args.paths, rejected)
        return
    from wirestream.inputs import read_paths

    for result in read_paths(args.paths):
        if result.error is not None:
            rejected.append(result.location)
            print(f"rejected {result.error}", file=sys.stderr)
        elif result.article is not None:
            article = result.article
            value = jsonio.dumps(article.model_dump(mode="json", exclude_defaults=True))
            # keyed by story: every version of a story reaches the same raw partition
            yield Line(result.location, article.story.encode("utf-8"), value)


def too_large(line: Line) -> str | None:
    """Why ``line`` cannot go to the raw topic because of its size, or None when it fits."""
    size = len(line.value) + len(line.key or b"")
    if size + RECORD_OVERHEAD_BYTES <= MAX_RAW_MESSAGE_BYTES:
        return None
    return (
        f"{size:,} bytes, over the raw topic's limit of {MAX_RAW_MESSAGE_BYTES:,} bytes "
        f"(max.message.bytes, less {RECORD_OVERHEAD_BYTES} for Kafka's framing): shorten the "
        "article (a body is at most 1,000,000 characters) or its metadata"
    )


class Publisher:
    """Sends lines through an idempotent producer; a line the broker refuses is rejected alone.

    aiokafka retries transient errors itself (with idempotence on, until they pass). A record the
    broker refuses for good (``MessageSizeTooLargeError`` and other non-retriable errors) fails
    its own send; it also leaves the idempotent producer's sequence for that partition broken, so
    the producer is replaced before anything else is sent and the sends that failed only because
    of that (``OutOfOrderSequenceNumber``) are sent again, up to :data:`MAX_RESENDS` times. The
    broker refuses whole batches, so a line refused among others is sent again alone first.
    """

    def __init__(self, kafka: KafkaSettings, topic: str, rejected: list[str]) -> None:
        self.kafka = kafka
        self.topic = topic
        self.rejected = rejected
        self.sent = 0
        self._producer: Any = None
        self._pending: list[Pending] = []
        self._broken = False

    async def start(self) -> None:
        from aiokafka import AIOKafkaProducer

        from wirestream.streaming.connection import check_connection, start_client
        from wirestream.streaming.topics import MAX_REQUEST_BYTES

        await check_connection(self.kafka)
        producer = AIOKafkaProducer(
            **self.kafka.client_options(),
            acks="all",
            enable_idempotence=True,
            max_request_size=MAX_REQUEST_BYTES,
            linger_ms=5,
        )
        await start_client(producer, self.kafka)
        self._producer = producer
        self._broken = False

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    @property
    def must_settle(self) -> bool:
        """True when sends should be awaited now: the window is full or a send was refused."""
        return self._broken or len(self._pending) >= IN_FLIGHT

    def reject(self, line: Line, reason: str) -> None:
        self.rejected.append(line.location)
        print(f"rejected {line.location}: {reason}", file=sys.stderr)

    async def send(self, line: Line, attempt: int = 0, *, alone: bool = False) -> None:
        """Queue ``line``; ``alone`` when nothing else is pending (it gets a batch of its own)."""
        from aiokafka.errors import KafkaError, KafkaTimeoutError

        try:
            future = await self._producer.send(self.topic, value=line.value, key=line.key)
        except KafkaTimeoutError as exc:
            raise EnvironmentNotReadyError(
                f"no metadata for topic {self.topic!r} from {self.kafka.bootstrap_servers} "
                f"({exc}): create the topics with 'wirestream topics create' or check the broker"
            ) from exc
        except KafkaError as exc:
            if exc.retriable:
                raise
            self.reject(line, refusal(exc))
            return
        future.add_done_callback(self._watch)
        self._pending.append(Pending(line, attempt, alone, future))

    def _watch(self, future: asyncio.Future[Any]) -> None:
        if not future.cancelled() and future.exception() is not None:
            self._broken = True

    async def settle(self) -> None:
        """Wait for every pending send; reject refused lines, resend collateral failures.

        The broker refuses a whole batch: a line refused in company is sent again alone, and
        rejected only when it is refused on its own.
        """
        from aiokafka.errors import OutOfOrderSequenceNumber

        solo: deque[Line] = deque()
        while self._pending or solo:
            pending, self._pending = self._pending, []
            results = await asyncio.gather(*(p.future for p in pending), return_exceptions=True)
            again: list[tuple[Line, int]] = []
            for sent, result in zip(pending, results, strict=True):
                if not isinstance(result, BaseException):
                    self.sent += 1
                elif isinstance(result, OutOfOrderSequenceNumber) and sent.attempt < MAX_RESENDS:
                    again.append((sent.line, sent.attempt + 1))
                elif not sent.alone:
                    solo.append(sent.line)
                else:
                    self.reject(sent.line, refusal(result))
            if self._broken:
                await self.stop()
                await self.start()
            for line, attempt in again:
                await self.send(line, attempt)
            if not self._pending and solo:
                await self.send(solo.popleft(), alone=True)


@dataclass(frozen=True)
class Pending:
    """A send awaiting the broker's answer."""

    line: Line
    attempt: int
    alone: bool
    future: asyncio.Future[Any]


def refusal(exc: BaseException) -> str:
    """A rejected line's reason, from the error its send failed with."""
    text = str(exc) or type(exc).__name__
    return (
        f"the broker refused it ({type(exc).__name__}: {text}); the other lines are still sent - "
        "check the topic's max.message.bytes and the line's size"
    )


async def publish(args: argparse.Namespace, kafka: KafkaSettings) -> tuple[int, int]:
    """Send every line; returns (sent, rejected). A broker that cannot be reached raises."""
    from tqdm import tqdm

    topic = topic_name(args.topic, kafka)
    rejected: list[str] = []
    publisher = Publisher(kafka, topic, rejected)
    await publisher.start()
    show = sys.stderr.isatty() and not args.no_progress
    try:
        with tqdm(disable=not show, unit="msg", file=sys.stderr, desc=topic) as bar:
            for line in messages(args, rejected):
                reason = too_large(line)
                if reason is not None:
                    publisher.reject(line, reason)
                    continue
                await publisher.send(line)
                if publisher.must_settle:
                    before = publisher.sent
                    await publisher.settle()
                    bar.update(publisher.sent - before)
            before = publisher.sent
            await publisher.settle()
            bar.update(publisher.sent - before)
    finally:
        await publisher.stop()
    return publisher.sent, len(rejected)


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
