"""Records faust fetched and dropped are fetched again (issue 16: the SIGKILL loss).

faust's ``getmany`` stops handing on a fetched batch when the flow stops (a rebalance begins),
with aiokafka's position already past the batch; the partition then stayed past the dropped
records unless a seek followed, and faust's gap check later committed past them. Here the
consumer's fetch (``_getmany``, the broker edge) returns a batch written for the test, the flow
stops after the first record is handed on, and the partition must be sought back to its committed
offset. The integration fault runs (tests/integration/test_incidents_faults.py) drive the real
thing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from faust.types import TP

from wirestream.streaming.faustapp import build_app
from wirestream.streaming.fausthooks import ReadCommittedConsumer, mark_contiguous, undelivered
from wirestream.streaming.settings import KafkaSettings

PART = TP("x.members", 0)
OTHER = TP("x.members", 1)


@dataclass
class Record:
    """What faust reads of an aiokafka record."""

    offset: int
    topic: str = PART.topic
    partition: int = PART.partition
    key: bytes | None = None
    value: bytes | None = b"{}"
    timestamp: int = 0
    timestamp_type: int = 0
    headers: Any = ()
    checksum: Any = None
    serialized_key_size: int = 0
    serialized_value_size: int = 2


def test_undelivered_names_the_partitions_with_a_record_after_the_last_handed_on() -> None:
    batch = {PART: [Record(5), Record(6), Record(7)], OTHER: [Record(3, partition=1)]}
    assert undelivered(batch, {PART: 7, OTHER: 3}) == []
    assert undelivered(batch, {PART: 5, OTHER: 3}) == [PART]
    assert undelivered(batch, {PART: 7}) == [OTHER]
    assert undelivered({PART: []}, {}) == []


def consumer(monkeypatch: pytest.MonkeyPatch, batch: dict[TP, list[Record]]) -> Any:
    app = build_app(
        "refetch-test", KafkaSettings(bootstrap_servers="127.0.0.1:9", topic_prefix="x.")
    )
    c = app.consumer
    assert isinstance(c, ReadCommittedConsumer)

    async def fetch(active_partitions: Any, timeout: float) -> dict[TP, list[Record]]:
        return batch

    sought: list[tuple[TP, int]] = []

    async def seek(partition: TP, offset: int) -> None:
        sought.append((partition, offset))

    monkeypatch.setattr(c, "_getmany", fetch)
    monkeypatch.setattr(c, "seek", seek)
    monkeypatch.setattr(c, "assignment", lambda: {PART, OTHER})
    monkeypatch.setattr(c, "_get_active_partitions", lambda: {PART, OTHER})
    monkeypatch.setattr(c, "highwater", lambda tp: 100)
    c.sought = sought  # type: ignore[attr-defined]
    return c


async def drain(c: Any, stop_after: int | None) -> list[int]:
    """What faust's drain loop does with a batch: hand each record on (through ``callback``)."""
    handed: list[int] = []

    async def deliver(message: Any) -> None:
        handed.append(message.offset)
        if stop_after is not None and len(handed) == stop_after:
            c.stop_flow()  # a rebalance begins

    c._deliver = deliver
    async for _tp, message in c.getmany(timeout=0.1):
        await c.callback(message)
    return handed


async def test_a_batch_cut_short_by_a_rebalance_is_fetched_again_from_the_committed_offset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = consumer(monkeypatch, {PART: [Record(21), Record(22), Record(23)]})
    c._committed_offset[PART] = 21
    assert await drain(c, stop_after=1) == [21]
    assert c.sought == [(PART, 21)]


async def test_a_whole_batch_handed_on_seeks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    c = consumer(monkeypatch, {PART: [Record(21), Record(22)]})
    c._committed_offset[PART] = 21
    assert await drain(c, stop_after=None) == [21, 22]
    assert c.sought == []


async def test_without_a_committed_offset_the_reset_policy_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = consumer(monkeypatch, {PART: [Record(0), Record(1), Record(2)]})
    calls: list[Any] = []

    async def seek_to_reset(partitions: list[TP], reset: str) -> None:
        calls.append((partitions, reset))

    monkeypatch.setattr(c._thread, "seek_to_reset", seek_to_reset)
    assert await drain(c, stop_after=2) == [0, 1]
    assert calls == [([PART], "earliest")]
    assert c._read_offset[PART] is None


def test_faust_s_drain_loop_hands_on_through_the_noting_callback() -> None:
    app = build_app(
        "refetch-test", KafkaSettings(bootstrap_servers="127.0.0.1:9", topic_prefix="x.")
    )
    consumer = app.consumer
    assert isinstance(consumer, ReadCommittedConsumer)
    assert consumer.callback == consumer._handed_on


async def test_a_gap_of_several_offsets_is_fetched_again_before_it_counts_as_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """faust counts offsets between two records handed on as done (it commits past them); when
    records were lost on the way, they are verified first: fetched again from the last record
    handed on, and only the same gap seen again counts."""
    c = consumer(monkeypatch, {PART: [Record(36)]})
    await c._add_gap(PART, 22, 35)  # 21 handed on, then 35: 22..34 missing
    assert not c._gap[PART]
    assert await drain(c, stop_after=None) == [36]
    assert c.sought == [(PART, 21)]
    await c._add_gap(PART, 22, 35)  # fetched again and still missing: records there are none
    assert c._gap[PART].overlaps(22, 36)


async def test_one_missing_offset_is_a_transaction_marker_except_in_a_contiguous_topic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = consumer(monkeypatch, {})
    await c._add_gap(PART, 22, 23)
    assert c._gap[PART].overlaps(22, 24) and c._refetch == {}
    mark_contiguous(c.app, OTHER.topic)
    await c._add_gap(OTHER, 22, 23)
    assert not c._gap[OTHER] and c._refetch == {OTHER: 21}


async def test_table_changelogs_are_left_to_faust_s_recovery(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batch: dict[TP, list[Record]] = {}
    c = consumer(monkeypatch, batch)
    table = c.app.Table("marks", partitions=2)
    changelog = TP(table.changelog_topic.get_topic_name(), 0)
    batch[changelog] = [Record(5, topic=changelog.topic)]  # fetched, not active: not handed on
    monkeypatch.setattr(c, "assignment", lambda: {changelog, PART})
    await c._add_gap(changelog, 2, 5)
    async for _ in c.getmany(timeout=0.1):
        pass
    assert c.sought == [] and c._gap[changelog].overlaps(2, 6)
