"""``wirestream topics create|list``: provision the declared topics on a broker, or show them.

Every topic comes from :data:`wirestream.streaming.topics.ALL_TOPICS` (name = prefix + suffix,
partitions, retention, compaction, maximum message size). ``create`` is idempotent: topics that
exist are left as they are (a partition count lower than declared is reported, not changed).
It is the one-shot ``topics`` service of docker-compose.yml.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirestream import logs

if TYPE_CHECKING:
    from wirestream.streaming.settings import KafkaSettings

DESCRIPTION = (
    "Create every topic Wirestream declares (wirestream.streaming.topics) with its partitions and "
    "configuration (cleanup.policy, retention.ms, max.message.bytes), or list them with their "
    "state on the broker. `create` leaves existing topics alone and succeeds when they all exist; "
    "it waits up to --timeout seconds for the broker to answer. The broker is "
    "--bootstrap-servers, else WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS (or KAFKA_BOOTSTRAP_SERVERS), "
    "else 127.0.0.1:9092; names are WIRESTREAM_KAFKA_TOPIC_PREFIX (default 'wirestream.') plus "
    "each topic's suffix; replicas WIRESTREAM_KAFKA_REPLICATION_FACTOR (default 1). TLS and SASL "
    "come from WIRESTREAM_KAFKA_SECURITY_PROTOCOL, _SASL_MECHANISM, _SASL_USERNAME, "
    "_SASL_PASSWORD and _SSL_CAFILE (docs/OPERATIONS.md)."
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "topics",
        help="create (idempotently) or list the declared Kafka topics",
        description=DESCRIPTION,
    )
    parser.add_argument("action", choices=("create", "list"))
    parser.add_argument(
        "--bootstrap-servers",
        default=None,
        metavar="HOST:PORT",
        help="broker(s) (default: WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds to wait for the broker to answer (default 60)",
    )
    parser.set_defaults(run=run)


@dataclass(frozen=True)
class TopicState:
    """A declared topic and what the broker has."""

    name: str
    declared_partitions: int
    partitions: int | None
    """None when the topic does not exist on the broker."""
    config: dict[str, str]


async def describe(kafka: KafkaSettings, timeout: float) -> list[TopicState]:
    """The state of every declared topic on the broker (one metadata round trip)."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import KafkaError

    from wirestream.errors import EnvironmentNotReadyError
    from wirestream.streaming.connection import check_connection
    from wirestream.streaming.topics import ALL_TOPICS

    bootstrap_servers = kafka.bootstrap_servers
    await check_connection(kafka)
    admin = AIOKafkaAdminClient(
        **kafka.client_options(), request_timeout_ms=int(max(1.0, timeout) * 1000)
    )
    try:
        await admin.start()
        names = [spec.name(kafka) for spec in ALL_TOPICS]
        existing = set(await admin.list_topics())
        described = await admin.describe_topics([n for n in names if n in existing])
    except (KafkaError, OSError) as exc:
        raise EnvironmentNotReadyError(
            f"no Kafka broker answered on {bootstrap_servers} ({exc!r}): start one with "
            "`wirestream kafka start` or set WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"
        ) from exc
    finally:
        await admin.close()
    partitions = {
        t["topic"]: len(t.get("partitions", [])) for t in described if t.get("error_code") == 0
    }
    return [
        TopicState(
            name=spec.name(kafka),
            declared_partitions=spec.partitions,
            partitions=partitions.get(spec.name(kafka)),
            config=spec.config(),
        )
        for spec in ALL_TOPICS
    ]


def _kafka(args: argparse.Namespace) -> KafkaSettings:
    """The ``WIRESTREAM_KAFKA_*`` settings, with ``--bootstrap-servers`` when given."""
    from wirestream.streaming.settings import KafkaSettings

    return KafkaSettings.from_env(bootstrap_servers=args.bootstrap_servers)


def run(args: argparse.Namespace) -> int:
    logs.configure("WARNING")
    # aiokafka logs each refused connection; the command reports the outcome itself.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    kafka = _kafka(args)
    if args.action == "create":
        return asyncio.run(_create(kafka, args.timeout))
    return asyncio.run(_list(kafka, args.timeout))


async def _create(kafka: KafkaSettings, timeout: float) -> int:
    from wirestream.streaming.provision import ensure_topics

    bootstrap = kafka.bootstrap_servers
    created = set(await ensure_topics(kafka, timeout=timeout))
    # Metadata of new topics reaches every listener a moment after CreateTopics returns.
    deadline = time.monotonic() + timeout
    states = await describe(kafka, timeout)
    while any(s.partitions is None for s in states) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        states = await describe(kafka, timeout)
    status = 0
    for state in states:
        if state.partitions is None:
            print(f"missing  {state.name}: not visible after creation", file=sys.stderr)
            status = 1
        elif state.name in created:
            print(f"created  {state.name} ({_count(state.partitions)})")
        else:
            note = ""
            if state.partitions < state.declared_partitions:
                note = (
                    f"; declared {state.declared_partitions} - add partitions with "
                    "kafka-topics.sh --alter if you need them"
                )
            print(f"exists   {state.name} ({_count(state.partitions)}{note})")
    print(f"{len(created)} created, {len(states) - len(created)} already there, on {bootstrap}")
    return status


def _count(partitions: int) -> str:
    return f"{partitions} partition" + ("" if partitions == 1 else "s")


async def _list(kafka: KafkaSettings, timeout: float) -> int:
    states = await describe(kafka, timeout)
    width = max(len(s.name) for s in states)
    print(f"{'TOPIC':<{width}}  PARTITIONS  DECLARED  CONFIG")
    for state in states:
        have = "missing" if state.partitions is None else str(state.partitions)
        config = " ".join(f"{k}={v}" for k, v in sorted(state.config.items()))
        print(f"{state.name:<{width}}  {have:<10}  {state.declared_partitions:<8}  {config}")
    return 0
