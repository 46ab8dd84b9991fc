"""The aiokafka clients of the exactly-once loops (the extractor's and the copies stage's).

- :func:`group_consumer` - a member of the loop's consumer group that reads ``read_committed``,
  never auto-commits (offsets go in the transactions) and starts at the earliest offset; its
  heartbeat is a tenth of the session timeout (at least 1 s);
- :func:`transactional_producer` - a producer with the partition's transactional id (a new owner
  fences the previous one) and a 10 ms linger (a message's records go in one request);
- :func:`state_reader` - a group-less ``read_committed`` consumer that reads a state topic back.

Fetch and request sizes are raised to :data:`~wirestream.streaming.topics.MAX_REQUEST_BYTES`, so
every message the topics accept can be sent and fetched.
"""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import MAX_REQUEST_BYTES

PRODUCER_LINGER_MS = 10
"""The producers wait this long to fill a batch (an article's dozen records go in one request)."""


def group_consumer(
    kafka: KafkaSettings, group_id: str, session_timeout: float, **options: Any
) -> AIOKafkaConsumer:
    """The loop's consumer in ``group_id`` (``options`` are passed to aiokafka last)."""
    session_ms = int(session_timeout * 1000)
    return AIOKafkaConsumer(
        **kafka.client_options(),
        group_id=group_id,
        client_id=f"{group_id}-consumer",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        session_timeout_ms=session_ms,
        heartbeat_interval_ms=max(1000, session_ms // 10),
        max_partition_fetch_bytes=MAX_REQUEST_BYTES,
        **options,
    )


def transactional_producer(
    kafka: KafkaSettings, transactional_id: str, transaction_timeout: float, **options: Any
) -> AIOKafkaProducer:
    """A producer with ``transactional_id`` (``options`` are passed to aiokafka last)."""
    return AIOKafkaProducer(
        **kafka.client_options(),
        client_id=transactional_id,
        transactional_id=transactional_id,
        transaction_timeout_ms=int(transaction_timeout * 1000),
        max_request_size=MAX_REQUEST_BYTES,
        linger_ms=PRODUCER_LINGER_MS,
        **options,
    )


def state_reader(kafka: KafkaSettings, client_id: str) -> AIOKafkaConsumer:
    """A group-less ``read_committed`` consumer for reading a state topic back."""
    return AIOKafkaConsumer(
        **kafka.client_options(),
        client_id=client_id,
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=MAX_REQUEST_BYTES,
    )
