"""A fetched batch, as the extractor's loop takes it from its consumer (no Kafka client here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wirestream.extractor.processing import Incoming
from wirestream.streaming.deadletters import headers_of_message, source_position


@dataclass
class Fetched:
    """A batch as taken from the consumer: messages grouped by partition, with the partition's
    generation at the time (a reset or a new assignment changes it and voids the batch)."""

    messages: dict[int, list[Incoming]]
    generations: dict[int, int]

    def all(self) -> list[Incoming]:
        return [m for p in sorted(self.messages) for m in self.messages[p]]


def increasing(records: list[Any]) -> list[Any]:
    """The last run of strictly increasing offsets (a seek back mid-batch restarts the run)."""
    start = 0
    for index in range(1, len(records)):
        if records[index].offset <= records[index - 1].offset:
            start = index
    return records[start:]


def incoming(record: Any) -> Incoming:
    """An aiokafka ``ConsumerRecord`` as the processor's :class:`Incoming` (timestamp in s; the
    source position keeps Kafka's milliseconds as they are)."""
    return Incoming(
        value=bytes(record.value or b""),
        source=source_position(
            record.topic, record.partition, record.offset, record.key, timestamp_ms=record.timestamp
        ),
        key=record.key,
        timestamp=record.timestamp / 1000.0,
        headers=tuple(headers_of_message(record)),
    )
