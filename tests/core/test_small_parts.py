"""Ids, fingerprints and language detection: small pure parts the records depend on."""

from __future__ import annotations

from wirestream.core.extraction.fingerprint import from_hex, simhash, similarity, to_hex
from wirestream.core.extraction.language import detect_language, is_english
from wirestream.core.ids import record_id

WIRE = (
    "Ukraine's air force said it shot down 25 of 38 drones launched overnight, while regional "
    "authorities reported that attacks killed at least four civilians and injured 30 people."
)


def test_record_ids_are_deterministic_and_distinct() -> None:
    assert record_id("quote", "a1", 10, 20) == record_id("quote", "a1", 10, 20)
    assert record_id("quote", "a1", 10, 20) != record_id("quote", "a1", 10, 21)
    assert record_id("quote", "a1", 10, 20) != record_id("quote", "a2", 10, 20)
    assert record_id("event", "a1", 1).startswith("evt_")


def test_simhash_of_a_syndicated_copy_is_close_and_unrelated_text_is_not() -> None:
    copy = WIRE.replace("said", "stated") + " (Reporting by AP.)"
    other = "The central bank left interest rates unchanged on Thursday, citing sticky inflation."
    original = simhash(WIRE)
    assert similarity(original, simhash(WIRE)) == 1.0
    assert similarity(original, simhash(copy)) >= 0.8
    assert similarity(original, simhash(other)) < 0.8
    assert from_hex(to_hex(original)) == original
    assert len(to_hex(original)) == 16


def test_language_detection() -> None:
    assert detect_language(WIRE) == "en"
    assert (
        detect_language("Die Regierung hat am Mittwoch neue Sanktionen gegen Russland beschlossen.")
        == "de"
    )
    assert detect_language("12 34 56") == "und"
    assert detect_language("Москва заявила во вторник о новых санкциях") == "und"
    assert is_english("en-GB") and not is_english("de")
