"""Copy marking across workers: the same markings whatever order fingerprints arrive in."""

from __future__ import annotations

import itertools
import random

from wirestream.copies.marking import CopyIndex
from wirestream.core.extraction.fingerprint import simhash, to_hex

STORY = (
    "The city council of Lviv approved a new budget for public transport on Tuesday, "
    "adding forty electric buses and two tram lines by the end of next year, officials said. "
    "The mayor told reporters the plan would cut travel times across the western districts."
)
OTHER = (
    "Fishermen in the Baltic port reported a record herring catch this week as cold water "
    "returned to the bay, and prices at the morning market fell by a third."
)
ORIGINAL = to_hex(simhash(STORY))
COPY = to_hex(simhash(STORY.upper().replace(",", " -")))
UNRELATED = to_hex(simhash(OTHER))
ENTRIES = [
    ("b-copy", COPY, 101.0),
    ("a-original", ORIGINAL, 100.0),
    ("c-other", UNRELATED, 102.0),
    ("d-copy", ORIGINAL, 103.0),
    ("e-far", ORIGINAL, 100.0 + 10_000),
]


def final(entries: list[tuple[str, str, float]]) -> dict[str, str | None]:
    index = CopyIndex(threshold=0.95, window=3600)
    for entry in entries:
        index.add(*entry)
    return {a: m.duplicate_of for a, m in index.marks.items()}


def test_the_earliest_match_is_the_original_in_every_arrival_order() -> None:
    expected = {
        "a-original": None,
        "b-copy": "a-original",
        "c-other": None,
        "d-copy": "a-original",
        "e-far": None,  # outside the window
    }
    for order in itertools.permutations(ENTRIES):
        assert final(list(order)) == expected


def test_a_late_original_republishes_the_copies_it_precedes() -> None:
    index = CopyIndex(threshold=0.95, window=3600)
    assert [m.duplicate_of for m in index.add("b-copy", COPY, 101.0)] == [None]
    changed = index.add("a-original", ORIGINAL, 100.0)
    assert [(m.entry.article_id, m.duplicate_of) for m in changed] == [
        ("a-original", None),
        ("b-copy", "a-original"),
    ]
    assert index.add("a-original", ORIGINAL, 100.0) == []  # a replayed fingerprint: no change


def test_ties_in_time_go_by_article_id() -> None:
    entries = [("z", ORIGINAL, 5.0), ("m", ORIGINAL, 5.0), ("q", COPY, 5.0)]
    for _ in range(5):
        random.shuffle(entries)
        assert final(entries) == {"m": None, "q": "m", "z": "m"}


def test_a_re_sent_article_with_new_content_is_marked_again() -> None:
    index = CopyIndex(threshold=0.95, window=3600)
    index.add("a", ORIGINAL, 1.0)
    index.add("b", COPY, 2.0)
    index.add("a", UNRELATED, 1.0)  # a's content changed: b no longer copies it
    assert index.marks["b"].duplicate_of is None
