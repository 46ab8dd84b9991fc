"""The input contract: what is accepted, what is rejected, and how ids are derived."""

from __future__ import annotations

import pytest

from wirestream.core.contracts import (
    MAX_BODY_CHARS,
    MAX_METADATA_DEPTH,
    MAX_RAW_MESSAGE_BYTES,
    Article,
)
from wirestream.errors import InputError
from wirestream.inputs import decode_article, parse_article
from wirestream_contracts.article import nesting_depth


def test_minimal_article_gets_a_deterministic_id() -> None:
    a = Article(body="Talks resumed in Geneva.")
    b = Article(body="Talks resumed in Geneva.")
    c = Article(body="Talks resumed in Vienna.")
    assert a.id == b.id
    assert a.id != c.id
    assert a.id.startswith("sha256-")


def test_given_id_is_kept() -> None:
    assert Article(id="ap-123", body="x").id == "ap-123"


def test_published_at_accepts_rfc3339_z() -> None:
    article = Article(body="x", published_at="2024-07-24T15:00:00Z")
    assert article.published_at is not None
    assert article.published_at.utcoffset() is not None
    assert article.published_at.isoformat() == "2024-07-24T15:00:00+00:00"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n "}, "body"),
        ({"title": "no body"}, "body"),
        ({"body": "x", "colour": "red"}, "colour"),
        ({"body": "x", "published_at": "yesterday"}, "published_at"),
        ({"body": "x", "published_at": "2024-07-24T15:00:00"}, "published_at"),
        ({"body": "x" * (MAX_BODY_CHARS + 1)}, "body"),
        ({"body": "x", "authors": "Jane Doe"}, "authors"),
    ],
)
def test_rejections_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        parse_article(data, "input.jsonl:3")
    message = str(info.value)
    assert message.startswith("input.jsonl:3: ")
    assert field in message


@pytest.mark.parametrize(
    ("raw", "stage", "words"),
    [
        (b"\xff\xfe{\x00}\x00", "decode", "not UTF-8"),
        (b"{not json", "decode", "not JSON"),
        (b"[1, 2]", "validate", "expected a JSON object"),
        (b'{"body": 5}', "validate", "body"),
    ],
)
def test_decode_errors_say_the_stage(raw: bytes, stage: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        decode_article(raw, "raw[0]@7")
    assert info.value.stage == stage
    assert words in str(info.value)


def nested(levels: int) -> dict[str, object]:
    """A metadata object nesting ``levels`` levels (the object itself is level 1)."""
    value: object = 1
    for i in range(levels - 1):
        value = {"k": value} if i % 2 else [value]
    return {"deep": value}


def test_metadata_at_the_depth_limit_is_accepted_and_serialises() -> None:
    from wirestream.core import jsonio

    article = Article(body="x", metadata=nested(MAX_METADATA_DEPTH))
    assert nesting_depth(article.metadata, 100) == MAX_METADATA_DEPTH
    assert Article.model_validate_json(jsonio.dumps(article)) == article


@pytest.mark.parametrize("levels", [MAX_METADATA_DEPTH + 1, 300, 1000])
def test_metadata_nested_too_deep_is_rejected_naming_metadata_and_the_limit(levels: int) -> None:
    from wirestream.core import jsonio

    raw = jsonio.dumps({"body": "x", "metadata": nested(levels)}) if levels < 250 else None
    if raw is None:  # orjson cannot write it; build the JSON text by hand, as a publisher might
        raw = (
            b'{"body": "x", "metadata": {"deep": '
            + b"[" * (levels - 1)
            + b"1"
            + b"]" * (levels - 1)
            + b"}}"
        )
    with pytest.raises(InputError) as info:
        decode_article(raw, "in.jsonl:3")
    assert "metadata" in str(info.value) and f"{MAX_METADATA_DEPTH} levels" in str(info.value)
    assert info.value.stage == "validate"


def test_nesting_depth_counts_objects_and_arrays() -> None:
    assert nesting_depth(1, 10) == 0
    assert nesting_depth({}, 10) == 1
    assert nesting_depth({"a": [1, {"b": []}]}, 10) == 4
    assert nesting_depth(nested(50), 5) == 6  # stops counting past the limit


def test_the_raw_topic_limit_is_the_contract_constant() -> None:
    from wirestream.streaming.topics import MAX_MESSAGE_BYTES, RAW_ARTICLES

    assert RAW_ARTICLES.config()["max.message.bytes"] == str(MAX_RAW_MESSAGE_BYTES)
    assert MAX_MESSAGE_BYTES == MAX_RAW_MESSAGE_BYTES
    # The longest body, every character escaped by JSON as six bytes, still fits a raw message.
    assert 6 * MAX_BODY_CHARS + 100_000 < MAX_RAW_MESSAGE_BYTES
