"""The incident campaign's Kafka edges (aiokafka): members published to the members topic the way
``route`` sends them (a member at its key's partition, a retraction to every partition), paced or
at once, and the incidents topic read ``read_committed`` from the beginning, latest record per key.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from wirestream.chaos.kafkaio import _assign_all, _consumer, idempotent_producer, pace
from wirestream.core import jsonio
from wirestream.core.incidents.routing import member_partition
from wirestream.incidents.agents import ALL_KEYS
from wirestream.incidents.topics import PROVISIONED
from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import (
    INCIDENT_MEMBERS,
    INCIDENTS,
)
from wirestream_contracts.incidents import IncidentMember, IncidentRecord

log = logging.getLogger(__name__)


async def prepare(kafka: KafkaSettings) -> None:
    """Create the stage's topics (the incident worker's :data:`PROVISIONED`) under
    ``kafka.topic_prefix``."""
    await ensure_topics(kafka, list(PROVISIONED))


def targets(member: IncidentMember, partitions: int) -> list[int]:
    """The members-topic partitions ``route`` sends ``member`` to."""
    if member.partition_key == ALL_KEYS:
        return list(range(partitions))
    return [member_partition(member.partition_key, partitions)]


class MemberPublisher:
    """One idempotent producer (acks=all) to the members topic, patient through a broker stop."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self.topic = INCIDENT_MEMBERS.name(kafka)
        self._producer = idempotent_producer(kafka)
        self.sent = 0

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def send_all(
        self, members: Sequence[IncidentMember], *, rate: float | None, t0: float
    ) -> None:
        """Send ``members`` (member i at ``t0 + i / rate``, monotonic clock; at once without a
        rate) and wait until the broker acknowledged every message."""
        pending = []
        partitions = INCIDENT_MEMBERS.partitions
        for index, member in enumerate(members):
            await pace(t0, index, rate)
            value, key = jsonio.dumps(member), member.partition_key.encode()
            for partition in targets(member, partitions):
                pending.append(
                    await self._producer.send(self.topic, value, key=key, partition=partition)
                )
            self.sent += 1
        await asyncio.gather(*pending)


async def produce_members(kafka: KafkaSettings, members: Sequence[IncidentMember]) -> None:
    """Publish ``members`` at once and wait for the acknowledgements."""
    publisher = MemberPublisher(kafka)
    await publisher.start()
    try:
        await publisher.send_all(members, rate=None, t0=time.monotonic())
    finally:
        await publisher.stop()


class IncidentReader:
    """The incidents topic from the beginning, ``read_committed``, no group: ``latest`` holds the
    last record per key (a tombstone removes its key)."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self.topic = INCIDENTS.name(kafka)
        self.latest: dict[str, IncidentRecord] = {}
        self.count = 0
        self.unreadable = 0
        self._consumer: Any = _consumer(kafka, isolation_level="read_committed")

    async def start(self) -> None:
        await self._consumer.start()
        await _assign_all(self._consumer, [self.topic])

    async def stop(self) -> None:
        await self._consumer.stop()

    async def poll(self, timeout: float = 0.5) -> int:
        """Read what arrived (waiting up to ``timeout`` s); returns how many messages."""
        from aiokafka.errors import KafkaError

        try:
            batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000), max_records=2000)
        except KafkaError as exc:  # the broker is down for a fault: try again later
            log.debug("incident poll failed: %s", exc)
            await asyncio.sleep(timeout)
            return 0
        count = 0
        for messages in batches.values():
            for message in messages:
                self._add(message.key, message.value)
                count += 1
        self.count += count
        return count

    def _add(self, key: bytes | None, value: bytes | None) -> None:
        if value is None:
            if key is not None:
                self.latest.pop(key.decode("utf-8", "replace"), None)
            return
        try:
            record = IncidentRecord.model_validate_json(value)
        except ValueError:
            self.unreadable += 1
            return
        self.latest[key.decode("utf-8", "replace") if key else record.id] = record
