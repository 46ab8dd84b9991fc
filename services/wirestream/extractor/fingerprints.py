"""Read the fingerprint changelog back into the near-duplicate index, within a bounded time.

When a worker is assigned raw partitions, it reads the same partitions of
:data:`~wirestream.streaming.topics.EXTRACTOR_FINGERPRINTS` from the beginning up to their last
stable offset (``read_committed``: entries of aborted batches never come back) and remembers each
entry. The changelog is compacted (one entry per article) and expires entries older than the
near-duplicate window, so it stays small; should reading it still take longer than
``timeout`` seconds (``WIRESTREAM_EXTRACTOR_RESTORE_TIMEOUT``, default 10), processing starts with
what was read - near-duplicate marks may then be missed, records are never held back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from wirestream.core.contracts import FingerprintEntry
from wirestream.extractor.dedup import DuplicateIndex
from wirestream.streaming.readback import read_to_end

logger = logging.getLogger(__name__)


async def restore(
    make_consumer: Callable[[], AIOKafkaConsumer],
    topic: str,
    partitions: Collection[int],
    index: DuplicateIndex,
    *,
    timeout: float,
) -> int:
    """Remember every entry of ``partitions`` of ``topic``; returns how many were read."""
    if not partitions or timeout <= 0:
        return 0
    started = time.monotonic()
    read = 0

    def on_message(message: Any) -> None:
        nonlocal read
        read += _remember(index, message.value)

    try:
        complete = await read_to_end(make_consumer, topic, partitions, on_message, timeout=timeout)
        if not complete:
            logger.warning(
                "fingerprint restore stopped at its time limit; near-duplicates of older "
                "articles may go unmarked",
                extra={"read": read, "timeout": timeout},
            )
    except KafkaError as exc:
        logger.warning(
            "fingerprint restore failed (%s: %s); continuing without", type(exc).__name__, exc
        )
    logger.info(
        "fingerprints restored",
        extra={
            "partitions": sorted(partitions),
            "entries": read,
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    return read


async def restore_bounded(
    make_consumer: Callable[[], AIOKafkaConsumer],
    topic: str,
    partitions: Collection[int],
    index: DuplicateIndex,
    *,
    timeout: float,
) -> None:
    """:func:`restore`, given up (with a warning) when the broker fails or time runs out."""
    if not partitions:
        return
    try:
        await asyncio.wait_for(
            restore(make_consumer, topic, partitions, index, timeout=timeout), timeout + 5.0
        )
    except (TimeoutError, KafkaError, OSError) as exc:
        logger.warning("fingerprint restore gave up (%s: %s)", type(exc).__name__, exc)


def _remember(index: DuplicateIndex, value: bytes | None) -> int:
    if not value:
        return 0
    try:
        entry = FingerprintEntry.model_validate_json(value)
    except ValidationError:
        logger.warning("skipping an unreadable fingerprint entry")
        return 0
    index.remember(entry.article_id, entry.fingerprint, entry.timestamp)
    return 1
