"""The poison kinds and the article pools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.chaos.messages import (
    FAULT_METADATA_KEY,
    HUGE_BYTES,
    NESTED_DEPTH,
    build_messages,
    depth,
    describe,
    generated_pool,
    load_pool,
    poison_message,
)
from wirestream.chaos.plan import POISON_KINDS
from wirestream.core import jsonio
from wirestream.errors import InputError
from wirestream.inputs import decode_article


def test_nested_poison_is_an_article_nested_300_deep_that_validation_refuses() -> None:
    """Well-formed JSON with a body, metadata nested 300 deep: it once passed validation and
    crashed the worker when its record was serialised; the contract now refuses it."""
    key, value = poison_message("nested", 4, "tok")
    assert key == b"chaos-nested-4"
    data = json.loads(value)
    assert data["id"] == "chaos-nested-4" and depth(data["metadata"]) == NESTED_DEPTH
    with pytest.raises(InputError, match="metadata nests more than 32 levels"):
        decode_article(value, "test")


def test_fault_poison_carries_the_marker() -> None:
    _, value = poison_message("fault", 1, "tok-1")
    assert decode_article(value, "test").metadata == {FAULT_METADATA_KEY: "tok-1"}


@pytest.mark.parametrize(
    ("kind", "stage"), [("huge", "decode"), ("not_json", "decode"), ("wrong_shape", "validate")]
)
def test_malformed_poison_fails_where_expected(kind: str, stage: str) -> None:
    _, value = poison_message(kind, 2, "tok")
    with pytest.raises(InputError) as caught:
        decode_article(value, "test")
    assert caught.value.stage == stage
    if kind == "huge":
        assert len(value) == HUGE_BYTES


def test_describe_names_what_a_message_is() -> None:
    nested = poison_message("nested", 1, "t")[1]
    assert describe(nested) == (
        None,
        f"validate failure (metadata nested 300 deep), {len(nested)} bytes",
    )
    assert describe(poison_message("fault", 2, "t")[1]) == (
        "chaos-fault-2",
        "article chaos-fault-2 (fault marker)",
    )
    assert describe(b"{nope") == (None, "decode failure, 5 bytes")
    no_id = jsonio.dumps({"title": "T", "body": "Some text."})
    article_id, what = describe(no_id)
    assert (
        article_id
        and article_id == decode_article(no_id, "x").id
        and what == f"article {article_id}"
    )


def test_build_messages_follows_the_order() -> None:
    pool = generated_pool(5)
    order: list[tuple[str, int | str]] = [("article", 3), ("poison", "not_json"), ("article", 0)]
    messages = build_messages(order, pool, "tok")
    assert messages[0] == pool[3] and messages[2] == pool[0]
    assert messages[1][0] == b"chaos-not_json-1"
    assert {k for k in POISON_KINDS} == {"nested", "huge", "fault", "not_json", "wrong_shape"}


def test_load_pool_alternates_files_and_skips_invalid_lines(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(
        b'{"id": "a1", "body": "x"}\n{bad\n{"id": "a2", "body": "y"}\n'
    )
    (tmp_path / "b.jsonl").write_bytes(b'{"id": "b1", "body": "z"}\n\n')
    assert [k for k, _ in load_pool(tmp_path)] == [b"a1", b"b1", b"a2"]
    assert load_pool(tmp_path)[1][1] == b'{"id": "b1", "body": "z"}'
    with pytest.raises(InputError, match="--generated"):
        load_pool(tmp_path / "missing")


def test_generated_articles_are_distinct_and_valid() -> None:
    pool = generated_pool(50)
    assert len({v for _, v in pool}) == 50
    assert all(decode_article(v, "t").id == k.decode() for k, v in pool)


def test_article_pool_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wirestream.chaos.plan import ChaosConfig
    from wirestream.chaos.runner import article_pool
    from wirestream.errors import ConfigurationError

    said: list[str] = []
    pool, notes = article_pool(ChaosConfig(articles=7, generated=True), said.append)
    assert len(pool) == 7 and notes == ["generated articles (--generated)"]
    with pytest.raises(ConfigurationError, match="--data"):
        article_pool(ChaosConfig(data=str(tmp_path / "nowhere")), said.append)
    monkeypatch.setenv("WIRESTREAM_EVAL_DATA", str(tmp_path / "absent"))
    pool, notes = article_pool(ChaosConfig(articles=3), said.append)
    assert len(pool) == 3 and "using generated articles instead" in notes[0]
    assert said[-1] == notes[0], "the fallback is said, not only noted"
    (tmp_path / "load").mkdir()
    (tmp_path / "load" / "x.jsonl").write_bytes(b'{"id": "x1", "body": "b"}\n')
    pool, notes = article_pool(ChaosConfig(data=str(tmp_path)), said.append)
    assert pool == [(b"x1", b'{"id": "x1", "body": "b"}')]
