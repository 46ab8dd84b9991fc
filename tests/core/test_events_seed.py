"""The reference article's events (tests/data/seed_article.json, published 2024-07-24)."""

from __future__ import annotations

import pytest

from wirestream.core.contracts import Article, EventRecord, Participant, QuoteRecord
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.pipeline import ArticleResult


@pytest.fixture(scope="module")
def result(extractor: Extractor, seed_article: Article) -> ArticleResult:
    return extractor.extract(seed_article)


@pytest.fixture(scope="module")
def events(result: ArticleResult) -> list[EventRecord]:
    return result.events


def _one(events: list[EventRecord], sentence_part: str, etype: str) -> EventRecord:
    found = [e for e in events if sentence_part in e.evidence.text and e.type == etype]
    assert len(found) == 1, [(e.type, e.trigger.text, e.evidence.text[:60]) for e in events]
    return found[0]


def _names(parts: list[Participant]) -> set[str]:
    return {p.name for p in parts}


def test_every_span_is_the_body(events: list[EventRecord], seed_article: Article) -> None:
    body = seed_article.body
    for event in events:
        spans = [event.trigger, event.evidence, *event.weapons]
        spans += [p.span for p in (*event.actors, *event.recipients)]
        spans += [loc.span for loc in event.locations]
        spans += [q.span for q in event.quantities]
        if event.date:
            spans.append(event.date.span)
        if event.claim:
            spans.append(event.claim.cue)
        for span in spans:
            assert span.text == body[span.start : span.end]
        assert event.evidence.start <= event.trigger.start < event.evidence.end


def test_kuleba_wang_yi_meeting(events: list[EventRecord]) -> None:
    meeting = _one(events, "Kuleba met with", "CONSULT")
    assert meeting.trigger.text == "met"
    assert meeting.mode in ("meeting", "visit")
    names = " ".join(_names(meeting.actors))
    assert "Kuleba" in names and "Wang Yi" in names
    assert meeting.date is not None
    assert (meeting.date.value, meeting.date.precision) == ("2024-07-24", "day")
    assert meeting.date.span.text == "on Wednesday" and meeting.date.relative
    assert meeting.location is not None and meeting.location.span.text == "Guangzhou"
    assert meeting.timeframe == "current"
    # "his first visit" and the talks he seeks are the same meeting, not more CONSULT events.
    assert [e.type for e in events].count("CONSULT") == 1


def test_overnight_drone_attack(events: list[EventRecord]) -> None:
    attack = _one(events, "Shahed", "ASSAULT")
    assert attack.mode in ("drone", "air")
    assert "Russia" in _names(attack.actors)
    assert "Ukrainian infrastructure" in _names(attack.recipients)
    roles = {(q.role, q.value, q.qualifier, q.counts) for q in attack.quantities}
    assert ("launched", 38, "exact", "Shahed drone") in roles
    assert ("intercepted", 25, "exact", "Shahed drone") in roles
    assert any("Shahed" in w.text for w in attack.weapons)
    assert attack.claim is not None and attack.claim.modality == "claimed"
    assert attack.claim.source is not None and "Air Force" in attack.claim.source.name
    assert attack.claim.cue.text == "claims"
    assert attack.location is not None
    assert attack.location.span.text == "south of the Odesa region"
    wordings = [loc.span.text for loc in attack.locations]
    assert "Ukraine's central regions" in wordings
    assert attack.date is not None and attack.date.value == "2024-07-24"
    assert attack.timeframe == "current"


def test_attacks_that_killed_and_injured(events: list[EventRecord]) -> None:
    attack = _one(events, "killed at least four civilians", "ASSAULT")
    killed, injured = attack.casualties.killed, attack.casualties.injured
    assert killed is not None and injured is not None
    assert (killed.value, killed.qualifier, killed.of) == (4, "at_least", "civilians")
    assert killed.span.text == "at least four"
    assert (injured.value, injured.qualifier) == (30, "exact")
    assert attack.claim is not None and attack.claim.modality == "reported"
    assert attack.claim.source is not None and attack.claim.source.name == "Regional authorities"
    assert attack.claim.cue.text == "reported on Telegram"
    assert attack.date is not None and attack.date.span.text == "in the past day"
    assert attack.date.value == "2024-07-24"
    assert attack.timeframe == "current"


def test_ministry_claims_artillery_and_ka52_strikes(events: list[EventRecord]) -> None:
    artillery = _one(events, "artillery hitting", "ASSAULT")
    assert artillery.mode == "artillery"
    helicopters = _one(events, "Ka-52", "ASSAULT")
    assert helicopters.mode == "air"
    assert any(w.text == "Ka-52" for w in helicopters.weapons)
    for event in (artillery, helicopters):
        assert event.claim is not None and event.claim.modality == "claimed"
        assert event.claim.source is not None
        assert "Ministry of Defence" in event.claim.source.name
        assert event.timeframe == "current"
    assert "Ukrainian Armed Forces" in " ".join(_names(helicopters.recipients))


def test_background_invasion_and_annexation(events: list[EventRecord]) -> None:
    invasion = _one(events, "full-scale invasion", "ASSAULT")
    assert invasion.timeframe == "background"
    assert invasion.date is not None
    assert (invasion.date.value, invasion.date.precision) == ("2022-02", "month")
    assert not invasion.date.relative
    annexation = _one(events, "annexed", "ASSAULT")
    assert annexation.trigger.text == "annexed"
    assert annexation.timeframe == "background"
    assert annexation.date is not None
    assert (annexation.date.value, annexation.date.precision) == ("2014", "year")
    assert "Moscow" in _names(annexation.actors) and "Crimea" in _names(annexation.recipients)


def test_no_false_events(events: list[EventRecord]) -> None:
    triggers = {e.trigger.text for e in events}
    # scare quotes ('special military operation'), hypotheticals ("willing to negotiate",
    # "ready to engage ... in negotiations", "would include a complete withdrawal"), generic
    # nouns ("open to negotiations"), headings ("Russian strikes continue in Ukraine"), negation
    # ("China will not supply weapons") and participles as adjectives ("occupied areas").
    for word in ("operation", "negotiate", "negotiations", "withdrawal", "supply", "occupied"):
        assert word not in triggers
    assert not any(e.evidence.text.startswith("Russian strikes continue") for e in events)
    assert not any(e.trigger.text == "offensive" for e in events)
    for event in events:
        if event.date and event.date.value < "2024-06":
            assert event.timeframe == "background"


def test_quotes_point_to_their_events(result: ArticleResult) -> None:
    by_id = {e.id: e for e in result.events}
    quotes: list[QuoteRecord] = result.quotes
    linked = [q for q in quotes if q.event_ids]
    assert linked, "no quote was linked to an event"
    for quote in linked:
        for event_id in quote.event_ids:
            assert event_id in by_id
            assert by_id[event_id].timeframe == "current"


def test_ids_are_deterministic(extractor: Extractor, seed_article: Article) -> None:
    first = [e.model_dump() for e in extractor.extract(seed_article).events]
    second = [e.model_dump() for e in extractor.extract(seed_article).events]
    assert first == second
    assert len({e["id"] for e in first}) == len(first)
