"""The input contract: what is accepted, what is rejected, and how ids are derived."""

from __future__ import annotations

import pytest

from wirestream.core.contracts import MAX_BODY_CHARS, Article
from wirestream.errors import InputError
from wirestream.inputs import decode_article, parse_article


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
