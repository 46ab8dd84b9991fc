"""Reconciliation of raw offsets against records and dead letters."""

from __future__ import annotations

import base64
from typing import Any

from wirestream.chaos.messages import generated_article, poison_message
from wirestream.chaos.reconcile import OutputIndex, RawMessage, committed_past, reconcile
from wirestream.core import jsonio

RAW = "p.articles.raw"


def raw(partition: int, offset: int, value: bytes, key: bytes | None = None) -> RawMessage:
    return RawMessage.read(partition, offset, key, value)


def article(index: int) -> bytes:
    return jsonio.dumps(generated_article(index))


def record(kind: str, record_id: str, article_id: str, **extra: Any) -> bytes:
    return jsonio.dumps({"kind": kind, "id": record_id, "article_id": article_id, **extra})


def dead_letter(partition: int, offset: int, stage: str = "decode", topic: str = RAW) -> bytes:
    source = {
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "key_b64": base64.b64encode(b"k").decode(),
    }
    return jsonio.dumps(
        {"kind": "dead_letter", "stage": stage, "source": source, "error_type": "X"}
    )


def test_records_and_dead_letters_account_for_raw_offsets_and_the_rest_is_lost() -> None:
    messages = [
        raw(0, 0, article(1), b"chaos-gen-00001"),
        raw(0, 1, b"{bad", b"chaos-not_json-1"),
        raw(1, 0, article(2), b"chaos-gen-00002"),
        raw(1, 1, poison_message("nested", 3, "t")[1], b"chaos-nested-3"),
        raw(2, 7, b"{also bad", None),
    ]
    index = OutputIndex(RAW)
    index.add("articles", record("article", "a1", "chaos-gen-00001"))
    index.add(
        "entities", record("entity", "e1", "chaos-gen-00002")
    )  # no article record: not enough
    index.add("raw_dlq", dead_letter(0, 1))
    index.add("raw_dlq", dead_letter(2, 7, topic="other.articles.raw"))  # another run's topic
    result = reconcile(messages, index)
    assert result.raw == 5 and result.accounted == 2
    assert [(m.partition, m.offset) for m in result.lost] == [(1, 0), (1, 1), (2, 7)]
    assert result.lost[1].what.startswith("validate failure (metadata nested 300 deep)")
    assert result.lost[2].what == "decode failure, 9 bytes"
    assert result.dead_letters_by_stage == {"decode": 1}
    assert result.outcomes == {
        "chaos-gen-00001": "records",
        "chaos-not_json-1": "dead letter (decode)",
        "chaos-gen-00002": "lost",
        "chaos-nested-3": "lost",
        "@(2, 7)": "lost",
    }


def test_an_article_without_id_is_matched_by_its_content_id() -> None:
    value = jsonio.dumps({"title": "T", "body": "A body."})
    message = raw(3, 4, value)
    assert message.article_id
    index = OutputIndex(RAW)
    index.add("articles", record("article", "x", message.article_id))
    assert reconcile([message], index).lost == ()


def test_duplicates_are_split_into_identical_and_differing() -> None:
    messages = [raw(0, 0, article(1)), raw(0, 1, article(2))]
    index = OutputIndex(RAW)
    for _ in range(2):
        index.add("articles", record("article", "a1", "chaos-gen-00001"))
        index.add("entities", record("entity", "e1", "chaos-gen-00001", text="same"))
    index.add("articles", record("article", "a2", "chaos-gen-00002"))
    index.add("quotes", record("quote", "q2", "chaos-gen-00002", text="one"))
    index.add("quotes", record("quote", "q2", "chaos-gen-00002", text="two"))
    result = reconcile(messages, index)
    assert result.lost == ()
    assert [(d.record_id, d.copies, d.identical) for d in result.duplicates] == [
        ("a1", 2, True),
        ("e1", 2, True),
        ("q2", 2, False),
    ]
    assert (result.identical_duplicates, result.differing_duplicates) == (2, 1)


def test_an_article_sent_twice_may_appear_twice() -> None:
    messages = [raw(0, 0, article(1)), raw(1, 0, article(1))]
    index = OutputIndex(RAW)
    index.add("articles", record("article", "a1", "chaos-gen-00001"))
    index.add("articles", record("article", "a1", "chaos-gen-00001"))
    assert reconcile(messages, index).duplicates == ()
    index.add("articles", record("article", "a1", "chaos-gen-00001"))
    assert [d.copies for d in reconcile(messages, index).duplicates] == [3]


def test_duplicate_dead_letters_and_unreadable_outputs_are_counted() -> None:
    index = OutputIndex(RAW)
    index.add("raw_dlq", dead_letter(0, 0, "validate"))
    index.add("raw_dlq", dead_letter(0, 0, "validate"))
    index.add("articles", b"not json")
    index.add("raw_dlq", jsonio.dumps({"no": "source"}))
    result = reconcile([raw(0, 0, b"[]")], index)
    assert result.accounted == 1
    assert result.duplicate_dead_letters == 1
    assert result.dead_letters_by_stage == {"validate": 2}
    assert result.unreadable_outputs == 2


def test_lost_messages_the_group_committed_past_are_told_apart() -> None:
    lost = [raw(0, 4, b"{x"), raw(0, 9, b"{y"), raw(2, 0, b"{z")]
    skipped = committed_past(lost, {0: 5, 1: 100})
    assert [(m.partition, m.offset) for m in skipped] == [(0, 4)]
