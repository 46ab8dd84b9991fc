"""The document-level pass over an article's merged drafts, before they become records.

- **An event that continues an earlier one takes its actors**: a current event with no actor
  whose trigger noun picks up an earlier event ("*the* attack", "*this* bombing",
  ``anaphoric_determiners``) or whose subject does ("the drones were attacking") takes the
  actors of the latest earlier current event of its type, at most :data:`CONTINUATION_SEGMENTS`
  segments before it.
- **Definite descriptions**: an actor with no entity named by a definite noun phrase ("*the*
  militants", "*the* gunman") is the latest earlier actor of the article with the same head
  noun that names an entity or has an organisation or group in it ("*IS* militants"): it takes
  that entity's id and name, and keeps its own span.

Measured on the event data sets (docs/EVALUATION.md, issue 15 fourth pass): the place of an
earlier event, or the nearest place the sentence names, as a fallback place lowered place F1 on
both; neither is done.
"""

from __future__ import annotations

from wirestream.core.contracts import Participant
from wirestream.core.extraction.events.context import Draft, EventContext
from wirestream.core.extraction.events.participants import add_participant

CONTINUATION_SEGMENTS = 3
"""How far back (in segments) an anaphoric event looks for the one it continues."""


def fill_from_document(drafts: list[Draft], ctx: EventContext) -> None:
    """Fill what each draft's own clause left open from the earlier drafts (module rules)."""
    for index, draft in enumerate(drafts):
        earlier = drafts[:index]
        if draft.background:
            continue
        if not draft.actors and _continues(draft, ctx):
            source = _continued(draft, earlier)
            if source is not None:
                for actor in source.actors:
                    add_participant(draft.actors, actor)
        draft.actors = [_resolved(a, draft, earlier, ctx) for a in draft.actors]


def _continues(draft: Draft, ctx: EventContext) -> bool:
    """Whether the draft picks up an earlier event: "the attack", or an anaphoric subject."""
    if draft.anaphoric:
        return True
    trig = draft.trigger
    return trig.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in ctx.lex.words.anaphoric_determiners for c in trig.children
    )


def _continued(draft: Draft, earlier: list[Draft]) -> Draft | None:
    """The latest earlier current draft of the same type with actors, close enough before."""
    for other in reversed(earlier):
        gap = draft.segment_index - other.segment_index
        if gap > CONTINUATION_SEGMENTS:
            return None
        if other.type == draft.type and other.actors and not other.background and gap >= 0:
            return other
    return None


def _resolved(
    actor: Participant, draft: Draft, earlier: list[Draft], ctx: EventContext
) -> Participant:
    """``actor``, with the entity of the earlier actor its definite description picks up."""
    if actor.entity_id is not None:
        return actor
    span = ctx.doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    if span is None:
        return actor
    head = span.root
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return actor
    lemma = head.lemma_.lower()
    pool = [a for other in earlier for a in other.actors] + draft.actors
    for candidate in reversed(pool):
        words = candidate.span.text.lower().split()
        if candidate.span.end > actor.span.start or not words or _lemma_of(words[-1]) != lemma:
            continue
        named = _named_in(candidate, ctx)
        if named is not None:
            return actor.model_copy(update={"entity_id": named[0], "name": named[1]})
    return actor


def _named_in(candidate: Participant, ctx: EventContext) -> tuple[str, str] | None:
    """(entity id, name) of an actor phrase: its own entity, else an organisation or group
    named inside it ("*IS* militants")."""
    if candidate.entity_id is not None:
        return candidate.entity_id, candidate.name
    for _, entity in ctx.entities.mentions_between(candidate.span.start, candidate.span.end):
        if entity.type in ("ORGANIZATION", "GROUP"):
            return entity.id, entity.name
    return None


def _lemma_of(word: str) -> str:
    """A plain singular of a lower-case noun ("militants" -> "militant"), enough to compare
    the heads of two noun phrases."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
