"""Headers on every message the extractor produces, and the raw message's carried headers."""

from __future__ import annotations

import wirestream
from wirestream.core import jsonio
from wirestream.core.extraction import Extractor
from wirestream.extractor.processing import BatchProcessor, Incoming
from wirestream.streaming.deadletters import source_position
from wirestream_contracts import headers as wire_headers
from wirestream_contracts.schemas import example

TRACEPARENT = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
RAW_HEADERS = (
    ("traceparent", TRACEPARENT),
    ("x-correlation-id", b"c-17"),
    ("authorization", b"Bearer not-carried"),
    ("content-type", b"text/plain"),
)


def _incoming(value: bytes) -> Incoming:
    return Incoming(value, source_position("raw", 2, 7), None, 1000.0, headers=RAW_HEADERS)


def _check(headers: tuple[tuple[str, bytes], ...], kind: str) -> None:
    names = [name for name, _ in headers]
    assert names == [*wire_headers.OWN, "traceparent", "x-correlation-id"]
    text = wire_headers.as_text(headers)
    assert text["content-type"] == "application/json"
    assert text["wirestream-kind"] == kind
    assert text["wirestream-schema-version"] == "1"
    assert text["wirestream-producer"] == f"extractor/{wirestream.__version__}"
    assert text["traceparent"] == TRACEPARENT.decode()


def test_every_record_and_state_entry_carries_the_headers(extractor: Extractor) -> None:
    processed = BatchProcessor(extractor).process([_incoming(jsonio.dumps(example("raw")))])
    (one,) = processed
    assert one.outcome == "extracted"
    kinds = set()
    for message in one.messages:
        kind = jsonio.loads(message.value or b"")["kind"]
        _check(message.headers, kind)
        kinds.add(kind)
    assert kinds == {"article", "entity", "quote", "event", "fingerprint"}


def test_a_dead_letter_carries_the_headers_and_keeps_all_originals(extractor: Extractor) -> None:
    (one,) = BatchProcessor(extractor).process([_incoming(b'{"title": "no body"}')])
    assert one.outcome == "dead_letter"
    (message,) = one.messages
    _check(message.headers, "dead_letter")
    letter = jsonio.loads(message.value or b"")
    assert [h["key"] for h in letter["headers"]] == [name for name, _ in RAW_HEADERS]


def test_carried_headers_have_a_budget() -> None:
    big = [(f"x-h{i}", b"v" * 1000) for i in range(40)]
    kept = wire_headers.carried(big)
    assert 0 < len(kept) < len(big)
    assert sum(len(n) + len(v) for n, v in kept) <= wire_headers.MAX_CARRIED_BYTES
    assert wire_headers.carried([("Wirestream-Kind", b"x"), ("TraceParent", b"t")]) == [
        ("TraceParent", b"t")
    ]
