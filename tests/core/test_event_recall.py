"""Event triggers a wire desk expects: casualty words whose victims are a number of people,
trigger nouns inside a date phrase or mistagged as verbs (texts written for these tests)."""

from __future__ import annotations

import pytest

from fixtures.events import mention_texts as mention_words
from wirestream.core.extraction import Extractor


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("Hundreds of villagers were killed when the dam burst last spring.", "killed"),
        ("Dozens were killed in the town of Marwen on Tuesday.", "killed"),
        ("Poison gas killed hundreds of villagers in the valley on Monday.", "killed"),
        ("A number of prisoners died when guards opened fire in the yard.", "died"),
        ("In the civil war of the 1990s, tens of thousands were killed.", "killed"),
    ],
)
def test_a_number_of_people_are_victims(extractor: Extractor, body: str, word: str) -> None:
    assert word in mention_words(extractor, body, "ASSAULT")


@pytest.mark.parametrize(
    "body",
    [
        "Thousands of acres of crops were killed by the frost last week.",
        "Dozens of proposals died in the committee this year.",
    ],
)
def test_a_number_of_things_are_no_victims(extractor: Extractor, body: str) -> None:
    assert mention_words(extractor, body, "ASSAULT") == []


def test_a_trigger_noun_inside_a_date_phrase(extractor: Extractor) -> None:
    body = "Rana, 9, was wounded in an airstrike 10 days ago in her home town of Barza."
    assert "airstrike" in mention_words(extractor, body, "ASSAULT")


def test_a_month_is_no_trigger(extractor: Extractor) -> None:
    body = "The union said the talks on wages would resume in March, after the holidays."
    assert "March" not in mention_words(extractor, body, "PROTEST")


def test_a_trigger_noun_the_tagger_calls_a_verb(extractor: Extractor) -> None:
    body = (
        "Rescuers pulled a boy from the rubble following a government forces airstrike on the "
        "rebel-held district of Kalam."
    )
    assert "airstrike" in mention_words(extractor, body, "ASSAULT")


@pytest.mark.parametrize(
    ("body", "etype", "word"),
    [
        ("Two of the detained protesters were later released on bail.", "COERCE", "detained"),
        ("Coast guards recovered the dead migrants from a beach near Tarvo.", "ASSAULT", "dead"),
    ],
)
def test_a_participle_before_people_says_what_happened_to_them(
    extractor: Extractor, body: str, etype: str, word: str
) -> None:
    assert word in mention_words(extractor, body, etype)


def test_a_participle_before_a_thing_is_no_event(extractor: Extractor) -> None:
    body = "The detained cargo was released from the port of Karsk on Friday."
    assert mention_words(extractor, body, "COERCE") == []


@pytest.mark.parametrize(
    "body",
    [
        "The navy fired a barrage of cruise missiles into the rebel port on Friday.",
        "Two rockets were fired by militants from the hills overnight.",
        "Witnesses saw shells being fired from the ridge toward the border villages.",
    ],
)
def test_what_is_fired_may_be_a_passive_subject_or_a_plural(
    extractor: Extractor, body: str
) -> None:
    assert "fired" in mention_words(extractor, body, "ASSAULT")


def test_fired_workers_are_no_attack(extractor: Extractor) -> None:
    body = "Forty workers were fired by the factory in Tarvo after the army contract ended."
    assert "fired" not in mention_words(extractor, body, "ASSAULT")


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("Two men attacked her outside a supermarket in Tarvo on Saturday.", "attacked"),
        ("A woman who was attacked outside her home is recovering.", "attacked"),
        ("Observers condemned the execution of the former minister last week.", "execution"),
        ("A mob attacked the consulate in Tarvo on Sunday night.", "attacked"),
    ],
)
def test_an_attack_on_people_needs_no_context_word(
    extractor: Extractor, body: str, word: str
) -> None:
    assert word in mention_words(extractor, body, "ASSAULT")


@pytest.mark.parametrize(
    "body",
    [
        "The senator attacked the budget plan in a speech on Monday.",
        "Lawyers oversaw the execution of the contract last week.",
    ],
)
def test_an_attack_on_a_thing_still_needs_a_context_word(extractor: Extractor, body: str) -> None:
    assert mention_words(extractor, body, "ASSAULT") == []


def test_a_particular_event_noun_that_resumes_is_an_event(extractor: Extractor) -> None:
    body = "Residents said that after a two-day lull heavy fighting resumed around the airport of Tarvo."
    assert "fighting" in mention_words(extractor, body, "ASSAULT")


def test_a_bare_event_noun_that_continues_is_no_particular_event(extractor: Extractor) -> None:
    body = "Talks continue, the ministry of the interior in Tarvo said on Monday."
    assert mention_words(extractor, body, "CONSULT") == []


def test_a_bare_plural_acting_on_a_named_target_is_an_event(extractor: Extractor) -> None:
    body = "Airstrikes pounded rebel positions around the airport of Tarvo."
    assert "Airstrikes" in mention_words(extractor, body, "ASSAULT")


def test_a_bare_plural_in_a_general_statement_is_no_event(extractor: Extractor) -> None:
    body = "Airstrikes rarely end wars on their own, the professor argued."
    assert "Airstrikes" not in mention_words(extractor, body, "ASSAULT")


@pytest.mark.parametrize(
    "body",
    [
        "The 23-year-old was killed by a neighbour after an argument over parking.",
        "The 19-year-old was killed by her own brother in Tarvo.",
    ],
)
def test_killed_by_a_person_has_a_victim(extractor: Extractor, body: str) -> None:
    assert "killed" in mention_words(extractor, body, "ASSAULT")


def test_a_bill_killed_by_a_committee_is_no_attack(extractor: Extractor) -> None:
    body = "The bill was killed by the committee in June."
    assert mention_words(extractor, body, "ASSAULT") == []


def test_armed_forces_are_people(extractor: Extractor) -> None:
    body = "Many government forces died when their convoy was ambushed near Tarvo."
    assert "died" in mention_words(extractor, body, "ASSAULT")


def test_market_forces_are_no_people(extractor: Extractor) -> None:
    body = "Analysts said market forces killed the merger of the two banks."
    assert mention_words(extractor, body, "ASSAULT") == []


def test_a_death_coordinated_with_an_attempt_happened(extractor: Extractor) -> None:
    body = "The man tried to escape from the guards and died of his wounds on Sunday."
    assert "died" in mention_words(extractor, body, "ASSAULT")


def test_a_killing_that_was_only_attempted_is_irrealis(extractor: Extractor) -> None:
    body = "The man tried to kill his neighbour on Sunday."
    assert "kill" not in mention_words(extractor, body, "ASSAULT")


def test_people_who_were_executed(extractor: Extractor) -> None:
    body = (
        "The prisoners who were executed last year were buried outside Tarvo, a rights group said."
    )
    assert "executed" in mention_words(extractor, body, "ASSAULT")


def test_a_plan_that_was_executed_is_no_attack(extractor: Extractor) -> None:
    body = "The plan that was executed last spring saved the company money."
    assert mention_words(extractor, body, "ASSAULT") == []
