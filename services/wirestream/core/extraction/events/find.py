"""Find events in an analysed article: who did what to whom, where, when, how many, who says so.

One linear pass over the article's segments (spaCy sentences split again at line breaks), each
step a module of this package, every step reading one :class:`~.context.EventContext`:

1. **Triggers** (:mod:`.triggers`) are verbs and nouns of the PLOVER lexicon
   (``lexicons/events/triggers.tsv``), plus casualty verbs ("killed", "injured"), which make an
   ASSAULT when no other trigger does. A trigger is dropped when negated ("not", "no"), irrealis
   (under "would", "ready to", "willing to", "seek", "if"...), in scare quotes or after
   "so-called", a participle used as an adjective ("occupied areas"), a generic noun ("any
   negotiations", "strikes continue"), another sense of its word (``context.json``: "the fight
   against corruption", a campaign rally, "seized control"), a noun that only names a kind of
   another noun ("riot police", "a protest movement"), or in a heading (a line without final
   punctuation restates the text below it).
2. **One draft per type per segment**, holding every trigger of that type there (the first
   that is not a casualty word is the main one); its fields are read from the parse: actors and
   recipients, mode and weapons (:mod:`.participants`), places (:mod:`.records`, :mod:`.places`), the date
   nearest the trigger and the timeframe (:mod:`.timeframe`), quantities and casualties
   (:mod:`.casualties`, with :mod:`.victims` and :mod:`.shots`), and the claim (:mod:`.claims`).
3. **Merging** (:mod:`.merge`): a draft in the next segments joins an earlier one of the same type
   when it shares a named participant, or when it picks the earlier one up with an anaphor ("the
   drones were attacking ...") and the modes agree.
4. **The document** (:mod:`.document`): an event that picks up an earlier one ("the attack")
   and has no actor takes the earlier one's; "the militants" takes the group named before.
5. **Records** (:mod:`.records`): ids are ``record_id("event", article_id, revision,
   trigger.start, trigger.end, type)``; ``mentions`` are every trigger word of the draft and of
   the drafts merged into it (the main trigger included, in text order: "attacked" and
   "killing" of "attacked the market, killing 12"), each accepted by step 1; quotes that
   comment on an event (overlapping its sentence, or spoken by one of its actors shortly after
   it) point to it through ``EventsFound.quote_event_ids``.

Timeframe is ``background`` when the trigger follows a background cue ("since", "in the run-up
to"), or when its date ends more than ``recent_days`` (30, ``background.json``) before
``published_at``. Background events are never ``current``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from wirestream.core.contracts import Article, Claim, EventLocation, QuoteRecord
from wirestream.core.extraction.cleaning import CleanText
from wirestream.core.extraction.entities import EntityIndex
from wirestream.core.extraction.events import harm, syntax
from wirestream.core.extraction.events.casualties import (
    add_quantities,
    shot_victims_who_died,
)
from wirestream.core.extraction.events.claims import claim_for, claims_in, quote_claim
from wirestream.core.extraction.events.context import Draft, EventContext, EventsFound
from wirestream.core.extraction.events.dates import find_dates
from wirestream.core.extraction.events.document import fill_from_document
from wirestream.core.extraction.events.lexicon import load_lexicon
from wirestream.core.extraction.events.merge import merge_drafts
from wirestream.core.extraction.events.participants import (
    add_participant,
    add_participants,
    mode_near,
    weapons_in,
    words_near,
)
from wirestream.core.extraction.events.places import event_places
from wirestream.core.extraction.events.records import quote_links, to_record
from wirestream.core.extraction.events.timeframe import add_date, mark_background
from wirestream.core.extraction.events.triggers import drafts_in


@dataclass
class _Reading:
    """What the pass over the segments carries from one segment to the next."""

    drafts: list[Draft]
    recent_claims: list[Claim]
    evidence_claim: tuple[int, frozenset[str], Claim] | None = None
    """(segment index, its lemmas, claim) of the last claim made next to recorded evidence."""
    previous_lemmas: frozenset[str] = frozenset()


def find_events(
    doc: Doc,
    article: Article,
    *,
    clean: CleanText,
    entities: EntityIndex,
    quotes: list[QuoteRecord],
    dateline: EventLocation | None = None,
) -> EventsFound:
    """Every event in ``article`` (analysed as ``doc``), in text order (see the module docstring).

    The article's ``id`` and ``revision`` make each id; its ``published_at`` resolves relative
    dates. ``dateline`` (default None) is the place the article was filed from: a current event
    whose sentence names no place gets it as its location, with ``place_source='dateline'``.
    """
    published_at = article.published_at
    ctx = EventContext(
        doc=doc,
        body=article.body,
        article_id=article.id,
        revision=article.revision,
        entities=entities,
        quotes=quotes,
        lex=load_lexicon(),
        published=published_at.date() if published_at is not None else None,
        dates=find_dates(clean.text, published_at),
        dateline=dateline,
        envelope=tuple((s, e) for _, s, e in clean.envelope.parts) if clean.envelope else (),
    )
    reading = _Reading(drafts=[], recent_claims=[])
    for index, segment in enumerate(syntax.segments(doc)):
        _read_segment(index, segment, ctx, reading)
    shot_victims_who_died(reading.drafts, ctx.body)
    merged = merge_drafts(reading.drafts)
    fill_from_document(merged, ctx)
    events = [to_record(draft, ctx) for draft in merged]
    events.sort(key=lambda e: (e.trigger.start, e.type))
    return EventsFound(events=events, quote_event_ids=quote_links(events, quotes))


def _read_segment(index: int, segment: SpacySpan, ctx: EventContext, reading: _Reading) -> None:
    """The drafts of one segment, filled in, added to ``reading``."""
    claims = claims_in(segment, ctx, reading.recent_claims)
    lemmas = frozenset(t.lemma_.lower() for t in segment)
    if syntax.is_heading(segment):
        reading.recent_claims.extend(c for _, c in claims)
        return
    for draft in drafts_in(index, segment, ctx, lemmas | reading.previous_lemmas):
        _fill(draft, ctx)
        draft.claim = claim_for(draft, claims) or quote_claim(draft, ctx)
        if draft.claim is None:
            draft.claim = _evidence_claim(draft, segment, ctx, reading)
        _reclassify_harm(draft, ctx)
        _claimant_as_actor(draft)
        reading.drafts.append(draft)
    reading.recent_claims.extend(c for _, c in claims)
    reading.previous_lemmas = lemmas
    for _, claim in claims:
        if lemmas & ctx.lex.words.evidence_nouns:
            reading.evidence_claim = (index, lemmas, claim)


def _fill(draft: Draft, ctx: EventContext) -> None:
    """Participants, mode, places, date, timeframe and (for an ASSAULT) counts and weapons."""
    add_participants(draft, ctx)
    draft.mode = mode_near(draft, ctx.lex) if draft.type == "ASSAULT" else draft.mode
    draft.places = event_places(draft, ctx)
    add_date(draft, ctx)
    mark_background(draft, ctx)
    if draft.type == "ASSAULT":
        add_quantities(draft, ctx)
        draft.weapons = weapons_in(draft.segment, ctx.body, ctx.lex)


def _evidence_claim(
    draft: Draft, segment: SpacySpan, ctx: EventContext, reading: _Reading
) -> Claim | None:
    """ "The footage also shows ...": the claimant of evidence shown up to two segments before."""
    if reading.evidence_claim is None:
        return None
    seen_at, evidence_lemmas, claim = reading.evidence_claim
    subjects = [t for t in segment if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"]
    evidence = evidence_lemmas & ctx.lex.words.evidence_nouns
    if draft.segment_index - seen_at <= 2 and any(s.lemma_.lower() in evidence for s in subjects):
        return claim
    return None


def _reclassify_harm(draft: Draft, ctx: EventContext) -> None:
    """An ASSAULT whose harm is a flood, crash or disease becomes a DISASTER (:mod:`.harm`)."""
    if draft.type != "ASSAULT":
        return
    kind = harm.non_intentional(draft.triggers, draft.casualty_only, ctx.lex)
    if kind is not None:
        draft.type, draft.mode, draft.actors = "DISASTER", kind, []
        draft.weapons = []


def _claimant_as_actor(draft: Draft) -> None:
    """ "its artillery", "their drones": an ASSAULT without an actor is the claimant's own."""
    if draft.type != "ASSAULT" or draft.actors or not draft.claim or not draft.claim.source:
        return
    if any(t.dep_ == "poss" and t.lower_ in ("its", "their") for t in words_near(draft)):
        add_participant(draft.actors, draft.claim.source)
