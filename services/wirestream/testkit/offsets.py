"""Consumer-group offsets, for tests that must know a worker has handled everything.

"Nothing more arrived" is proved by offsets, not by a sleep: when a worker's group has committed
up to the end of every topic it reads, everything it will ever make of that input has been sent
(every Wirestream worker commits an offset only after its outputs are sent, or in the same
transaction), so reading the output topics to their end shows all of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from wirestream.streaming.isolation import ISOLATION_LEVEL
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.waiting import WaitTimeout, async_wait_until


async def partitions(kafka: KafkaSettings, topics: Iterable[str]) -> list[TopicPartition]:
    """Every partition of ``topics`` (a topic that does not exist has none)."""
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], part["partition"])
        for topic in described
        if topic.get("error_code", 0) == 0
        for part in topic["partitions"]
    ]


async def end_offsets(kafka: KafkaSettings, topics: Iterable[str]) -> dict[TopicPartition, int]:
    """The end of every partition of ``topics`` as a ``read_committed`` reader sees it (the last
    stable offset)."""
    tps = await partitions(kafka, topics)
    if not tps:
        return {}
    consumer = AIOKafkaConsumer(**kafka.client_options(), isolation_level=ISOLATION_LEVEL)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(tps))
    finally:
        await consumer.stop()


async def committed_offsets(kafka: KafkaSettings, group: str) -> dict[TopicPartition, int]:
    """What ``group`` has committed, by partition (empty when it has committed nothing)."""
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}


async def wait_group_caught_up(
    kafka: KafkaSettings,
    group: str,
    topics: Iterable[str],
    timeout: float = 90.0,
    *,
    detail: Callable[[], str] | None = None,
) -> dict[TopicPartition, int]:
    """Until ``group`` has committed up to the current end of every non-empty partition of
    ``topics``; returns those ends. Raises :class:`WaitTimeout` saying what is behind."""
    names = list(topics)
    ends = {tp: end for tp, end in (await end_offsets(kafka, names)).items() if end > 0}
    if not ends:
        raise WaitTimeout(f"nothing to wait for: every partition of {names} is empty")
    behind: dict[TopicPartition, tuple[int, int]] = {}

    async def caught_up() -> bool:
        done = await committed_offsets(kafka, group)
        behind.clear()
        behind.update(
            {tp: (done.get(tp, -1), end) for tp, end in ends.items() if done.get(tp, -1) < end}
        )
        return not behind

    try:
        await async_wait_until(
            f"group {group} to commit up to {len(ends)} partition ends",
            caught_up,
            timeout,
            interval=0.3,
            detail=detail,
        )
    except WaitTimeout as exc:
        lag = {f"{tp.topic}[{tp.partition}]": f"{c}/{e}" for tp, (c, e) in behind.items()}
        raise WaitTimeout(f"{exc}\nbehind (committed/end): {lag}") from None
    return ends


def wait_group_caught_up_sync(
    kafka: KafkaSettings, group: str, topics: Iterable[str], timeout: float = 90.0
) -> dict[TopicPartition, int]:
    """:func:`wait_group_caught_up` for code outside an event loop."""
    return asyncio.run(wait_group_caught_up(kafka, group, topics, timeout))


async def rewind(kafka: KafkaSettings, group: str, topics: Iterable[str]) -> None:
    """Commit offset 0 for every partition of ``topics`` in ``group`` (an operator's offset
    reset; the group must have no active member)."""
    tps = await partitions(kafka, topics)
    consumer = AIOKafkaConsumer(**kafka.client_options(), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(tps)
        await consumer.commit({tp: 0 for tp in tps})
    finally:
        await consumer.stop()
