"""Harm nobody intended (floods, crashes, disease) is a DISASTER, never an ASSAULT by the
phenomenon; it keeps its casualty counts and place. Dates are never participants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wirestream.core.contracts import Article, EventRecord
from wirestream.core.extraction import Extractor
from wirestream.evaluation.tasks import article_casualties

PUBLISHED = datetime(2024, 7, 24, 12, 0, tzinfo=UTC)


def events_of(extractor: Extractor, body: str) -> list[EventRecord]:
    article = Article(id="h", body=body, published_at=PUBLISHED, language="en")
    return extractor.extract(article).events


def test_floods_are_a_disaster_with_their_toll_and_place(extractor: Extractor) -> None:
    body = "Floods killed at least 12 people in Porto Alegre on Tuesday."
    result = extractor.extract(Article(id="f", body=body, published_at=PUBLISHED, language="en"))
    (event,) = result.events
    assert (event.type, event.mode) == ("DISASTER", "natural")
    assert event.actors == []
    assert all(r.name != "Tuesday" for r in event.recipients)
    assert event.casualties.killed is not None and event.casualties.killed.value == 12
    assert event.casualties.killed.qualifier == "at_least"
    assert event.location is not None and event.location.name == "Porto Alegre"
    assert event.date is not None and event.date.value == "2024-07-23"
    (place,) = [e for e in result.entities if e.name == "Porto Alegre"]
    assert place.type == "LOCATION"
    assert article_casualties(result.events) == (12, 0)  # the scorer keeps the counts


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Two men died in a car crash near Leeds on Sunday.", "accident"),
        ("Cholera has killed 40 people in Haiti this month.", "disease"),
        ("The storm left five people dead in Florida.", "natural"),
        ("He died of a heart attack in Berlin on Monday.", "disease"),
        ("A gas explosion killed four workers at a factory in Tianjin.", "accident"),
        ("Three climbers were killed by an avalanche in the Alps.", "natural"),
    ],
)
def test_non_intentional_harm(extractor: Extractor, body: str, kind: str) -> None:
    events = events_of(extractor, body)
    assert events and all(e.type == "DISASTER" and e.mode == kind for e in events)
    assert all(e.actors == [] for e in events)


@pytest.mark.parametrize(
    "body",
    [
        "A gunman killed three people in Dallas on Monday.",
        "Police said the man was shot during the storm in Houston.",
        "Rebels attacked the town after the floods, killing six soldiers.",
        "A suicide bomber killed 20 people at a market in Kabul.",
    ],
)
def test_attacks_near_a_hazard_word_stay_attacks(extractor: Extractor, body: str) -> None:
    events = events_of(extractor, body)
    assert events and all(e.type == "ASSAULT" for e in events)


def test_a_date_is_never_an_actor_or_recipient(extractor: Extractor) -> None:
    body = "Rebels attacked government positions on Tuesday and again on Friday."
    for event in events_of(extractor, body):
        names = [p.name for p in (*event.actors, *event.recipients)]
        assert "Tuesday" not in names and "Friday" not in names


def test_victims_of_a_death_state_are_recipients(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "At least 12 people died in the shelling of Kharkiv.")
    assert not any("12 people" in a.name for a in event.actors)
    assert any("12 people" in r.span.text for r in event.recipients)


def test_actor_of_an_event_noun_from_its_support_verb(extractor: Extractor) -> None:
    events = events_of(extractor, "Gunmen launched an attack on a police station in Kano.")
    assert any(a.name == "Gunmen" for e in events for a in e.actors)
    claimed = events_of(extractor, "The Islamic State claimed responsibility for the bombing.")
    assert any("Islamic State" in a.name for e in claimed for a in e.actors)
    # a reaction is no support verb: the condemner did not attack
    condemned = events_of(extractor, "The United Nations condemned the attack on the convoy.")
    assert not any(
        "United Nations" in a.name for e in condemned if e.type == "ASSAULT" for a in e.actors
    )


def test_a_site_the_trigger_governs_is_the_place(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "Two guards were killed at the jail on Monday.")
    assert event.location is not None and event.location.name == "jail"
    named = events_of(extractor, "Two guards were killed at the jail in Kandahar on Monday.")
    assert named[0].location is not None and named[0].location.name == "Kandahar"


def test_actor_nouns_modifying_an_event_noun(extractor: Extractor) -> None:
    events = events_of(extractor, "Two fatal police shootings angered residents in Dallas.")
    assert any(a.name == "police" for e in events for a in e.actors)
    killed = events_of(extractor, "The Parachute Regiment killed 13 protesters in Derry.")
    assert any("Parachute Regiment" in a.name for e in killed for a in e.actors)
    drones = events_of(extractor, "Drone strikes killed four civilians in Idlib.")
    assert not any(a.name.lower().startswith("drone") for e in drones for a in e.actors)
