"""Event rules on short texts: triggers, false events, participants, casualties, claims, time."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wirestream.core.contracts import Article, EventRecord
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.events.lexicon import LEXICON_DIR, load_lexicon
from wirestream.errors import LexiconError

PUBLISHED = datetime(2024, 7, 24, 12, 0, tzinfo=UTC)


def events_of(
    extractor: Extractor, body: str, published: datetime | None = PUBLISHED
) -> list[EventRecord]:
    article = Article(id="t", body=body, published_at=published, language="en")
    events = extractor.extract(article).events
    for e in events:
        assert e.trigger.text == body[e.trigger.start : e.trigger.end]
    return events


def test_attack_with_actor_recipient_place_and_date(extractor: Extractor) -> None:
    (event,) = events_of(
        extractor, "Russian forces shelled the city of Kharkiv on Tuesday, killing two people."
    )
    assert (event.type, event.mode) == ("ASSAULT", "shelling")
    assert event.trigger.text == "shelled"
    assert event.date is not None and event.date.value == "2024-07-23"
    assert event.casualties.killed is not None and event.casualties.killed.value == 2
    assert event.actors and "forces" in event.actors[0].name


def test_meeting_in_a_city(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "Antony Blinken met with Wang Yi in Beijing on Friday.")
    assert (event.type, event.mode) == ("CONSULT", "meeting")
    assert {"Antony Blinken", "Wang Yi"} <= {p.name for p in event.actors}
    assert event.location is not None and event.location.span.text == "Beijing"
    assert event.date is not None and event.date.value == "2024-07-19"


@pytest.mark.parametrize(
    "body",
    [
        "Russia did not attack Kyiv on Monday.",  # negation
        "Moscow says it is ready to meet Ukrainian officials.",  # irrealis head
        "The ministers would meet in Geneva next month.",  # modal
        "If Russia attacks, NATO will respond.",  # condition
        "The Kremlin is open to negotiations with Kyiv.",  # generic noun under 'open to'
        "Officials discussed the so-called 'special operation' at length.",  # scare quotes
        "Any negotiations with Moscow are pointless, he said.",  # generic determiner
        "Russian strikes continue in Ukraine",  # heading
        "The company struck a deal with its suppliers.",  # not a physical strike
        "The troops left the occupied areas.",  # participle as adjective
        "Neither the driver nor the passengers were injured.",  # negated casualties
        "The planned meeting between the two leaders has no date yet.",  # future
        "The dollar hit its highest level in three months.",  # business sense, no context
        "A prolonged drought has killed crops.",  # no people among the victims
    ],
)
def test_no_false_events(extractor: Extractor, body: str) -> None:
    assert events_of(extractor, body) == []


@pytest.mark.parametrize(
    ("body", "killed", "injured"),
    [
        ("A man was shot and killed on Main Street on Sunday, police said.", 1, None),
        ("Two people were shot Tuesday night. Both were taken to a hospital.", None, 2),
        ("A gunman killed three people and wounded five others at a mall.", 3, 5),
        ("A teen was shot on Friday. He died at the hospital hours later.", 1, None),
        ("Police found a man shot in the 3000 block of Moncrief Road.", None, 1),
        ("The shooting left four people dead and two others wounded.", 4, 2),
    ],
)
def test_casualties(
    extractor: Extractor, body: str, killed: int | None, injured: int | None
) -> None:
    events = [e for e in events_of(extractor, body) if e.type == "ASSAULT"]
    assert events
    k = max((e.casualties.killed.value for e in events if e.casualties.killed), default=None)
    i = max((e.casualties.injured.value for e in events if e.casualties.injured), default=None)
    assert (k, i) == (killed, injured)


@pytest.mark.parametrize(
    ("body", "etype", "trigger"),
    [
        ("The opposition called on citizens to take to the streets.", "REQUEST", "called"),
        (
            "Two Ulster politicians called for the immediate resumption of internment.",
            "REQUEST",
            "called",
        ),
        ("The opposition responded by asking citizens to march on Sunday.", "REQUEST", "asking"),
        ("The general ordered the troops to leave the city.", "REQUEST", "ordered"),
        ("There were urgent demands last night for a new inquiry.", "REQUEST", "demands"),
        ("Opponents are begging voters to sit out the election.", "REQUEST", "begging"),
        ("In May, the activist was arrested and charged with treason.", "ACCUSE", "charged"),
        ("He pleaded not guilty to charges of lying to investigators.", "ACCUSE", "charges"),
        ("Five officers were indicted on Monday.", "ACCUSE", "indicted"),
        ("The suspect was charged with murdering two people.", "ACCUSE", "charged"),
        ("Kyiv requested more air defence systems.", "REQUEST", "requested"),
        ("The prosecutor opened a probe into the explosion.", "ACCUSE", "probe"),
        ("Workers were given an ultimatum by their bosses.", "THREATEN", "ultimatum"),
    ],
)
def test_triggers_known_by_their_complements(
    extractor: Extractor, body: str, etype: str, trigger: str
) -> None:
    assert (etype, trigger) in {(e.type, e.trigger.text) for e in events_of(extractor, body)}


@pytest.mark.parametrize(
    "body",
    [
        "A group called the Syrian Observatory reported the figure.",  # a name, not a request
        '"Why now?" he asked.',  # a question
        "She asked whether the vote would go ahead.",  # a question
        "The official, who asked not to be named, gave no details.",  # anonymity
        "The company charged customers $5 for delivery.",  # a price
        "Police charged the crowd with batons.",  # a physical charge (no ACCUSE)
        "The officer in charge of the unit was promoted.",  # "in charge"
        "The navy dropped depth charges.",  # explosives
        "Oil demand fell sharply in March.",  # economics
        "He ordered three pizzas.",  # a purchase
        "The average forecast called for a 2% rise in prices.",  # a document "calls for"
        "The strategist, who requested anonymity, said prices would fall.",  # anonymity
        "The commission was charged with overseeing the election.",  # a task
        'On Friday, the president called the explosion an "attack".',  # naming; "on" is a date
    ],
)
def test_complements_rule_out_other_senses(extractor: Extractor, body: str) -> None:
    found = {(e.type, e.trigger.text) for e in events_of(extractor, body)}
    assert not {t for t in found if t[0] in ("REQUEST", "ACCUSE", "THREATEN")}, found


def test_attempting_is_not_wounding(extractor: Extractor) -> None:
    body = "He fired at the man, attempting to wound him in the shoulder."
    assert all(e.casualties.injured is None for e in events_of(extractor, body))


def test_claim_modalities(extractor: Extractor) -> None:
    body = (
        "Russia denied that its forces attacked the market. "
        "Ukraine's military said Russian missiles struck a hospital in Kyiv."
    )
    events = events_of(extractor, body)
    struck = next(e for e in events if e.trigger.text == "struck")
    assert struck.claim is not None and struck.claim.modality == "reported"
    assert struck.claim.cue.text == "said"
    attacked = next(e for e in events if e.trigger.text == "attacked")
    assert attacked.claim is not None and attacked.claim.modality == "denied"
    assert attacked.claim.source is not None and attacked.claim.source.name == "Russia"


def test_background_by_date_and_cue(extractor: Extractor) -> None:
    events = events_of(
        extractor,
        "Russia invaded Ukraine in February 2022. "
        "It was his first visit since the invasion of Ukraine. "
        "On Monday, drones attacked Odesa.",
    )
    assaults = [e for e in events if e.type == "ASSAULT"]
    # "invaded" and "the invasion of Ukraine" are one background event; the attack is news.
    assert [(e.trigger.text, e.timeframe) for e in assaults] == [
        ("invaded", "background"),
        ("attacked", "current"),
    ]
    assert assaults[1].mode == "drone"
    assert assaults[1].date is not None and assaults[1].date.value == "2024-07-22"
    alone = events_of(extractor, "It was his first visit since the invasion of Ukraine.")
    assert [(e.trigger.text, e.timeframe) for e in alone if e.type == "ASSAULT"] == [
        ("invasion", "background")
    ]


def test_without_published_at_relative_dates_are_left_out(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "Drones attacked Odesa on Monday.", published=None)
    assert event.date is None
    assert event.timeframe == "current"


def test_lexicon_loads_once_and_holds_no_evaluation_data() -> None:
    assert load_lexicon() is load_lexicon()
    # the data sets' type map is the evaluation's (evaluation/mappings/), not the runtime's
    assert not hasattr(load_lexicon(), "dataset_type_map")
    assert not (LEXICON_DIR / "dataset_type_map.json").exists()


def test_malformed_lexicon_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    shutil.copytree(LEXICON_DIR, folder)
    with (folder / "triggers.tsv").open("a", encoding="utf-8") as f:
        f.write("bombard\tVERB\tNOT_A_TYPE\t-\n")
    with pytest.raises(LexiconError, match=r"triggers\.tsv:\d+"):
        load_lexicon(folder)
    (folder / "triggers.tsv").write_text((LEXICON_DIR / "triggers.tsv").read_text("utf-8"), "utf-8")
    context = json.loads((LEXICON_DIR / "context.json").read_text("utf-8"))
    context["complement_frames"]["call/VERB"]["any"] = ["prep:for", "near:the"]
    (folder / "context.json").write_text(json.dumps(context), "utf-8")
    with pytest.raises(LexiconError, match=r"context\.json.*call/VERB.*'near:the'"):
        load_lexicon(folder)
    (folder / "context.json").write_text((LEXICON_DIR / "context.json").read_text("utf-8"), "utf-8")
    (folder / "background.json").write_text(json.dumps({"recent_days": 0}), "utf-8")
    with pytest.raises(LexiconError, match=r"background\.json"):
        load_lexicon(folder)


def test_gva_sample_accuracy(extractor: Extractor, shared_data: Path) -> None:
    """Article-level killed/injured (max over current ASSAULT events, else 0) on GVA dev articles."""
    path = shared_data / "casualties_gva" / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    rows = [r for r in rows if r["likely_single_incident_clean"] and r["split"] == "dev"][:60]
    articles = [Article(id=r["id"], body=r["text"], language="en") for r in rows]
    ok_killed = ok_injured = 0
    for row, result in zip(rows, extractor.extract_many(articles), strict=True):
        current = [e for e in result.events if e.type == "ASSAULT" and e.timeframe == "current"]
        killed = max((e.casualties.killed.value for e in current if e.casualties.killed), default=0)
        injured = max(
            (e.casualties.injured.value for e in current if e.casualties.injured), default=0
        )
        ok_killed += killed == row["n_killed"]
        ok_injured += injured == row["n_injured"]
    assert ok_killed / len(rows) >= 0.8
    assert ok_injured / len(rows) >= 0.65
