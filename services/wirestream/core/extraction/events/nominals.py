"""Places named by a common noun that refers back to a named place (issue 15, sixth pass).

"a general was killed *in the same province*", "bombs went off *across the city*", "the shelling
*of the city*" (seventh pass: the city shelled is where the shelling was): a GPE-like
noun (``words.tsv`` lists ``city_nouns``, ``region_nouns``, ``country_nouns``) with a definite
determiner (``anaphoric_determiners``), that a trigger governs through a preposition of
``nominal_place_prepositions`` (not "on", the target, nor "over", what a fight is about), or
that a clause inside the trigger's phrase governs so (seventh pass: "attacked soldiers *stationed
in the city*"; not through a noun: "the mayor of the city"), is the
event's place when no named place is attached (it ranks with the sites of
:func:`~.arguments.site_phrases`). Not when a name follows the noun ("the capital Kampala": named,
not referred back to). Its span is the text's own words ("the same province"); its name, entity,
country and geo are those of the last named place of the same kind (a city or smaller place, a
region, a country) mentioned before it in the article, else its name is its own words."""

from __future__ import annotations

from spacy.tokens import Token

from wirestream.core.contracts import EntityRecord, EventLocation
from wirestream.core.extraction.events.arguments import SITE_RANK
from wirestream.core.extraction.events.context import EventContext, PlacePhrase
from wirestream.core.extraction.spans import body_span

_KIND_FEATURES = {"city": ("city", "place"), "region": ("region",), "country": ("country",)}
"""Kind of noun -> the geo features of the named places it may refer back to."""


def nominal_places(triggers: list[Token], ctx: EventContext) -> list[PlacePhrase]:
    """The nominal places the triggers, or the verbs of their phrases, govern (module
    docstring)."""
    out: list[PlacePhrase] = []
    words = ctx.lex.words
    for trig in triggers:
        for prep in trig.subtree:
            if prep.head.i != trig.i and prep.head.pos_ != "VERB":
                continue
            if prep.dep_ != "prep" or prep.lower_ not in words.nominal_place_prepositions:
                continue
            for obj in prep.children:
                kind = _kind(obj, ctx)
                if obj.dep_ != "pobj" or kind is None or not _definite(obj, ctx):
                    continue
                if _named_after(obj):
                    continue  # "the capital Kampala": named, not referred back to
                out.append(_phrase(obj, _referent(obj.left_edge.idx, kind, ctx), ctx))
    return out


def _kind(noun: Token, ctx: EventContext) -> str | None:
    lemma = noun.lemma_.lower()
    words = ctx.lex.words
    if noun.pos_ != "NOUN" or noun.tag_ not in ("NN", "NNS"):
        return None
    for kind, nouns in (
        ("city", words.city_nouns),
        ("region", words.region_nouns),
        ("country", words.country_nouns),
    ):
        if lemma in nouns:
            return kind
    return None


def _named_after(noun: Token) -> bool:
    """Whether a name follows ``noun`` ("the capital Kampala", "the state capital, Baton Rouge")."""
    doc = noun.doc
    nxt = noun.i + 1
    if nxt < len(doc) and doc[nxt].text == ",":
        nxt += 1
    return any(c.dep_ == "appos" for c in noun.children) or (
        nxt < len(doc) and doc[nxt].pos_ == "PROPN"
    )


def _definite(noun: Token, ctx: EventContext) -> bool:
    """Whether ``noun`` has a definite determiner ("the city", "this province")."""
    dets = ctx.lex.words.anaphoric_determiners
    return any(c.dep_ == "det" and c.lower_ in dets for c in noun.children)


def _phrase(noun: Token, referent: EntityRecord | None, ctx: EventContext) -> PlacePhrase:
    span = body_span(ctx.body, noun.left_edge.idx, noun.idx + len(noun.text))
    if referent is None:  # "the same province" of a place without coordinates: its own words
        name = span.text.removeprefix("the ").removeprefix("The ")
        location = EventLocation(entity_id=None, name=name, country=None, geo=None, span=span)
    else:
        location = EventLocation(
            entity_id=referent.id,
            name=referent.name,
            country=referent.country,
            geo=referent.geo,
            span=span,
        )
    return PlacePhrase(location=location, rank=SITE_RANK)


def _referent(start: int, kind: str, ctx: EventContext) -> EntityRecord | None:
    """The last named place of ``kind`` mentioned before ``start``."""
    features = _KIND_FEATURES[kind]
    found: EntityRecord | None = None
    for _, entity in ctx.entities.mentions_between(0, start):
        if entity.type == "LOCATION" and entity.geo is not None and entity.geo.feature in features:
            found = entity
    return found
