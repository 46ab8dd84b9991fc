"""Records: a merged draft becomes an :class:`EventRecord` (places, dateline, confidence, id), and
quotes that comment on an event point to it."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from wirestream.core.contracts import (
    Casualties,
    EventLocation,
    EventRecord,
    QuoteRecord,
    Span,
)
from wirestream.core.extraction.events import arguments, syntax
from wirestream.core.extraction.events.casualties import counts_others
from wirestream.core.extraction.events.context import Draft, EventContext, PlacePhrase
from wirestream.core.extraction.events.nominals import nominal_places
from wirestream.core.extraction.spans import body_span
from wirestream.core.ids import record_id

_CLAUSE_LINKS = frozenset({"xcomp", "advcl", "conj"})
"""Dependencies by which a trigger verb belongs to its governing verb's clause ("went to Kabul
to meet", "was killed ... after attacking"): that clause's place phrases are the event's too.
Not ``ccomp``: "said in Washington that ..." places the saying, not the event."""


def _clause_prepositions(trig: Token) -> set[int]:
    """Token indices whose place phrases are said of ``trig``: its own phrase, the prepositions of
    the verb it is an argument of (a noun, or a noun in a prepositional phrase: "killed in an
    attack in X"), of the clause a verb trigger is linked to, of the subject an event noun in a
    passive's agent hit ("the building in X was shattered by an explosion"), and the noun of
    "X, where ..."."""
    allowed = {t.i for t in trig.subtree}
    verb = trig.head
    if trig.pos_ != "VERB" and trig.dep_ == "pobj" and verb.head.pos_ == "VERB":
        verb = verb.head
    linked = trig.pos_ == "VERB" and trig.dep_ in _CLAUSE_LINKS and verb.pos_ == "VERB"
    if (trig.pos_ != "VERB" and verb.pos_ == "VERB") or linked:
        allowed.update(c.i for c in verb.children if c.dep_ == "prep")
    if trig.pos_ != "VERB" and trig.dep_ == "pobj" and trig.head.dep_ == "agent":
        for subject in (c for c in verb.children if c.dep_ == "nsubjpass"):
            allowed.update(c.i for c in subject.children if c.dep_ == "prep")  # "X in Y was hit by"
    if trig.dep_ == "relcl" and any(c.lower_ == "where" for c in trig.children):
        allowed.add(trig.head.i)  # "in Kampala, where he was arrested"
    return allowed


def clause_places(draft: Draft, ctx: EventContext) -> list[PlacePhrase]:
    """Places said of this event: "in/at/near ..." inside a trigger's phrase or its clause's
    (:func:`_clause_prepositions`), and a city naming a noun trigger ("the Dallas shooting")."""
    allowed: set[int] = set()
    for trig in draft.triggers:
        allowed.update(_clause_prepositions(trig))
    phrases = syntax.place_phrases(draft.segment, ctx)
    doc = ctx.doc
    out = []
    for phrase in phrases:
        start = phrase.location.span.start
        token = doc.char_span(start, phrase.location.span.end, alignment_mode="expand")
        if token is None:
            continue
        prep = token.root.head if token.root.dep_ == "pobj" else token.root
        if prep.i in allowed or token.root.i in allowed:
            out.append(phrase)
    out += _modifier_places(draft.triggers, ctx)
    if not out:  # no named place: a site the trigger governs ("killed at the hospital")
        for start, end, name in arguments.site_phrases(draft.triggers, ctx.body, ctx.lex):
            span = body_span(ctx.body, start, end)
            where = EventLocation(entity_id=None, name=name, country=None, geo=None, span=span)
            out.append(PlacePhrase(location=where, rank=arguments.SITE_RANK))
        out += nominal_places(draft.triggers, ctx)  # "killed in the same province"
    return out


def _modifier_places(triggers: list[Token], ctx: EventContext) -> list[PlacePhrase]:
    """ "the Dallas shooting": a city compounded with a noun trigger is its place."""
    out: list[PlacePhrase] = []
    for trig in triggers:
        if trig.pos_ == "VERB":
            continue
        for child in trig.children:
            entity = syntax.entity_at(ctx.entities, child)
            if entity is None or not syntax.city_modifier(child, ctx):
                continue
            span = body_span(ctx.body, child.idx, child.idx + len(child.text))
            where = EventLocation(
                entity_id=entity.id,
                name=entity.name,
                country=entity.country,
                geo=entity.geo,
                span=span,
            )
            out.append(PlacePhrase(location=where, rank=0))
    return out


def _confidence(draft: Draft) -> float:
    """0.45, plus what the draft found (verb trigger, actors, recipients, date, place, claim or
    casualties), less 0.1 when it is known only by casualty words; at most 0.95."""
    score = 0.45 + (0.15 if draft.trigger.pos_ == "VERB" else 0.05)
    score += 0.1 if draft.actors else 0.0
    score += 0.05 if draft.recipients else 0.0
    score += 0.05 if draft.date else 0.0
    score += 0.05 if draft.places else 0.0
    score += 0.05 if draft.claim or draft.killed or draft.injured else 0.0
    score -= 0.1 if draft.casualty_only else 0.0
    return round(min(score, 0.95), 2)


def to_record(draft: Draft, ctx: EventContext) -> EventRecord:
    """The record of a (merged) draft; its id is derived from the article id and revision, the
    trigger span and the type. Its location: a place a trigger governs itself before places
    nested in other phrases, then the most specific (lowest rank), then the first in the text;
    without a place, the dateline's for a current event whose sentence names none."""
    article_id, revision = ctx.article_id, ctx.revision
    trigger = _word_span(draft.trigger, ctx.body)
    if (
        draft.killed is not None
        and draft.injured is not None
        and (draft.injured.span.start, draft.injured.span.end) in draft.unstated_survival
        and draft.injured.value <= draft.killed.value
        and not counts_others(draft.injured, ctx.body)
    ):
        draft.injured = None  # "a man was shot ... he died": the one shot is the one killed
    seg = draft.segment
    evidence = body_span(ctx.body, *_outside(seg.start_char, seg.end_char, ctx.envelope))
    places = sorted(draft.places, key=lambda p: p.location.span.start)
    location: EventLocation | None = None
    if places:
        direct = _direct_places(places, draft.triggers, ctx)
        location = min(places, key=lambda p: (id(p) not in direct, p.rank)).location
    elif ctx.dateline is not None and not draft.background and not _names_place(seg, ctx):
        location = ctx.dateline.model_copy(update={"place_source": "dateline"})
    return EventRecord(
        id=record_id("event", article_id, revision, trigger.start, trigger.end, draft.type),
        article_id=article_id,
        revision=revision,
        type=draft.type,
        mode=draft.mode,
        trigger=trigger,
        mentions=_mentions(draft, trigger, ctx.body),
        evidence=evidence,
        actors=draft.actors,
        recipients=draft.recipients,
        location=location,
        locations=[p.location for p in places],
        date=draft.date,
        quantities=sorted(draft.quantities, key=lambda q: q.span.start),
        casualties=Casualties(killed=draft.killed, injured=draft.injured),
        weapons=sorted(draft.weapons, key=lambda w: w.start),
        claim=draft.claim,
        timeframe="background" if draft.background else "current",
        confidence=_confidence(draft),
    )


def _direct_places(places: list[PlacePhrase], triggers: list[Token], ctx: EventContext) -> set[int]:
    """Ids of the place phrases a trigger governs itself: its own preposition's object ("a
    news conference *in the Rose Garden* at the White House in Washington") or its modifier,
    not a place nested in another phrase."""
    heads = {t.i for t in triggers}
    out: set[int] = set()
    for phrase in places:
        span = ctx.doc.char_span(
            phrase.location.span.start, phrase.location.span.end, alignment_mode="expand"
        )
        if span is None:
            continue
        root = span.root
        prep = root.head if root.dep_ == "pobj" else root
        if prep.head.i in heads and prep.i != prep.head.i:
            out.add(id(phrase))
    return out


def _word_span(token: Token, body: str) -> Span:
    """The span of a trigger word, with its particles ("shot down", "broke out")."""
    end = token.idx + len(token.text)
    particles = [c for c in token.children if c.dep_ == "prt"]
    if particles:
        last = max(particles, key=lambda t: t.i)
        end = max(end, last.idx + len(last.text))
    return body_span(body, token.idx, end)


def _mentions(draft: Draft, trigger: Span, body: str) -> list[Span]:
    """Every trigger word of the (merged) draft, the main one included, once each, in text
    order: the words :func:`~.triggers.drafts_in` accepted as this type in its sentence(s)."""
    spans = {(trigger.start, trigger.end): trigger}
    for token in draft.triggers:
        span = _word_span(token, body)
        if not any(s < span.end and span.start < e for s, e in spans):
            spans[(span.start, span.end)] = span
    return [spans[key] for key in sorted(spans)]


def _outside(start: int, end: int, parts: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """``[start, end)`` without the envelope parts at its ends (blanked text a sentence began
    or ended with)."""
    for s, e in parts:
        if s <= start < e:
            start = e
        if s < end <= e:
            end = s
    return start, max(start, end)


def _names_place(segment: SpacySpan, ctx: EventContext) -> bool:
    """Whether a sentence names a place (a LOCATION mention, or a place phrase)."""
    mentions = ctx.entities.mentions_between(segment.start_char, segment.end_char)
    if any(entity.type == "LOCATION" for _, entity in mentions):
        return True
    return bool(syntax.place_phrases(segment, ctx))


def quote_links(events: list[EventRecord], quotes: list[QuoteRecord]) -> dict[str, list[str]]:
    """quote id -> the current events it comments on: overlapping the event's sentence, or
    spoken by one of its actors (or its claimant) up to 800 characters after it."""
    links: dict[str, list[str]] = {}
    for quote in quotes:
        speaker_id = quote.speaker.entity_id if quote.speaker is not None else None
        for event in events:
            if event.timeframe != "current":
                continue
            ev = event.evidence
            overlaps = quote.span.start < ev.end and ev.start < quote.span.end
            actor_ids = {p.entity_id for p in event.actors if p.entity_id}
            if event.claim and event.claim.source and event.claim.source.entity_id:
                actor_ids.add(event.claim.source.entity_id)
            follows = (
                speaker_id is not None
                and speaker_id in actor_ids
                and 0 <= quote.span.start - ev.end <= 800
            )
            if overlaps or follows:
                links.setdefault(quote.id, []).append(event.id)
    return links
