"""Dead letters fit their topic: caps on the original, its headers and key; small ones round-trip."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from wirestream.core import jsonio
from wirestream.core.contracts import DeadLetter
from wirestream.errors import TruncatedDeadLetterError
from wirestream.streaming import deadletters
from wirestream.streaming.deadletters import (
    MAX_KEY_BYTES,
    MAX_ORIGINAL_BYTES,
    ORIGINAL_PREFIX_BYTES,
    build_dead_letter,
    dead_letter_key,
    encode,
    header_pairs,
    original_bytes,
    original_prefix,
    source_position,
)
from wirestream.streaming.topics import MAX_MESSAGE_BYTES

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_a_7_mb_original_gives_a_dead_letter_under_the_topic_limit() -> None:
    original = bytes(range(256)) * (7_000_000 // 256) + b"x" * (7_000_000 % 256)
    assert len(original) == 7_000_000
    letter = build_dead_letter(
        original,
        ValueError("not JSON"),
        "decode",
        source_position("t.raw", 1, 7, b"k", 1.0),
        "extractor",
        headers=[("trace", b"abc"), ("empty", b"")],
        now=WHEN,
    )
    data = encode(letter)
    assert len(data) < MAX_MESSAGE_BYTES // 2
    again = DeadLetter.model_validate_json(data)
    assert again.original_size == 7_000_000
    assert again.original_sha256 == hashlib.sha256(original).hexdigest()
    assert again.original_truncated is True
    assert original_prefix(again) == original[:ORIGINAL_PREFIX_BYTES]
    assert header_pairs(again) == [("trace", b"abc"), ("empty", b"")]
    with pytest.raises(TruncatedDeadLetterError, match=r"t.raw\[1\]@7.*first 65,536 of 7,000,000"):
        original_bytes(again)


def test_a_small_original_round_trips_exactly() -> None:
    original = b'{"title": "no body"}\xff'
    letter = build_dead_letter(
        original,
        ValueError("bad"),
        "encode",
        source_position("t.raw", 0, 3, b"key-1"),
        "extractor",
        headers=[("h", b"\x00\x01")],
        now=WHEN,
    )
    again = DeadLetter.model_validate_json(encode(letter))
    assert again == letter
    assert original_bytes(again) == original
    assert again.original_truncated is False and again.headers_truncated is False
    assert again.original_sha256 == hashlib.sha256(original).hexdigest()
    assert again.stage == "encode"
    assert dead_letter_key(again.source) == b"key-1"


def test_an_original_at_the_cap_is_kept_whole_and_fits() -> None:
    original = b"\xfe" * MAX_ORIGINAL_BYTES
    letter = build_dead_letter(
        original, ValueError("x"), "decode", source_position("t", 0, 0), "extractor", now=WHEN
    )
    assert not letter.original_truncated
    assert original_bytes(letter) == original
    assert len(encode(letter)) < MAX_MESSAGE_BYTES * 3 // 4


def test_worst_case_every_cap_reached_still_fits() -> None:
    headers = [(f"h{i}", b"v" * 1000) for i in range(100)] + [("k", b"")] * 5000
    key = b"K" * (MAX_KEY_BYTES * 10)
    letter = build_dead_letter(
        b"\x00" * (MAX_ORIGINAL_BYTES),
        ValueError("\x01" * 100_000),
        "publish",
        source_position("t" * 249, 0, 0, key),
        "extractor",
        headers=headers,
        now=WHEN,
    )
    assert letter.headers_truncated and letter.key_truncated
    assert 0 < len(letter.headers) < len(headers)
    assert dead_letter_key(letter.source) == key[:MAX_KEY_BYTES]
    key_bytes = dead_letter_key(letter.source) or b""
    assert len(encode(letter)) + len(key_bytes) < MAX_MESSAGE_BYTES * 3 // 4


def test_old_dead_letters_without_the_new_fields_still_read() -> None:
    old = {
        "kind": "dead_letter",
        "schema_version": 1,
        "stage": "decode",
        "error_type": "ValueError",
        "error_message": "bad",
        "source": {"topic": "t", "partition": 0, "offset": 1},
        "original_b64": base64.b64encode(b"abc").decode(),
        "original_size": 3,
        "failed_at": "2026-01-02T03:04:05Z",
        "service": "extractor",
    }
    letter = DeadLetter.model_validate_json(jsonio.dumps(old))
    assert deadletters.original_bytes(letter) == b"abc"
    assert letter.headers == [] and letter.original_sha256 is None


def test_headers_of_faust_and_aiokafka_messages() -> None:
    from types import SimpleNamespace

    assert deadletters.headers_of_message(SimpleNamespace(headers=None)) == []
    pairs = [("trace", b"1"), ("n", None)]
    assert deadletters.headers_of_message(SimpleNamespace(headers=pairs)) == [
        ("trace", b"1"),
        ("n", b""),
    ]
    mapping = {"trace": b"1"}
    assert deadletters.headers_of_message(SimpleNamespace(headers=mapping)) == [("trace", b"1")]
