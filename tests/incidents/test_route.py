"""The incident stage's ``route`` step acks a message only once its ``pending`` writes are
acknowledged, without waiting for them before the next message (docs/DELIVERY.md, "Incidents"):
a message whose write failed stays unacked (replayed after a restart) and the failure is raised
at the next message. No broker: the table's changelog acknowledgements are futures the test
resolves (the integration tests run the real worker)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError

from wirestream.core import jsonio
from wirestream.incidents.agents import IncidentService
from wirestream.incidents.app import create_service
from wirestream.incidents.settings import IncidentSettings
from wirestream.streaming.settings import KafkaSettings


class PendingTable(dict[str, Any]):
    """The ``pending`` table: each write's changelog acknowledgement is a future in ``unacked``
    (as :class:`~wirestream.incidents.topics.AckedTable` keeps them), resolved by the test."""

    def __init__(self) -> None:
        super().__init__()
        self.unacked: list[asyncio.Future[None]] = []
        self.writes: list[asyncio.Future[None]] = []

    def _write(self) -> None:
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.unacked.append(ack)
        self.writes.append(ack)

    def __setitem__(self, key: str, value: Any) -> None:
        self._write()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._write()
        super().__delitem__(key)


@dataclass
class Event:
    value: bytes
    acked: bool = False

    def ack(self) -> bool:
        self.acked = True
        return True


def event_record(event_id: str, article_id: str) -> Event:
    """An event record whose article has not arrived: the step writes it to ``pending``."""
    record = {"kind": "event", "id": event_id, "article_id": article_id, "revision": "r1"}
    return Event(jsonio.dumps(record))


@pytest.fixture
def service(tmp_path: Path) -> IncidentService:
    settings = IncidentSettings(data_dir=tmp_path, web_port=6996)
    svc = create_service(settings, KafkaSettings(topic_prefix="test-route."))
    svc.pending = PendingTable()
    return svc


async def step(svc: IncidentService, event: Event) -> None:
    """What ``route`` does for one message."""
    svc.raise_route_failure()
    await svc.on_record(event.value)
    svc.ack_when_written(event)


async def settled() -> None:
    """Let the done callbacks of resolved futures run."""
    for _ in range(3):
        await asyncio.sleep(0)


async def test_a_message_is_acked_once_its_pending_write_is_and_the_next_does_not_wait(
    service: IncidentService,
) -> None:
    table = service.pending
    first, second = event_record("e1", "a1"), event_record("e2", "a2")
    await step(service, first)
    await step(service, second)  # handled while the first write is unacknowledged
    assert len(table.writes) == 2 and "a1" in table and "a2" in table
    await settled()
    assert (first.acked, second.acked) == (False, False)
    table.writes[1].set_result(None)
    await settled()
    assert (first.acked, second.acked) == (False, True)  # faust commits no offset past a gap
    table.writes[0].set_result(None)
    await settled()
    assert first.acked


async def test_a_message_with_no_write_is_acked_at_once(service: IncidentService) -> None:
    skipped = Event(b"not json")
    await step(service, skipped)
    assert skipped.acked and service.skipped == 1


async def test_a_failed_write_leaves_its_message_unacked_and_stops_the_next(
    service: IncidentService,
) -> None:
    table = service.pending
    lost = event_record("e1", "a1")
    await step(service, lost)
    table.writes[0].set_exception(KafkaTimeoutError("the broker never acknowledged"))
    await settled()
    assert lost.acked is False
    following = event_record("e2", "a2")
    with pytest.raises(KafkaTimeoutError):
        await step(service, following)
    assert (following.acked, "a2" in table) == (False, False)
    # After the restart the unacked message is delivered again; the next one goes through.
    await step(service, following)
    table.writes[-1].set_result(None)
    await settled()
    assert following.acked
