"""Numbers in words and digits, qualifiers, what they count and their role."""

from __future__ import annotations

import pytest
from spacy.language import Language

from wirestream.core.extraction import Extractor
from wirestream.core.extraction.events.lexicon import load_lexicon
from wirestream.core.extraction.events.quantities import (
    counted_noun,
    find_numbers,
    governing_verb,
    parse_number,
    role_of,
)

LEX = load_lexicon()


@pytest.fixture(scope="module")
def nlp(extractor: Extractor) -> Language:
    return extractor.nlp


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["38"], 38),
        (["1,200"], 1200),
        (["1.5", "million"], 1_500_000),
        (["four"], 4),
        (["twenty-five"], 25),
        (["twenty", "five"], 25),
        (["a", "dozen"], 12),
        (["two", "hundred", "and", "five"], 205),
        (["three", "thousand"], 3000),
    ],
)
def test_parse_number(words: list[str], value: int) -> None:
    assert parse_number(words, LEX) == value


@pytest.mark.parametrize("words", [["a"], ["drones"], ["and"], []])
def test_not_numbers(words: list[str]) -> None:
    assert parse_number(words, LEX) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Attacks killed at least four civilians.", [("at least four", 4, "at_least")]),
        ("More than 100 people fled.", [("More than 100", 100, "more_than")]),
        ("About 30 were hurt.", [("About 30", 30, "about")]),
        ("Up to 12 drones flew.", [("Up to 12", 12, "up_to")]),
        ("Fewer than ten remained.", [("Fewer than ten", 10, "less_than")]),
        ("They injured 30 people.", [("30", 30, "exact")]),
    ],
)
def test_qualifiers(nlp: Language, text: str, expected: list[tuple[str, int, str]]) -> None:
    doc = nlp(text)
    found = find_numbers(doc[:], LEX)
    assert [(text[n.start : n.end], n.value, n.qualifier) for n in found] == expected


@pytest.mark.parametrize(
    "text",
    [
        "A 13-year-old boy was hurt.",
        "It happened in the 3900 block of Bishop Avenue.",
        "Police went to 5210 Karluk Street.",
        "It was one of the biggest attacks.",
        "The war began in 2014.",
    ],
)
def test_ages_addresses_years_are_not_counts(nlp: Language, text: str) -> None:
    assert find_numbers(nlp(text)[:], LEX) == []


def test_out_of_counts_and_roles(nlp: Language) -> None:
    doc = nlp("The Air Force shot down 25 out of 38 Russian drones overnight.")
    part, whole = find_numbers(doc[:], LEX)
    assert (part.value, whole.value) == (25, 38)
    noun = counted_noun(whole, doc[:], LEX)
    assert noun is not None and noun.lemma_ == "drone"
    assert role_of(governing_verb(doc[part.last]), LEX) == "intercepted"


def test_role_of_casualty_verbs(nlp: Language) -> None:
    doc = nlp("The attack killed four civilians and injured 30.")
    four, thirty = find_numbers(doc[:], LEX)
    noun = counted_noun(four, doc[:], LEX)
    assert noun is not None and noun.text == "civilians"
    assert role_of(governing_verb(noun), LEX) == "killed"
    assert role_of(governing_verb(doc[thirty.last]), LEX) == "injured"
