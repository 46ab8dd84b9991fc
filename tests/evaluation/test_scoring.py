"""The scorers on hand-made gold files (tests/evaluation/data), answers counted by hand.

For every task: a perfect prediction scores 1.0, an empty one 0.0, and a half-right one the number
worked out in the comment next to it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.evaluation import data
from wirestream.evaluation.scoring import (
    PRF,
    EventItem,
    PredictedQuote,
    QuoteCounts,
    match_quotes,
    same_person,
    score_arguments,
    score_counts,
    score_document_types,
    score_exact,
    score_triggers,
)

DATA = Path(__file__).resolve().parent / "data"
TYPES = ("PERSON", "ORGANIZATION", "LOCATION")


# --- entities ---------------------------------------------------------------------------------


def _entity_docs() -> list[data.EntityDoc]:
    return list(data.read_entities(DATA / "conll2003" / "dev.jsonl"))


def _entity_gold() -> list[tuple[str, int, int, str]]:
    return [(d.id, s, e, t) for d in _entity_docs() if d.skip_reason is None for s, e, t in d.gold]


def test_entity_reader_maps_types_drops_misc_and_marks_docs_without_gold() -> None:
    docs = _entity_docs()
    assert [d.skip_reason for d in docs] == [None, None, "empty text", "no 'entities' field"]
    e1, e2 = docs[0], docs[1]
    assert [(e1.text[s:e], t) for s, e, t in e1.gold] == [
        ("Angela Merkel", "PERSON"),
        ("Emmanuel Macron", "PERSON"),
        ("Paris", "LOCATION"),
    ]
    # Bundesliga is MISC: dropped.
    assert [(e2.text[s:e], t) for s, e, t in e2.gold] == [
        ("Reuters", "ORGANIZATION"),
        ("Berlin", "LOCATION"),
    ]


def test_entities_perfect_and_empty() -> None:
    gold = _entity_gold()
    perfect = score_exact(gold, gold, TYPES)
    assert perfect.micro.f1 == 1.0
    assert all(s.f1 == 1.0 for s in perfect.by_type.values())
    empty = score_exact(gold, [], TYPES)
    assert (empty.micro.precision, empty.micro.recall, empty.micro.f1) == (0.0, 0.0, 0.0)
    assert empty.micro.fn == 5


def test_entities_half_right() -> None:
    gold = _entity_gold()  # 5 items: PERSON 2, LOCATION 2, ORGANIZATION 1
    predicted = [
        ("e1", 0, 13, "PERSON"),  # right
        ("e1", 18, 26, "PERSON"),  # "Emmanuel": wrong span
        ("e1", 37, 42, "ORGANIZATION"),  # Paris: wrong type
        ("e2", 0, 7, "ORGANIZATION"),  # right
    ]
    scores = score_exact(gold, predicted, TYPES)
    # 2 right of 4 predicted and of 5 gold: P 0.5, R 0.4, F1 2*.5*.4/.9 = 4/9.
    assert scores.micro == PRF(tp=2, fp=2, fn=3)
    assert scores.micro.f1 == pytest.approx(4 / 9)
    assert scores.by_type["PERSON"].f1 == pytest.approx(0.5)  # tp 1, fp 1, fn 1
    assert scores.by_type["ORGANIZATION"].f1 == pytest.approx(2 / 3)  # tp 1, fp 1, fn 0
    assert scores.by_type["LOCATION"].f1 == 0.0  # tp 0, fp 0, fn 2


# --- quotes -----------------------------------------------------------------------------------


def _quote_doc() -> data.QuoteDoc:
    docs = list(data.read_quotes(DATA / "quotes_ggt" / "articles.jsonl"))
    assert [d.skip_reason for d in docs] == [None, "no located gold quotes"]
    return docs[0]


def test_quote_reader_keeps_located_quotes_and_counts_the_others() -> None:
    doc = _quote_doc()
    assert doc.unlocated == 1
    assert [doc.text[s:e] for s, e in (g.span for g in doc.gold)] == [
        "the budget was balanced",
        '"We will build more parks,"',
    ]
    assert [g.reference for g in doc.gold] == ["John Doe", "Jane Smith"]
    assert doc.gold[1].speaker is not None
    assert doc.text[slice(*doc.gold[1].speaker)] == "Jane Smith"


def test_quotes_perfect_and_empty() -> None:
    doc = _quote_doc()
    perfect = [PredictedQuote(g.span, g.speaker, g.reference) for g in doc.gold]
    for threshold in (0.3, 0.8):
        counts = match_quotes(doc.gold, perfect, threshold)
        assert counts.prf.f1 == 1.0
        assert counts.speaker_accuracy == 1.0
        empty = match_quotes(doc.gold, [], threshold)
        assert empty == QuoteCounts(tp=0, fp=0, fn=2, speaker_correct=0)
        assert empty.prf.f1 == 0.0


def test_quotes_half_right() -> None:
    doc = _quote_doc()
    text = doc.text
    content = text.index("We will")
    jane = text.index("Jane Smith")
    budget = text.index("the budget")
    critics = text.index("Critics")
    predicted = [
        # The direct quote without its marks: covers 25 of the gold's 27 characters (0.93), and
        # the speaker span overlaps the gold one: right at both thresholds.
        PredictedQuote((content, content + 25), (jane, jane + 10), "Jane Smith"),
        # "the budget": 10 of 23 gold characters (0.43): a match above 0.3, not above 0.8; the
        # speaker is wrong (neither span overlap nor name).
        PredictedQuote((budget, budget + 10), (critics, critics + 7), "Critics"),
    ]
    at_03 = match_quotes(doc.gold, predicted, 0.3)
    assert at_03 == QuoteCounts(tp=2, fp=0, fn=0, speaker_correct=1)
    assert at_03.prf.f1 == 1.0
    assert at_03.speaker_accuracy == 0.5
    at_08 = match_quotes(doc.gold, predicted, 0.8)
    assert at_08 == QuoteCounts(tp=1, fp=1, fn=1, speaker_correct=1)
    assert at_08.prf.f1 == pytest.approx(0.5)
    assert at_08.speaker_accuracy == 1.0


def test_quote_speaker_by_resolved_name_or_both_floating() -> None:
    doc = _quote_doc()
    budget_quote = doc.gold[0]  # speaker "The mayor", reference "John Doe"
    by_name = PredictedQuote(budget_quote.span, None, "Mr. John Doe")
    assert match_quotes([budget_quote], [by_name], 0.8).speaker_correct == 1
    wrong = PredictedQuote(budget_quote.span, None, "Jane Smith")
    assert match_quotes([budget_quote], [wrong], 0.8).speaker_correct == 0


@pytest.mark.parametrize(
    "predicted, reference, expected",
    [
        ("Justin Trudeau", "Justin Trudeau", True),
        ("Trudeau", "Justin Trudeau", True),
        ("José Martí", "Jose Marti", True),
        ("Justin Trudeau", "Jagmeet Singh", False),
        (None, "Jagmeet Singh", False),
        ("", "", False),
    ],
)
def test_same_person(predicted: str | None, reference: str, expected: bool) -> None:
    assert same_person(predicted, reference) is expected


def test_quote_threshold_is_strict() -> None:
    doc = _quote_doc()
    gold = doc.gold[1]  # 27 characters; 0.3 of it would need more than 8.1 characters
    start = gold.span[0]
    assert match_quotes([gold], [PredictedQuote((start, start + 8))], 0.3).tp == 0
    assert match_quotes([gold], [PredictedQuote((start, start + 9))], 0.3).tp == 1


# --- casualties -------------------------------------------------------------------------------


def test_casualty_reader_keeps_the_clean_subset() -> None:
    docs = list(data.read_casualties(DATA / "casualties_gva" / "articles.jsonl"))
    assert [d.skip_reason for d in docs] == [None, None, "not in the clean subset", "empty text"]
    assert [(d.killed, d.injured) for d in docs[:2]] == [(2, 1), (0, 0)]


def test_casualty_counts() -> None:
    gold = [2, 0, 5, 1]
    assert score_counts(zip(gold, gold, strict=True)).accuracy == 1.0
    assert score_counts(zip(gold, gold, strict=True)).mae == 0.0
    empty = score_counts([])
    assert (empty.accuracy, empty.mae) == (0.0, 0.0)
    # Predictions 2, 1, 3, 1: right on the 1st and 4th (accuracy 0.5), errors 0+1+2+0 = 3 (MAE 0.75).
    half = score_counts(zip(gold, [2, 1, 3, 1], strict=True))
    assert (half.accuracy, half.mae) == (0.5, 0.75)


# --- events -----------------------------------------------------------------------------------


def _wikievents() -> data.EventDoc:
    mapping = data.load_event_mapping("wikievents", data.MAPPINGS / "events_type_map.json")
    [doc] = list(data.read_wikievents(DATA / "events_wikievents" / "dev.jsonl", mapping))
    return doc


def test_wikievents_reader_turns_tokens_into_characters_and_maps_types() -> None:
    doc = _wikievents()
    assert doc.skip_reason is None
    assert doc.unmapped == 1  # the statement (Contact.Contact.Broadcast)
    attack, arrest = doc.gold
    text = doc.text
    assert (attack.type, text[slice(*attack.trigger)]) == ("ASSAULT", "attacked")
    assert (arrest.type, text[slice(*arrest.trigger)]) == ("COERCE", "arrested")
    assert [text[slice(*s)] for s in attack.arguments["place"]] == ["Kano"]
    assert [text[slice(*s)] for s in attack.arguments["actors"]] == ["Gunmen"]
    assert [text[slice(*s)] for s in arrest.arguments["actors"]] == ["Police"]
    assert "place" not in arrest.arguments  # the target and the detainee are not scored


def test_m2e2_reader_maps_types_and_keeps_documents_without_events() -> None:
    mapping = data.load_event_mapping("m2e2", data.MAPPINGS / "events_type_map.json")
    docs = list(data.read_m2e2(DATA / "events_m2e2" / "docs.jsonl", mapping))
    assert [d.skip_reason for d in docs] == [None, None]
    assert [e.type for e in docs[0].gold] == ["PROTEST", "CONSULT"]
    assert docs[0].unmapped == 1  # Movement:Transport
    assert docs[1].gold == []


def test_events_perfect_and_empty() -> None:
    doc = _wikievents()
    types = ["ASSAULT", "COERCE"]
    perfect = [(doc.gold, doc.gold)]
    assert score_triggers(perfect, types).micro.f1 == 1.0
    assert score_arguments(perfect, types, ["place", "actors"]).micro.f1 == 1.0
    assert score_document_types(perfect, types).micro.f1 == 1.0
    empty: list[tuple[list[EventItem], list[EventItem]]] = [(doc.gold, [])]
    assert score_triggers(empty, types).micro == PRF(0, 0, 2)
    assert score_arguments(empty, types, ["place", "actors"]).micro == PRF(0, 0, 3)


def test_events_half_right() -> None:
    doc = _wikievents()
    text = doc.text

    def span(word: str) -> tuple[int, int]:
        start = text.index(word)
        return (start, start + len(word))

    predicted = [
        # Right trigger and place, no actors.
        EventItem("ASSAULT", span("attacked"), {"place": [span("Kano")], "actors": []}),
        # Wrong trigger ("Police" instead of "arrested"), right actor.
        EventItem("COERCE", span("Police"), {"place": [], "actors": [span("Police")]}),
    ]
    triggers = score_triggers([(doc.gold, predicted)], ["ASSAULT", "COERCE"])
    assert triggers.by_type["ASSAULT"] == PRF(1, 0, 0)
    assert triggers.by_type["COERCE"] == PRF(0, 1, 1)
    assert triggers.micro.f1 == pytest.approx(0.5)  # tp 1, fp 1, fn 1
    arguments = score_arguments([(doc.gold, predicted)], ["ASSAULT", "COERCE"], ["place", "actors"])
    assert arguments.by_type["place"] == PRF(1, 0, 0)
    # Gold actors: Gunmen (ASSAULT), Police (COERCE); predicted: Police (COERCE).
    assert arguments.by_type["actors"] == PRF(1, 0, 1)
    assert arguments.by_type["actors"].f1 == pytest.approx(2 / 3)
    # Both types were reported in the document: document-level F1 is 1.0 although a trigger is off.
    assert score_document_types([(doc.gold, predicted)], ["ASSAULT", "COERCE"]).micro.f1 == 1.0


def test_event_type_mapping_takes_the_longest_prefix() -> None:
    mapping = data.load_event_mapping("wikievents", data.MAPPINGS / "events_type_map.json")
    assert mapping.map_type("Conflict.Attack.DetonateExplode") == "ASSAULT"
    assert mapping.map_type("Contact.RequestCommand.Meet") == "CONSULT"
    assert mapping.map_type("Contact.RequestCommand.Unspecified") == "REQUEST"
    assert mapping.map_type("Contact.Contact.Broadcast") is None
    assert mapping.map_type("Conflict.AttackX") is None


def test_one_event_type_map_and_it_is_the_default() -> None:
    mapping = data.load_event_mapping("m2e2")
    assert mapping.source == data.EVENTS_MAP == data.MAPPINGS / "events_type_map.json"
    assert mapping.map_type("Conflict:Attack") == "ASSAULT"
    assert mapping.map_type("Life:Die") == "ASSAULT"
    assert mapping.map_type("Contact:Meet") == "CONSULT"
    assert mapping.map_type("Movement:Transport") is None
    assert data.load_event_mapping("wikievents").map_type("Justice.ChargeIndict") == "ACCUSE"


# --- clustering (pairwise and B³), counted by hand -------------------------------------------


def test_pairwise_and_bcubed_counted_by_hand() -> None:
    from wirestream.evaluation.scoring import score_bcubed, score_pairwise

    # gold {a,b,c} {d}; predicted {a,b} {c,d}
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    pair = score_pairwise(gold, predicted)
    # gold pairs ab ac bc; predicted pairs ab cd: 1 right, 1 wrong, 2 missed
    assert (pair.tp, pair.fp, pair.fn) == (1, 1, 2)
    b3 = score_bcubed(gold, predicted)
    # precision: a 2/2, b 2/2, c 1/2, d 1/2 -> 3/4; recall: a 2/3, b 2/3, c 1/3, d 1/1 -> 2/3
    assert b3.precision == pytest.approx(0.75)
    assert b3.recall == pytest.approx(2 / 3)
    own = score_pairwise(gold, {k: k for k in gold})
    assert (own.tp, own.fp, own.fn, own.f1) == (0, 0, 3, 0.0)


def test_every_mention_is_a_predicted_trigger() -> None:
    # Gold: two ASSAULT triggers in one sentence ("attacked", "killing").
    gold = [EventItem("ASSAULT", (10, 18)), EventItem("ASSAULT", (30, 37))]
    # One record whose mentions are "attacked", "killing" and a third word no gold has.
    record = EventItem("ASSAULT", (10, 18), mentions=[(10, 18), (30, 37), (50, 55)])
    with_mentions = score_triggers([(gold, [record])], ["ASSAULT"])
    assert with_mentions.micro == PRF(2, 1, 0)  # the extra mention is a false positive
    one_per_record = score_triggers([(gold, [record])], ["ASSAULT"], mentions=False)
    assert one_per_record.micro == PRF(1, 0, 1)
    # A record without mentions (written before the field) is scored by its trigger.
    old = EventItem("ASSAULT", (30, 37))
    assert score_triggers([(gold, [old])], ["ASSAULT"]).micro == PRF(1, 0, 1)
    # A mention matches at most one gold trigger, and a gold trigger at most one mention.
    twice = EventItem("ASSAULT", (10, 18), mentions=[(10, 18), (12, 16)])
    assert score_triggers([(gold[:1], [twice])], ["ASSAULT"]).micro == PRF(1, 1, 0)
