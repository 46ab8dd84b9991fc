"""Leave the consumer group at once on a graceful stop, even in the middle of a rebalance.

aiokafka's ``AIOKafkaConsumer.stop()`` closes its group coordinator, which first waits for the
coordination task to finish its pending work and only then sends LeaveGroup. During a rebalance
that task is waiting for the JoinGroup (or SyncGroup) response, and the broker holds it until
every member of the old generation has joined again or its session has expired. So a worker
stopped while another member of its group is dead (SIGKILLed, its host gone) waits up to that
member's session timeout (60 s) before it can leave; its supervisor kills it first, and the group
has a second dead session to wait out before any partition moves (seen in the incident chaos
test, issue 16: two dead sessions, about two minutes without progress).

:func:`leave_group` does what ``close()`` does without that wait: it tells the coordinator it
is closing, gives the coordination task :data:`LEAVE_GRACE` seconds to finish on its own (it does
at once unless a request is held by the broker), cancels it otherwise, stops the heartbeat and
commit-refresh tasks and sends LeaveGroup. A cancelled JoinGroup is still pending on the
coordination connection, and a broker answers a connection's requests in order, so the LeaveGroup
goes over the client's default connection to the same broker. The broker then completes the
rebalance without this member. The consumer's own ``stop()`` afterwards closes the fetcher and
the client (its coordinator close returns at once). Used by every Wirestream group consumer:
faust's consumer thread (:mod:`wirestream.streaming.fausthooks`), the extractor's and copies
stage's loops, the archiver's and the live view's consumers (:func:`stop_consumer`).

The aiokafka internals it uses are checked by
:func:`wirestream.streaming.fausthooks.check_faust_hooks` (pinned aiokafka 0.14.0).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiokafka
from aiokafka.client import ConnectionGroup
from aiokafka.consumer.group_coordinator import GroupCoordinator
from aiokafka.errors import KafkaError
from aiokafka.protocol.group import LeaveGroupRequest

logger = logging.getLogger(__name__)

LEAVE_GRACE = 1.0
"""Seconds the coordination task gets to finish on its own once told the consumer is closing;
it needs none unless the broker is holding one of its requests (a rebalance in progress)."""

LEAVE_TIMEOUT = 5.0
"""Seconds to wait for the broker's answer to LeaveGroup; leaving is a best effort (aiokafka
does not retry it either): without it the member's session expires."""

COORDINATOR_HOOKS: tuple[str, ...] = (
    "_stop_heartbeat_task",
    "_stop_commit_offsets_refresh_task",
    "reset_generation",
)
"""aiokafka ``GroupCoordinator`` methods :func:`leave_group` calls (checked at app build)."""


async def leave_group(consumer: aiokafka.AIOKafkaConsumer, grace: float = LEAVE_GRACE) -> bool:
    """Close ``consumer``'s group coordinator and leave the group without waiting for a held
    rebalance request; True when it found a coordination request held and cancelled it.

    A consumer without group management (assigned partitions) or already closing is left as it
    is. Call ``consumer.stop()`` afterwards."""
    coordinator = getattr(consumer, "_coordinator", None)
    if not isinstance(coordinator, GroupCoordinator) or coordinator._closing.done():
        return False
    coordinator._closing.set_result(None)
    task: asyncio.Task[Any] = coordinator._coordination_task
    held = False
    if not task.done():
        await asyncio.wait({task}, timeout=grace)
        if not task.done():
            held = True
            task.cancel()
            await asyncio.wait({task})
    if not task.cancelled() and task.exception() is not None:
        logger.warning("the group coordination had failed: %s", task.exception())
    await coordinator._stop_heartbeat_task()
    await coordinator._stop_commit_offsets_refresh_task()
    await _send_leave(consumer, coordinator, held)
    coordinator.reset_generation()
    return held


async def stop_consumer(consumer: aiokafka.AIOKafkaConsumer) -> None:
    """Leave the group at once (:func:`leave_group`), then stop ``consumer``."""
    await leave_group(consumer)
    await consumer.stop()


async def _send_leave(
    consumer: aiokafka.AIOKafkaConsumer, coordinator: GroupCoordinator, held: bool
) -> None:
    member = coordinator.member_id
    node = coordinator.coordinator_id
    if not member or node is None or coordinator._group_instance_id is not None:
        return  # never joined, or static membership (the broker keeps the member on purpose)
    group = ConnectionGroup.DEFAULT if held else ConnectionGroup.COORDINATION
    request = LeaveGroupRequest(coordinator.group_id, member)
    try:
        response = await asyncio.wait_for(
            consumer._client.send(node, request, group=group), LEAVE_TIMEOUT
        )
    except (KafkaError, TimeoutError, OSError) as exc:
        logger.warning(
            "could not leave group %s (%s: %s); its session expires instead",
            coordinator.group_id,
            type(exc).__name__,
            exc,
        )
        return
    error = getattr(response, "error_code", 0)
    if error:
        logger.info("LeaveGroup for %s answered error %s", coordinator.group_id, error)
        return
    logger.info(
        "left group %s%s",
        coordinator.group_id,
        " during a rebalance (the broker was holding the join)" if held else "",
    )
