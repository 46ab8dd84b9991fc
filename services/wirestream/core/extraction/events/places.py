"""Where an event happened, beyond the trigger's own clause (:func:`~.records.clause_places`).

- **A clause linked through a copula**: "he is in London *to meet* Cameron" (the place phrase of
  the "be" a meeting verb is the purpose of).
- **Clauses of an event noun**: "the fighting *that erupted in* Nagorno-Karabakh", "an attack
  *carried out in* Kabul": the place phrases of a relative or participle clause of a noun
  trigger.
- **Where a visit goes**: "during a visit *to* South Sudan": the named place a meeting noun goes
  to is where it happens. (Measured and left out: the named target of an attack noun, "the
  assault *on* Aleppo", "the bombing *of* Belfast": it lowered place F1 on M2E2; see
  docs/EVALUATION.md.)
"""

from __future__ import annotations

from spacy.tokens import Token

from wirestream.core.extraction.events import syntax
from wirestream.core.extraction.events.context import Draft, EventContext, PlacePhrase
from wirestream.core.extraction.events.records import clause_places

_TARGET_PREPOSITIONS = {"CONSULT": frozenset({"to"})}
"""Prepositions of a noun trigger whose named place is where the event happens, per type."""


def event_places(draft: Draft, ctx: EventContext) -> list[PlacePhrase]:
    """The places of :func:`~.records.clause_places`, then those of the module rules."""
    out = clause_places(draft, ctx)
    seen = {(p.location.span.start, p.location.span.end) for p in out}
    allowed: set[int] = set()
    for trig in draft.triggers:
        allowed.update(_linked_prepositions(trig))
    for phrase in syntax.place_phrases(draft.segment, ctx):
        key = (phrase.location.span.start, phrase.location.span.end)
        token = ctx.doc.char_span(*key, alignment_mode="expand")
        if token is None or key in seen:
            continue
        prep = token.root.head if token.root.dep_ == "pobj" else token.root
        if prep.i in allowed:
            out.append(phrase)
            seen.add(key)
    for phrase in _target_places(draft, ctx):
        key = (phrase.location.span.start, phrase.location.span.end)
        if key not in seen:
            out.append(phrase)
            seen.add(key)
    return out


def _linked_prepositions(trig: Token) -> set[int]:
    """Token indices of the prepositions said of ``trig`` through a copula it is the purpose or
    complement of, or through the relative and participle clauses of a noun trigger."""
    out: set[int] = set()
    head = trig.head
    if trig.pos_ == "VERB" and trig.dep_ in ("xcomp", "advcl") and head.pos_ == "AUX":
        out.update(c.i for c in head.children if c.dep_ == "prep")  # "is in London to meet"
    if trig.pos_ == "NOUN":
        for clause in trig.children:
            if clause.dep_ in ("relcl", "acl") and clause.pos_ == "VERB":
                out.update(c.i for c in clause.children if c.dep_ == "prep")
    return out


def _target_places(draft: Draft, ctx: EventContext) -> list[PlacePhrase]:
    """Named places a visit goes to (module rules)."""
    preps = _TARGET_PREPOSITIONS.get(draft.type)
    if preps is None:
        return []
    out: list[PlacePhrase] = []
    for trig in draft.triggers:
        if trig.pos_ != "NOUN":
            continue
        for prep in trig.children:
            if prep.dep_ != "prep" or prep.lower_ not in preps:
                continue
            for obj in prep.children:
                entity = syntax.entity_at(ctx.entities, obj)
                if obj.dep_ != "pobj" or entity is None or entity.type != "LOCATION":
                    continue
                phrase = syntax.place_phrase(obj, trig, False, draft.segment, ctx)
                if phrase is not None:
                    out.append(phrase)
    return out
