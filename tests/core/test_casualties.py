"""Article-level casualty counts on short texts written for these tests.

The rule is the one the casualties evaluation documents (``lexicons/events/README.md``): the
largest killed/injured count over the article's current ASSAULT events, 0 when there is none.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.events.lexicon import load_lexicon
from wirestream.core.extraction.events.quantities import find_numbers

PUBLISHED = datetime(2024, 7, 24, 12, 0, tzinfo=UTC)


def casualties(extractor: Extractor, body: str) -> tuple[int, int]:
    article = Article(id="c", body=body, published_at=PUBLISHED, language="en")
    killed = injured = 0
    for event in extractor.extract(article).events:
        if event.type != "ASSAULT" or event.timeframe != "current":
            continue
        for count in (event.casualties.killed, event.casualties.injured):
            if count is not None:
                assert body[count.span.start : count.span.end] == count.span.text
        if event.casualties.killed is not None:
            killed = max(killed, event.casualties.killed.value)
        if event.casualties.injured is not None:
            injured = max(injured, event.casualties.injured.value)
    return killed, injured


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # shot, survival unstated: injured
        ("A man was shot in the leg on Main Street.", (0, 1)),
        ("Police found a 25-year-old man shot in the chest, an officer said.", (0, 1)),
        ("A 16-year-old was shot in the arm on Friday night.", (0, 1)),
        ("Carla Benton, 31, was grazed and survived.", (0, 1)),
        ("Two teens shot outside a home on Elm Street.", (0, 2)),
        # after being shot: the main clause's subject
        ("A local man is in critical condition after being shot on Oak Avenue.", (0, 1)),
        # relative clause: the noun it modifies
        ("A woman who was shot in the hand drove herself to a hospital.", (0, 1)),
        # a name the model may not know, and a relative as the object
        ("Police said Marlow shot Tibbs in the face.", (0, 1)),
        ("A man shot his stepfather with a shotgun late Friday.", (0, 1)),
        # struck / hit by gunfire
        ("During the shooting a bullet struck the clerk in the shoulder.", (0, 1)),
        ("In the shooting, the robber was hit by two bullets, police said.", (0, 1)),
        # partitive: the dead are among those shot
        ("Two people were shot, one fatally.", (1, 1)),
        ("Three men were shot and one of them was killed.", (1, 2)),
        ("Four people were shot on Saturday. One of them died at the hospital.", (1, 3)),
        # ... unless the others are said to be others
        ("The shooting left two men dead. Four others were shot in the attack.", (2, 4)),
        # several victims in one sentence
        ("One person was shot in the arm and another was shot in the chest.", (0, 2)),
        (
            "Police found a man who had been shot in the back and a woman who had been shot in the leg.",
            (0, 2),
        ),
        ("A married couple was injured in the shooting.", (0, 2)),
        # a death from injuries is not an injury
        (
            "A man was shot on Sunday. He was taken to a hospital, where he died of his injuries.",
            (1, 0),
        ),
        ("He was found fatally wounded in his car.", (1, 0)),
        ("A man was mortally wounded in the shooting.", (1, 0)),
        ("A man was shot on Sunday. The victim passed away at the hospital.", (1, 0)),
        # stated injuries stay
        ("A man was killed and a woman was wounded in the shooting.", (1, 1)),
        ("The woman walked into a hospital, suffering from a gunshot wound.", (0, 1)),
        # a gunshot wound says no more than "shot": with as many dead, the wounded one died
        (
            "Deputies found Ray Dunmore with a gunshot wound. He was pronounced dead at the scene.",
            (1, 0),
        ),
        (
            "Officers found a man with multiple gunshot wounds on Pine Street. He died later.",
            (1, 0),
        ),
        # ... unless the wound is said to be minor, or the wounded one is someone else
        (
            "A clerk was found with a minor gunshot wound. The robber was found dead nearby.",
            (1, 1),
        ),
        ("A man was found dead and a woman was found with a gunshot wound to the arm.", (1, 1)),
        ("One man was killed. Another man was found with a gunshot wound to the leg.", (1, 1)),
        # wounded, then died: one death, no injury
        ("An officer fired once, wounding Dale Ortiz, who later died at a hospital.", (1, 0)),
        ("Reports say a man was injured and killed in the crossfire.", (1, 0)),
        # what is denied is the severity, not the injury; a part of a group is people
        ("The shooting victim's injuries are not considered life-threatening.", (0, 1)),
        ("One of the deputies received a minor injury during the shooting.", (0, 1)),
        ("Deputies found Tomsk Varrow suffering from a gunshot wound in the shooting.", (0, 1)),
        ("A man was found bleeding from an apparent gunshot wound after the shooting.", (0, 1)),
    ],
)
def test_casualty_patterns(extractor: Extractor, body: str, expected: tuple[int, int]) -> None:
    assert casualties(extractor, body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the number counts the attackers
        ("Police said two masked men shot the clerk.", (0, 1)),
        # names, ranges, ages, times and page furniture are not counts of people
        ("A 7-Eleven clerk shot a robber in the leg.", (0, 1)),
        ("Officers found two men, ages 20 and 21, both shot in the leg.", (0, 2)),
        ("Jordan Hale, 19, was shot in the leg around 8 on Friday.", (0, 1)),
        # fired at, not hit
        ("The man he shot at was never found.", (0, 0)),
        # hit with something that is not a gun
        ("During a fight one teen hit another in the head with a bat.", (0, 0)),
        # no one hit
        ("Nobody was hurt when shots were fired at the house.", (0, 0)),
        ("No injuries were reported after shots were fired at the house.", (0, 0)),
        ("One of the houses received damage when shots were fired.", (0, 0)),
    ],
)
def test_casualty_false_positives(
    extractor: Extractor, body: str, expected: tuple[int, int]
) -> None:
    assert casualties(extractor, body) == expected


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("A 7-Eleven clerk was there.", []),  # a name
        ("He was shot 16-18 times.", []),  # a range
        ("Jordan Hale, 19, and Dana Cole (23) were shot.", []),  # ages in apposition
        ("Two men, ages 20 and 21, were shot.", [2]),  # ages after "ages"
        ("Image 1 of / 29 Caption Close", []),  # gallery furniture
        ("Three people were shot.", [3]),
    ],
)
def test_numbers_that_are_not_counts(extractor: Extractor, text: str, values: list[int]) -> None:
    lex = load_lexicon()
    doc = extractor.nlp(text)
    assert [n.value for n in find_numbers(doc[:], lex)] == values


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # hospital transport in a sentence without an attack word is an injury ...
        (
            "Police responded to a shooting on Elm Street on Friday. "
            "The victim was rushed to the hospital.",
            (0, 1),
        ),
        (
            "Police are investigating a shooting on Pine Street. "
            "Medics transported a woman to Mercy Hospital.",
            (0, 1),
        ),
        (
            "Police are investigating a shooting on Elm Street. "
            "A man arrived at a hospital with a gunshot wound.",
            (0, 1),
        ),
        (
            "Police are investigating a shooting on Elm Street. "
            "Two victims remain at County Hospital.",
            (0, 2),
        ),
        # ... a stated condition of a person too, with its number
        ("A man is in critical condition after a shooting on Main Street on Friday.", (0, 1)),
        (
            "Police investigated a shooting on Elm Street on Friday. "
            "Two men were listed in stable condition.",
            (0, 2),
        ),
        # "both were taken to the hospital" raises a smaller count of the attack sentences
        (
            "A man was shot on Elm Street on Friday. Another man was hurt. "
            "Both were taken to the hospital.",
            (0, 2),
        ),
        (
            "Police are investigating a shooting on Elm Street. The victim, who was shot in "
            "the leg, is recovering at Mercy Hospital.",
            (0, 1),
        ),
    ],
)
def test_injuries_told_after_the_attack(
    extractor: Extractor, body: str, expected: tuple[int, int]
) -> None:
    assert casualties(extractor, body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # decided: a hospital visit "as a precaution" or "for evaluation" is no injury
        (
            "Police investigated a shooting on Elm Street on Friday. "
            "The driver was taken to a hospital as a precaution.",
            (0, 0),
        ),
        (
            "Police investigated a shooting on Elm Street on Friday. "
            "The suspect was taken to a hospital for evaluation.",
            (0, 0),
        ),
        # not done: refused, so nobody was taken
        (
            "Police investigated a shooting on Elm Street on Friday. "
            "Her husband refused to take her to the hospital.",
            (0, 0),
        ),
        # a sentence with a death in it is no evidence of an injury
        (
            "Police investigated a shooting on Elm Street on Friday. "
            "The victim was taken to the hospital, where he was pronounced dead.",
            (1, 0),
        ),
        # a condition of a thing, not a person
        (
            "Police investigated a shooting on Elm Street on Friday. "
            "The house was in good condition.",
            (0, 0),
        ),
        # negated wounds outside the attack sentences
        (
            "A man was shot at on Friday. Police said the man did not suffer any serious injuries.",
            (0, 0),
        ),
    ],
)
def test_no_injury_after_the_attack(
    extractor: Extractor, body: str, expected: tuple[int, int]
) -> None:
    assert casualties(extractor, body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # each verb its own object: the wife is not the one killed ...
        (
            "A man shot his wife and then killed himself on Friday, police said. "
            "The woman is in stable condition.",
            (1, 1),
        ),
        (
            "A man shot his wife and then killed himself on Friday, police said. "
            "She is expected to survive.",
            (1, 1),
        ),
        (
            "A man shot his wife and then killed himself on Friday, police said. "
            "The woman was found shot but still alive.",
            (1, 1),
        ),
        # ... but "shot" alone does not say she lived: with one dead reported, those shot are
        # taken to be the dead (the rule of shot_victims_who_died)
        ("A man shot his wife and then killed himself on Friday, police said.", (1, 0)),
        # recovering from something else says nothing of the shooting
        (
            "A man shot his wife and then killed himself on Friday, police said. "
            "He had been recovering from surgery.",
            (1, 0),
        ),
        # a death told in another sentence: the one shot or wounded is the one who died
        ("A man was shot on Elm Street on Friday. He was pronounced dead at the scene.", (1, 0)),
        ("A woman was wounded in a shooting on Friday. She later died of her wounds.", (1, 0)),
        ("A man was shot in the arm on Friday and taken to a hospital. He later died.", (1, 0)),
        # not a death: what someone says might have happened, body parts
        ('A man was shot in the leg on Friday. "I could have been dead," he said.', (0, 1)),
        ("Two women were shot in the lower parts of their bodies on Friday.", (0, 2)),
        # one verb, one victim: "shot and killed" is one death, no injury
        ("Police shot and killed a man on Friday.", (1, 0)),
    ],
)
def test_survival_and_death_across_sentences(
    extractor: Extractor, body: str, expected: tuple[int, int]
) -> None:
    assert casualties(extractor, body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the casualty clause is what a negated verb or "no reports" says: no casualty
        (
            "Two men shot at a house on Friday. "
            "Police did not believe that the victim had actually been shot.",
            (0, 0),
        ),
        (
            "Shots were fired on Elm Street on Friday. "
            "There are no reports that either man was hurt.",
            (0, 0),
        ),
        # believed, not denied
        (
            "Shots were fired on Elm Street on Friday. "
            "Police believe that the victim was shot in the leg.",
            (0, 1),
        ),
    ],
)
def test_denied_casualties(extractor: Extractor, body: str, expected: tuple[int, int]) -> None:
    assert casualties(extractor, body) == expected
