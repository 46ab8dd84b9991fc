"""Other senses of event words, and event nouns that name a kind of thing: the checks of issue
15's precision pass, each with sentences where the word is an event and where it is not (texts
written for these tests)."""

from __future__ import annotations

import pytest

from fixtures.events import mention_texts as mentions
from wirestream.core.extraction import Extractor


@pytest.mark.parametrize(
    ("body", "etype", "expected"),
    [
        # a noun trigger compounded with a common noun names a kind of that thing ...
        ("The mayor said riot police blocked the road to the square.", "PROTEST", []),
        ("Police said the protest movement had grown in the capital.", "PROTEST", []),
        ("The navy sent a carrier strike group and troops to the region.", "ASSAULT", []),
        ("Troops found rifles and a manual of combat tactics in the house.", "ASSAULT", []),
        # ... unless the head refers to the event ("attack victims") or is an event noun too
        (
            "Gunmen attacked a market on Monday, and police said the attack victims were "
            "civilians.",
            "ASSAULT",
            ["attacked", "attack"],
        ),
        (
            "Police arrested the bombing suspect after the bombing.",
            "ASSAULT",
            ["bombing", "bombing"],
        ),
    ],
)
def test_event_nouns_that_name_a_kind(
    extractor: Extractor, body: str, etype: str, expected: list[str]
) -> None:
    assert mentions(extractor, body, etype) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Police officers led the fight against corruption in the capital.", []),
        ("Soldiers and police joined the fight against global warming.", []),
        ("Police launched an operation to combat illegal logging in the forest.", []),
        ("Troops were fighting drug trafficking in the north, the army said.", []),
        ("Rebels and army troops fought a legal battle over the land.", ["fought"]),
        ("The soldier fought back tears as police described the attack.", ["attack"]),
        ("Firefighters and soldiers fought the blaze for hours, police said.", []),
        ("Kurdish forces led the fight against Islamic State militants in the town.", ["fight"]),
        ("Army troops battled insurgents in the north, the military said.", ["battled"]),
    ],
)
def test_fighting_a_problem_is_no_assault(
    extractor: Extractor, body: str, expected: list[str]
) -> None:
    assert mentions(extractor, body, "ASSAULT") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Thousands of supporters cheered as the candidate spoke at a rally in Ohio.", []),
        ("Crowds gathered at a campaign rally for the president in Miami on Sunday.", []),
        (
            "The candidate is campaigning in Ohio this week. Thousands of supporters cheered "
            "at a rally in Columbus.",
            [],
        ),
        ("Thousands of people joined a rally in the capital on Sunday.", ["rally"]),
        (
            "Thousands of protesters joined a rally against the election result in the capital.",
            ["rally"],
        ),
    ],
)
def test_a_campaign_rally_is_no_protest(
    extractor: Extractor, body: str, expected: list[str]
) -> None:
    assert mentions(extractor, body, "PROTEST") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Jordan already hosts 600,000 refugees in its camps.", []),
        ("He was jailed for hosting parties at his home.", []),
        ("The plan met with approval from lawmakers on Monday.", []),
        ("Obama hosted Chinese President Xi Jinping at the White House on Friday.", ["hosted"]),
        ("The president met with lawmakers on Monday.", ["met"]),
    ],
)
def test_hosting_things_and_meeting_with_approval_are_no_consultations(
    extractor: Extractor, body: str, expected: list[str]
) -> None:
    assert mentions(extractor, body, "CONSULT") == expected


@pytest.mark.parametrize(
    ("body", "etype", "expected"),
    [
        ("Putin said he has the right to invade Ukraine.", "ASSAULT", []),
        ("Russia invaded Ukraine in February, officials said.", "ASSAULT", ["invaded"]),
        ("Western governments appear keen to strike back at the militants.", "ASSAULT", []),
        ("China lodged a formal protest over the visit, police said.", "PROTEST", []),
        ("Thousands of people joined a protest in the capital on Sunday.", "PROTEST", ["protest"]),
        ("Army troops marched in a parade as thousands of people watched.", "PROTEST", []),
        ("Thousands of people marched through the capital on Sunday.", "PROTEST", ["marched"]),
        (
            "Thousands of soldiers marched against the government, protesters said.",
            "PROTEST",
            ["marched"],
        ),
    ],
)
def test_rights_diplomatic_protests_and_parades_are_no_events(
    extractor: Extractor, body: str, etype: str, expected: list[str]
) -> None:
    assert mentions(extractor, body, etype) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Rebels seized the airfield from government forces on Monday.", []),
        ("Police said militants seized control of the town last week.", []),
        ("Police seized 40 kilograms of heroin and two cars in the raid.", ["seized"]),
        ("The chemical is banned under the convention, police said.", []),
        ("A court banned the opposition party on Monday.", ["banned"]),
    ],
)
def test_seizing_ground_and_standing_bans_are_no_coercion(
    extractor: Extractor, body: str, expected: list[str]
) -> None:
    assert mentions(extractor, body, "COERCE") == expected
