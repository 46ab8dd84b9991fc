"""``wirestream tail TOPIC``: show what arrives on a topic, pretty or as raw JSON lines.

TOPIC is a declared key (``raw``, ``raw_dlq``, ``articles``, ``entities``, ``quotes``, ``events``,
``alerts``, ``alerts_dlq``) or a full topic name. Reads every partition without joining a
consumer group, so tailing never disturbs the services, and reads committed messages only: records
of a transaction the extractor aborted never show (``read_committed``; messages written outside
transactions show as soon as they are written).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from wirestream.core import jsonio
from wirestream.errors import ConfigurationError
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import BY_KEY


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "tail",
        help="print the messages of a topic as they arrive",
        description=(
            "Print messages of TOPIC (a declared key such as entities, quotes, events, articles, "
            "raw_dlq, alerts - or a full topic name): one-line summaries by default, or each "
            "message's JSON on its own line with --json (for jq)."
        ),
    )
    parser.add_argument("topic", metavar="TOPIC", help=", ".join(BY_KEY) + " or a topic name")
    parser.add_argument("--json", action="store_true", help="print raw JSON lines")
    parser.add_argument(
        "--from-beginning", action="store_true", help="start at the oldest message (default: new)"
    )
    parser.add_argument("--max", type=int, default=None, metavar="N", help="stop after N messages")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="stop after S seconds without a new message (default: run until Ctrl-C)",
    )
    parser.set_defaults(run=run)


def _short(text: str | None, width: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _names(participants: list[dict[str, Any]]) -> str:
    return ", ".join(p.get("name", "?") for p in participants) or "-"


def summary(value: bytes) -> str:
    """One line describing a message value (any JSON; non-JSON shown as its size)."""
    try:
        data = jsonio.loads(value)
    except ValueError:
        return f"(not JSON, {len(value)} bytes)"
    if not isinstance(data, dict):
        return _short(value.decode("utf-8", "replace"), 100)
    kind = data.get("kind")
    art = data.get("article_id", "")
    if kind == "article":
        dup = data.get("duplicate_of")
        counts = data.get("counts", {})
        return (
            f"article  {art}  {_short(data.get('title'), 50)!r}  "
            f"{counts.get('entities', 0)} entities, {counts.get('quotes', 0)} quotes, "
            f"{counts.get('events', 0)} events"
            + (f"  duplicate of {dup} ({data.get('duplicate_similarity')})" if dup else "")
        )
    if kind == "entity":
        return (
            f"entity   {art}  {data.get('type', '?'):<12} {data.get('name')}  "
            f"({len(data.get('mentions', []))} mentions)"
        )
    if kind == "quote":
        speaker = (data.get("speaker") or {}).get("name", "?")
        return f"quote    {art}  {speaker}: “{_short(data.get('text'), 60)}”"
    if kind == "event":
        location = (data.get("location") or {}).get("name")
        return (
            f"event    {art}  {data.get('type')}  {_names(data.get('actors', []))} → "
            f"{_names(data.get('recipients', []))}" + (f" @ {location}" if location else "")
        )
    if kind == "dead_letter":
        source = data.get("source", {})
        return (
            f"dead     {source.get('topic')}[{source.get('partition')}]@{source.get('offset')}  "
            f"{data.get('stage')}: {data.get('error_type')}: {_short(data.get('error_message'))}"
        )
    if "body" in data:
        return f"raw      {data.get('id', '?')}  {_short(data.get('title') or data.get('body'))}"
    return f"{kind or 'message'}  {_short(value.decode('utf-8', 'replace'), 90)}"


async def _assign(consumer: Any, topic: str, *, from_beginning: bool) -> None:
    """Assign every partition of ``topic`` to ``consumer``, at the beginning or the end."""
    from aiokafka import TopicPartition

    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        await consumer._client.force_metadata_update()
        partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        raise ConfigurationError(
            f"topic {topic!r} does not exist: start the worker (it creates the topics) or "
            "check WIRESTREAM_KAFKA_TOPIC_PREFIX"
        )
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(tps)
    if from_beginning:
        await consumer.seek_to_beginning(*tps)
    else:
        await consumer.seek_to_end(*tps)


async def tail(args: argparse.Namespace, kafka: KafkaSettings) -> int:
    from aiokafka import AIOKafkaConsumer

    from wirestream.streaming.isolation import ISOLATION_LEVEL
    from wirestream.streaming.topics import MAX_REQUEST_BYTES

    spec = BY_KEY.get(args.topic)
    topic = spec.name(kafka) if spec is not None else args.topic
    from wirestream.streaming.connection import check_connection, start_client

    await check_connection(kafka)
    consumer = AIOKafkaConsumer(
        **kafka.client_options(),
        enable_auto_commit=False,
        max_partition_fetch_bytes=MAX_REQUEST_BYTES,
        group_id=None,
        isolation_level=ISOLATION_LEVEL,
    )
    await start_client(consumer, kafka)
    seen = 0
    out = sys.stdout.buffer
    try:
        await _assign(consumer, topic, from_beginning=args.from_beginning)
        while args.max is None or seen < args.max:
            timeout_ms = int(args.timeout * 1000) if args.timeout is not None else 1000
            batches = await consumer.getmany(timeout_ms=timeout_ms, max_records=100)
            if not batches:
                if args.timeout is not None:
                    break
                continue
            for messages in batches.values():
                for message in messages:
                    value = message.value or b""
                    out.write(value if args.json else summary(value).encode("utf-8"))
                    out.write(b"\n")
                    seen += 1
                    if args.max is not None and seen >= args.max:
                        break
                if args.max is not None and seen >= args.max:
                    break
            out.flush()
    finally:
        await consumer.stop()
    return 0


def run(args: argparse.Namespace) -> int:
    from wirestream import logs

    logs.configure("WARNING")
    try:
        return asyncio.run(tail(args, KafkaSettings.from_env()))
    except BrokenPipeError:
        return 0
