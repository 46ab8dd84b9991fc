"""Read partitions of a state topic back from their beginning to their end, within a time limit.

The extractor's fingerprint and story-version changelogs are read back this way when it is
assigned raw partitions (:mod:`wirestream.extractor.fingerprints`,
:mod:`wirestream.extractor.stories`). With a ``read_committed`` consumer the end is the last
stable offset: entries of aborted transactions never come back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


async def read_to_end(
    make_consumer: Callable[[], AIOKafkaConsumer],
    topic: str,
    partitions: Collection[int],
    on_message: Callable[[Any], None],
    *,
    timeout: float,
) -> bool:
    """Hand every message of ``partitions`` of ``topic`` to ``on_message``, from the beginning
    to the end offsets read at the start; False when ``timeout`` seconds ran out first (what was
    read stays read). The consumer is started here and always stopped; Kafka errors propagate."""
    started = time.monotonic()
    consumer = make_consumer()
    try:
        await consumer.start()
        tps = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        remaining = {tp for tp in tps if ends.get(tp, 0) > 0}
        while remaining:
            left = timeout - (time.monotonic() - started)
            if left <= 0:
                return False
            batches = await consumer.getmany(timeout_ms=int(min(left, 1.0) * 1000))
            for messages in batches.values():
                for message in messages:
                    on_message(message)
            for tp in list(remaining):
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    return True
