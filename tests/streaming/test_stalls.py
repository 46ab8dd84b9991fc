"""A partition whose records a stream dropped (faust skips events of an older generation) is
fetched again after two checks without progress — and only then."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP

from wirestream.streaming.faustapp import build_app
from wirestream.streaming.fausthooks import ReadCommittedConsumer, holds_head
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.stalls import StallWatch

PART = TP("x.members", 0)
OTHER = TP("x.members-changelog", 0)


def test_a_partition_is_stalled_at_the_second_check_without_progress() -> None:
    watch = StallWatch()
    assert watch.stalled({PART: 20}, {PART: 5}, busy=()) == []  # first sight
    assert watch.stalled({PART: 20}, {PART: 5}, busy=()) == [PART]
    assert watch.stalled({PART: 20}, {PART: 5}, busy=()) == []  # sought back: starts over


def test_progress_busy_records_or_everything_committed_is_no_stall() -> None:
    watch = StallWatch()
    watch.stalled({PART: 20, OTHER: 9}, {PART: 5, OTHER: 3}, busy=())
    assert watch.stalled({PART: 20, OTHER: 9}, {PART: 6, OTHER: 3}, busy={OTHER}) == []
    assert watch.stalled({PART: 21, OTHER: 9}, {PART: 6, OTHER: 9}, busy=()) == []  # handed more
    assert watch.stalled({PART: 21}, {PART: 22}, busy=()) == []  # committed past it
    assert watch.stalled({PART: 21}, {PART: 22}, busy=()) == []


def test_a_partition_never_committed_stalls_too() -> None:
    watch = StallWatch()
    watch.stalled({PART: 4}, {}, busy=())
    assert watch.stalled({PART: 4}, {}, busy=()) == [PART]


def msg(tp: TP, offset: int) -> Any:
    """What the consumer reads of a faust message."""
    return SimpleNamespace(tp=tp, topic=tp.topic, offset=offset, acked=False)


def stalled_consumer(monkeypatch: pytest.MonkeyPatch) -> Any:
    app = build_app("stall-test", KafkaSettings(bootstrap_servers="127.0.0.1:9", topic_prefix="x."))
    c = app.consumer
    assert isinstance(c, ReadCommittedConsumer)
    sought: list[tuple[TP, int]] = []

    async def seek(partition: TP, offset: int) -> None:
        sought.append((partition, offset))

    async def deliver(message: Any) -> None:  # the conductor: to the stream, which skips it
        pass

    c._deliver = deliver
    monkeypatch.setattr(c, "seek", seek)
    monkeypatch.setattr(c, "assignment", lambda: {PART, OTHER})
    monkeypatch.setattr(app.topics, "acks_enabled_for", lambda topic: topic == PART.topic)
    c._committed_offset[PART] = 5
    c._committed_offset[OTHER] = 3
    c.sought = sought  # type: ignore[attr-defined]
    return c


async def test_records_handed_on_and_dropped_are_fetched_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = stalled_consumer(monkeypatch)
    for offset in range(6, 21):  # handed on to the stream, which skipped them
        await c._handed_on(msg(PART, offset))
    await c.check_stalls()
    assert c.sought == []
    await c.check_stalls()
    assert c.sought == [(PART, 5)]  # from the committed offset (the next to read)
    assert PART not in c._last_handed


async def test_a_record_being_processed_or_a_rebalance_holds_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = stalled_consumer(monkeypatch)
    message = msg(PART, 6)
    await c._handed_on(message)
    c._unacked_messages = [message]  # the agent is on it
    await c.check_stalls()
    await c.check_stalls()
    assert c.sought == []
    message.acked = True  # acked, and still in faust's set until it is garbage
    await c.check_stalls()
    await c.check_stalls()
    assert c.sought == [(PART, 5)]
    c.sought.clear()
    await c._handed_on(msg(PART, 7))
    c._unacked_messages = []
    await c.check_stalls()
    c.app.rebalancing = True  # a rebalance in between: the watch starts over
    await c.check_stalls()
    c.app.rebalancing = False
    await c.check_stalls()
    assert c.sought == []
    await c.check_stalls()
    assert c.sought == [(PART, 5)]


async def test_topics_no_stream_acks_are_not_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    c = stalled_consumer(monkeypatch)
    await c._handed_on(msg(OTHER, 9))  # e.g. a changelog
    await c.check_stalls()
    await c.check_stalls()
    assert c.sought == []


def test_a_record_handed_on_at_the_committed_offset_and_not_acked_holds_the_commit() -> None:
    """faust commits the next offset to read; its own check lets a head gap of one pass (a
    transaction's marker), which lost a skipped record at the committed offset."""
    assert holds_head(34, [35, 36], {34, 35, 36}, gap=set())
    assert not holds_head(34, [34, 35], {34, 35}, gap=set())  # acked: commit
    assert not holds_head(34, [35], {35}, gap=set())  # never handed on: a marker
    assert not holds_head(34, [35], {34, 35}, gap={"verified"})  # a verified gap
    assert not holds_head(34, [], {34}, gap=set())  # nothing acked: nothing to commit


async def test_the_consumer_does_not_commit_past_a_skipped_head_then_fetches_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = stalled_consumer(monkeypatch)
    c._committed_offset[PART] = 34
    for offset in (34, 35, 36):  # all handed on; the stream skipped 34 and processed the rest
        await c._handed_on(msg(PART, offset))
    c._acked[PART].extend([35, 36])
    c._acked_index[PART].update([35, 36])
    assert c._new_offset(PART) is None  # faust alone: 37, past 34
    await c.check_stalls()
    await c.check_stalls()
    assert c.sought == [(PART, 34)]
    await c._handed_on(msg(PART, 34))  # fetched again, processed now
    c._acked[PART].append(34)
    c._acked_index[PART].add(34)
    assert c._new_offset(PART) == 37


async def test_records_processed_whose_commit_fails_are_no_stall(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broker outage: the records are acked, their commit fails, the committed offset stays."""
    c = stalled_consumer(monkeypatch)
    for offset in range(6, 21):
        await c._handed_on(msg(PART, offset))
    c._acked[PART].extend(range(6, 21))
    c._acked_index[PART].update(range(6, 21))
    for _ in range(3):
        await c.check_stalls()
    assert c.sought == []


async def test_an_agent_at_work_on_another_partition_holds_every_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An agent waiting for the broker on one partition leaves the others' records queued."""
    c = stalled_consumer(monkeypatch)
    await c._handed_on(msg(PART, 6))
    c._unacked_messages = [msg(OTHER, 3)]  # the agent is on a record of another partition
    for _ in range(3):
        await c.check_stalls()
    assert c.sought == []
