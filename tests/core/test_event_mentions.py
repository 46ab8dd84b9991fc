"""Event mentions: every word that expresses an event, each accepted by the same checks as its
trigger (texts written for these tests)."""

from __future__ import annotations

import pytest

from fixtures import events as arguments
from wirestream.core.contracts import EventRecord
from wirestream.core.extraction import Extractor


def events_of(extractor: Extractor, body: str) -> list[EventRecord]:
    events = arguments.events_of(extractor, body)
    for e in events:
        assert e.trigger in e.mentions  # the main trigger is one of the mentions
        assert [m.start for m in e.mentions] == sorted({m.start for m in e.mentions})
        assert all(m.text == body[m.start : m.end] for m in e.mentions)
    return events


def words(event: EventRecord) -> list[str]:
    return [m.text for m in event.mentions]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("A suicide bomber attacked the market, killing 12 people.", ["attacked", "killing"]),
        ("A drone strike killed four militants near the border.", ["strike", "killed"]),
        ("Militants attacked the base and fired at passing cars.", ["attacked", "fired"]),
    ],
)
def test_one_record_carries_every_word_of_its_event(
    extractor: Extractor, body: str, expected: list[str]
) -> None:
    (event,) = events_of(extractor, body)
    assert event.type == "ASSAULT"
    assert words(event) == expected


def test_the_casualty_count_is_the_same_with_mentions(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "A suicide bomber attacked the market, killing 12 people.")
    assert event.trigger.text == "attacked"
    assert event.casualties.killed is not None and event.casualties.killed.value == 12


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # negated and irrealis: not an event, so not a mention
        (
            "Troops attacked the village on Monday, but the army said it would not attack the "
            "capital.",
            ["attacked"],
        ),
        ("Rebels attacked the town and the army said there were no killings.", ["attacked"]),
        # another sense of a trigger word ("struck a deal", "fired its spokesman")
        (
            "Gunmen shot two guards on Friday, hours after the government struck a deal with "
            "the rebels.",
            ["shot"],
        ),
        (
            "Militants attacked the base on Sunday, and the next day the army fired its spokesman.",
            ["attacked"],
        ),
        # a casualty verb without a person victim
        (
            "A drone strike killed four militants in the north, while a drought has killed "
            "crops in the south.",
            ["strike", "killed"],
        ),
    ],
)
def test_a_word_the_trigger_checks_reject_is_no_mention(
    extractor: Extractor, body: str, expected: list[str]
) -> None:
    (event,) = events_of(extractor, body)
    assert words(event) == expected


def test_each_type_keeps_its_own_words(extractor: Extractor) -> None:
    events = events_of(extractor, "Police arrested two men after the protest and detained a third.")
    by_type = {e.type: words(e) for e in events}
    assert by_type == {"COERCE": ["arrested", "detained"], "PROTEST": ["protest"]}


def test_a_merged_event_has_the_words_of_the_next_sentence(extractor: Extractor) -> None:
    body = "Gunmen attacked a police convoy in Kandahar on Monday. Three officers were killed."
    (event,) = events_of(extractor, body)
    assert words(event) == ["attacked", "killed"]
    assert event.evidence.text.startswith("Gunmen attacked")  # the evidence stays the first one
    assert event.casualties.killed is not None and event.casualties.killed.value == 3


@pytest.mark.parametrize(
    ("body", "etype", "expected"),
    [
        (
            "Militants blew up a bridge and attacked a checkpoint.",
            "ASSAULT",
            ["blew up", "attacked"],
        ),
        ("Gunmen gunned down the driver of a bus.", "ASSAULT", ["gunned down"]),
        (
            "Police rounded up 40 protesters and detained their leader on Sunday.",
            "COERCE",
            ["rounded up", "detained"],
        ),
        ("Pirates hijacked a tanker off Somalia.", "ASSAULT", ["hijacked"]),
        ("Obama had a phone call with Putin on Monday.", "CONSULT", ["call"]),
        (
            "Thousands rallied in the capital against the government on Sunday.",
            "PROTEST",
            ["rallied"],
        ),
    ],
)
def test_cameo_verbs_with_their_particles(
    extractor: Extractor, body: str, etype: str, expected: list[str]
) -> None:
    (event,) = events_of(extractor, body)
    assert event.type == etype
    assert words(event) == expected  # a particle belongs to its word ("blew up")


@pytest.mark.parametrize(
    "body",
    [
        "Protesters blew whistles outside the embassy on Monday.",  # "blow" without "up"
        "The opposition renewed its call for calm on Monday.",  # a call that is no phone call
        "Oil prices rallied on Monday.",  # a market rally
    ],
)
def test_other_senses_of_the_new_words_are_no_events(extractor: Extractor, body: str) -> None:
    assert events_of(extractor, body) == []
