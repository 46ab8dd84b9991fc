"""Near-duplicate marking, dead-letter building and per-article isolation of extraction failures."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from wirestream.core import jsonio
from wirestream.core.contracts import Article, ArticleRecord, DeadLetter, SourcePosition
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.fingerprint import simhash, to_hex
from wirestream.core.extraction.pipeline import load_nlp
from wirestream.extractor.dedup import DuplicateIndex, band_keys, max_distance
from wirestream.extractor.processing import BatchProcessor, Incoming
from wirestream.streaming.deadletters import build_dead_letter, original_bytes, source_position

STORY = (
    "The city council of Lviv approved a new budget for public transport on Tuesday, "
    "adding forty electric buses and two tram lines by the end of next year, officials said. "
    "The mayor told reporters the plan would cut travel times across the western districts."
)
OTHER = (
    "Fishermen in the Baltic port reported a record herring catch this week as cold water "
    "returned to the bay, and prices at the morning market fell by a third."
)


def test_bands_and_distance_follow_the_threshold() -> None:
    assert max_distance(0.95) == 3
    assert max_distance(1.0) == 0
    assert len(band_keys(0, 4)) == 4
    # Any fingerprint within 3 bits shares at least one of 4 bands.
    base = 0x0123456789ABCDEF
    near = base ^ (1 << 0) ^ (1 << 17) ^ (1 << 40)
    assert set(band_keys(base, 4)) & set(band_keys(near, 4))


def test_syndicated_copy_is_marked_and_replay_gives_the_same_answer() -> None:
    store: dict[str, list[list[object]]] = {}
    index = DuplicateIndex(store, threshold=0.95, window=3600, per_band=4)
    original = to_hex(simhash(STORY))
    # A syndicated copy: the outlet re-cased the headline words and changed punctuation.
    copy = to_hex(simhash(STORY.upper().replace(",", " -")))
    unrelated = to_hex(simhash(OTHER))
    assert index.observe("a-original", original, 100.0) is None
    duplicate = index.observe("b-copy", copy, 101.0)
    assert duplicate is not None and duplicate.of == "a-original"
    assert duplicate.similarity >= 0.95
    assert index.observe("c-other", unrelated, 102.0) is None
    # Replays (same message timestamps) decide the same, though later entries now exist.
    assert index.observe("a-original", original, 100.0) is None
    assert index.observe("b-copy", copy, 101.0) == duplicate
    # Outside the window nothing matches.
    assert index.observe("d-late-copy", copy, 100.0 + 7200) is None
    assert all(len(entries) <= 4 for entries in store.values())


def test_near_fingerprints_match_within_three_bits_only() -> None:
    index = DuplicateIndex({}, threshold=0.95)
    base = simhash(STORY)
    assert index.observe("first", to_hex(base), 1.0) is None
    near = index.observe("near", to_hex(base ^ 0b1011), 2.0)
    assert near is not None and near.of == "first" and near.similarity == pytest.approx(61 / 64)
    assert index.observe("far", to_hex(base ^ (0b11111 << 40)), 3.0) is None


def test_dead_letter_keeps_bytes_and_source() -> None:
    source = source_position("t.raw", 2, 41, b"key-1", 1_700_000_000.5)
    letter = build_dead_letter(
        b"\xff\xfe",
        ValueError("x" * 5000),
        "decode",
        source,
        "extractor",
        now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    again = DeadLetter.model_validate_json(jsonio.dumps(letter))
    assert original_bytes(again) == b"\xff\xfe"
    assert again.source == SourcePosition(
        topic="t.raw",
        partition=2,
        offset=41,
        key_b64=base64.b64encode(b"key-1").decode(),
        timestamp_ms=1_700_000_000_500,
    )
    assert again.failed_at == "2026-01-02T03:04:05Z"
    assert len(again.error_message) < 2100 and again.error_type == "ValueError"


@Language.component("wirestream_test_explode")
def _explode(doc: Doc) -> Doc:
    if "EXPLODE" in doc.text:
        raise RuntimeError("this text makes the pipeline raise")
    return doc


@pytest.fixture(scope="module")
def exploding_extractor() -> Extractor:
    nlp = load_nlp()
    nlp.add_pipe("wirestream_test_explode", last=True)
    return Extractor(nlp)


def incoming(value: bytes, offset: int) -> Incoming:
    return Incoming(value, source_position("raw", 0, offset), None, 1000.0 + offset)


def test_one_failing_article_does_not_take_its_batch_down(
    exploding_extractor: Extractor, extractor: Extractor
) -> None:
    good = [Article(id=f"good-{i}", body=f"{STORY} Item {i}.", language="en") for i in range(3)]
    bad = Article(id="bad", body="The EXPLODE test article from Lviv.", language="en")
    batch = [good[0], bad, good[1], good[2]]
    processor = BatchProcessor(exploding_extractor)
    processed = processor.process(
        [incoming(jsonio.dumps(a.model_dump(mode="json")), i) for i, a in enumerate(batch)]
    )
    assert [p.outcome for p in processed] == ["extracted", "dead_letter", "extracted", "extracted"]
    out = [message for p in processed for message in p.messages]
    letters = [DeadLetter.model_validate_json(o.value or b"") for o in out if o.topic == "raw_dlq"]
    assert len(letters) == 1
    assert letters[0].stage == "extract" and letters[0].error_type == "RuntimeError"
    assert letters[0].source.offset == 1
    articles = [
        ArticleRecord.model_validate_json(o.value or b"") for o in out if o.topic == "articles"
    ]
    assert [a.article_id for a in articles] == ["good-0", "good-1", "good-2"]
    expected = [
        jsonio.dumps(r) for a in good for r in extractor.extract(a).records if r.kind == "entity"
    ]
    assert [o.value for o in out if o.topic == "entities"] == expected
