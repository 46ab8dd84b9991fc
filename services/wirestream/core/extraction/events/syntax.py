"""Reading the parse: segments, noun phrases, participants, pronouns and place phrases.

Everything here works on the spaCy ``Doc`` of the cleaned text (same offsets as the body) and the
article's :class:`EntityIndex`; spans are always built from the original body with ``body_span``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from wirestream.core.contracts import EntityRecord, EventLocation, Participant, Span
from wirestream.core.extraction.doctext import doc_text
from wirestream.core.extraction.entities import EntityIndex
from wirestream.core.extraction.events.context import EventContext, PlacePhrase
from wirestream.core.extraction.events.lexicon import EventLexicon, EventWords
from wirestream.core.extraction.spans import body_span

_END_PUNCT = frozenset({".", "!", "?", '"', "'", ")", "...", ":", ";"})
_NP_STOP_DEPS = frozenset({"punct", "cc", "prep", "relcl", "acl", "appos", "advcl", "mark"})


def segments(doc: Doc) -> list[SpacySpan]:
    """spaCy's sentences, split again at line breaks (a heading glued to the next paragraph)."""
    out: list[SpacySpan] = []
    for sent in doc.sents:
        begin = sent.start
        for token in sent:
            if token.is_space and "\n" in token.text:
                if begin < token.i:
                    out.append(doc[begin : token.i])
                begin = token.i + 1
        if begin < sent.end:
            out.append(doc[begin : sent.end])
    return [s for s in out if any(t.is_alpha for t in s)]


def is_heading(segment: SpacySpan) -> bool:
    """A line without final punctuation (a sub-heading or a repeated title): it restates."""
    words = [t for t in segment if not t.is_space]
    return bool(words) and words[-1].text not in _END_PUNCT and len(words) <= 20


def np_bounds(head: Token, *, with_of: bool = True) -> tuple[int, int]:
    """Character bounds of the noun phrase headed by ``head`` (determiners and modifiers kept).

    Relative clauses, appositions and prepositional phrases are left out, except an ``of`` phrase
    ("the crews of Ka-52 helicopters") when ``with_of`` is set.
    """
    left = head
    for child in head.lefts:
        if child.dep_ in _NP_STOP_DEPS or child.is_punct:
            continue
        left = child.left_edge if child.left_edge.i < left.i else left
        break
    while left.i < head.i and (left.is_punct or left.is_space):
        left = left.doc[left.i + 1]
    right = head
    for child in head.rights:
        if child.dep_ in ("compound", "flat", "nummod") or (
            with_of and child.dep_ == "prep" and child.lower_ == "of"
        ):
            right = child.right_edge
        else:
            break
    while right.i > head.i and (right.is_punct or right.is_space):
        right = right.doc[right.i - 1]
    return left.idx, right.idx + len(right.text)


def entity_at(entities: EntityIndex, token: Token) -> EntityRecord | None:
    """The entity with a mention over ``token``, if any."""
    return entities.at(token.idx, token.idx + len(token.text))


def resolve_pronoun(
    token: Token, entities: EntityIndex, words: EventWords, *, window: int = 600
) -> EntityRecord | None:
    """A simple antecedent for he/she/it/they: the latest fitting entity mentioned before it.

    He/she: a PERSON; it/they: an ORGANIZATION, else a GROUP or LOCATION. A mention that is a
    sentence subject is preferred over one that is not.
    """
    word = token.lower_
    if word in words.person_pronouns:
        kinds: tuple[tuple[str, ...], ...] = (("PERSON",),)
    elif word in words.thing_pronouns:
        kinds = (("ORGANIZATION",), ("GROUP", "LOCATION"))
    else:
        return None
    doc = token.doc
    hits = entities.mentions_between(max(0, token.idx - window), token.idx)
    for allowed in kinds:
        fitting = [(s, e) for s, e in hits if e.type in allowed and s.end <= token.idx]
        if not fitting:
            continue
        subjects = []
        for span, entity in fitting:
            tok = doc.char_span(span.start, span.end, alignment_mode="expand")
            if tok is not None and tok.root.dep_ in ("nsubj", "nsubjpass"):
                subjects.append(entity)
        return subjects[-1] if subjects else fitting[-1][1]
    return None


def antecedent_in_sentence(
    pronoun: Token, entity: EntityRecord, entities: EntityIndex
) -> Span | None:
    """The last mention of ``entity`` before ``pronoun`` in its sentence ("Trump said he
    would meet ..." -> "Trump"): the participant's name in the text, not the pronoun."""
    start = pronoun.sent.start_char
    hits = [s for s, e in entities.mentions_between(start, pronoun.idx) if e.id == entity.id]
    hits = [s for s in hits if s.start >= start and s.end <= pronoun.idx]
    return hits[-1] if hits else None


def last_mention_before(pronoun: Token, entity: EntityRecord) -> Span | None:
    """The last mention of ``entity`` before ``pronoun`` anywhere in the body ("Trump arrived
    on Monday. He met ..." -> "Trump"): the participant is named in the text; None when the
    pronoun comes first."""
    before = [s for s in entity.mentions if s.end <= pronoun.idx]
    return max(before, key=lambda s: s.start) if before else None


def objects(token: Token) -> list[Token]:
    """The direct objects of ``token``."""
    return [c for c in token.children if c.dep_ in ("dobj", "obj")]


def partitive_head(head: Token, words: EventWords) -> Token:
    """The people a quantity is of: "thousands *of protesters*", "tens of thousands of
    *supporters*", "some *of the rebels*" (``non_participants`` and numbers); else ``head``."""
    while (
        head.pos_ == "NUM" or head.ent_type_ == "CARDINAL" or head.lower_ in words.non_participants
    ):
        objs = [
            o
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for o in prep.children
            if o.dep_ == "pobj"
        ]
        if not objs:
            break
        head = objs[0]
    return head


def is_date(head: Token, words: EventWords) -> bool:
    """A date or time ("Tuesday", "last week", "March 3"): never an actor or recipient."""
    return head.ent_type_ in ("DATE", "TIME") or head.lower_ in words.calendar_words


def _caption_position(head: Token, words: EventWords) -> bool:
    """ "Ruto*, right,* meets ...": a caption position set off by commas or brackets."""
    if head.lower_ not in words.caption_positions or head.i == 0 or head.i + 1 >= len(head.doc):
        return False
    return head.doc[head.i - 1].text in (",", "(") and head.doc[head.i + 1].text in (",", ")")


def participant(head: Token, ctx: EventContext) -> Participant | None:
    """A participant from a noun phrase head: its entity when it names one, else the phrase;
    None for relative pronouns, caption positions ("right") and dates."""
    body, entities, words = ctx.body, ctx.entities, ctx.lex.words
    if (
        head.lower_ in words.relative_pronouns
        or _caption_position(head, words)
        or is_date(head, words)
    ):
        return None
    if head.pos_ == "PRON":
        entity = resolve_pronoun(head, entities, words)
        if entity is None:
            return None
        earlier = (
            last_mention_before(head, entity) if head.lower_ in words.person_pronouns else None
        )
        span = (
            antecedent_in_sentence(head, entity, entities)
            or earlier
            or body_span(body, head.idx, head.idx + len(head.text))
        )
        return Participant(entity_id=entity.id, name=entity.name, span=span)
    if not (head.pos_ in ("NOUN", "PROPN", "NUM") or head.ent_type_):
        return None
    if not head.is_alpha and not any(c.isalpha() for c in head.text):
        return None  # punctuation inside a name ("-" of "anti-Mubarak")
    if head.i + 1 < len(head.doc) and not head.whitespace_ and head.doc[head.i + 1].text == "-":
        return None  # a prefix ("anti" of "anti-government"), no participant
    start, end = _within_line(head, *np_bounds(head))
    # "Ukraine's Air Force" -> the Air Force, not Ukraine: only the head names the entity.
    entity = entity_at(entities, head)
    span = body_span(body, start, end)
    if not span.text:
        return None
    if entity is not None:
        return Participant(entity_id=entity.id, name=entity.name, span=span)
    name = span.text
    for det in ("the ", "The ", "a ", "A ", "an ", "An "):
        if name.startswith(det):
            name = name[len(det) :]
    return Participant(entity_id=None, name=name, span=span)


def _within_line(head: Token, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` cut to the line of ``head``: a phrase never runs across a line break or
    a run of two or more spaces (a layout break: a headline glued to the first sentence)."""
    text = doc_text(head.doc)
    breaks = list(_LAYOUT_BREAK.finditer(text, start, end))
    before = [m for m in breaks if m.end() <= head.idx]
    after = [m for m in breaks if m.start() >= head.idx + len(head.text)]
    if before:
        start = before[-1].end()
    if after:
        end = after[0].start()
    return start, end


_LAYOUT_BREAK = re.compile(r"\s*\n\s*|\s{2,}")


def city_modifier(child: Token, ctx: EventContext) -> bool:
    """ "the Dallas shooting", "the Paris attacks": a compound or possessive of an event noun
    that names a city or smaller place, which says where, not who ("U.S. airstrikes")."""
    if child.dep_ not in ("compound", "poss") or child.ent_type_ not in ("GPE", "LOC", "FAC"):
        return False
    entity = entity_at(ctx.entities, child)
    return (
        entity is not None
        and entity.type == "LOCATION"
        and entity.geo is not None
        and entity.geo.feature in ("place", "city")
    )


def with_conjuncts(head: Token) -> list[Token]:
    """``head`` and the nouns conjoined to it ("Putin and other politicians")."""
    out = [head]
    for child in head.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(with_conjuncts(child))
    return out


def _rank(entity: EntityRecord | None, head: Token, narrowed: bool, words: EventWords) -> int:
    if entity is not None and entity.geo is not None:
        base = {"place": 0, "city": 0, "region": 1, "country": 2}[entity.geo.feature]
        return min(base, 1) if narrowed else base
    if head.lemma_.lower() in words.place_nouns or narrowed:
        return 1
    if entity is not None and entity.country and entity.name.lower() in ("ukraine", "russia"):
        return 2
    return 1 if entity is None else 0 if head.ent_type_ in ("FAC",) else 1


def place_phrases(segment: SpacySpan, ctx: EventContext) -> list[PlacePhrase]:
    """Every "in/at/near/across <place>" and "<direction> of <place>" phrase in ``segment``."""
    out: list[PlacePhrase] = []
    seen: set[int] = set()
    for prep in segment:
        found = _place_object(prep, ctx.lex)
        if found is None or found[0].i in seen:
            continue
        head, direction = found
        phrase = place_phrase(head, prep.head, direction, segment, ctx)
        if phrase is not None:
            out.append(phrase)
            seen.add(head.i)
    return out


def _place_object(prep: Token, lex: EventLexicon) -> tuple[Token, bool] | None:
    """(object, whether a direction governs the preposition) when ``prep`` may introduce a place.

    "The authorities in Kyiv" (a subject noun) says where the authorities are, but an event noun
    keeps its place ("the attacks in Paris focused attention on ..."), and so does a site
    (``sites.tsv``: "the embassy in Tehran was attacked": where the site is, the event is)."""
    words = lex.words
    if prep.dep_ not in ("prep", "conj") or (
        prep.lower_ not in words.location_prepositions and prep.lower_ != "of"
    ):
        return None
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if not objs:
        return None
    head = objs[0]
    if head.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
        return None
    governor = prep.head
    direction = governor.lower_ in words.directions
    if prep.lower_ == "of" and not direction:
        return None
    if prep.lower_ == "on" and head.lemma_.lower() not in words.place_nouns:
        return None
    if (
        not direction
        and governor.pos_ in ("NOUN", "PROPN")
        and governor.lemma_.lower() not in words.place_nouns
        and governor.lemma_.lower() not in lex.sites
        and governor.ent_type_ not in ("GPE", "LOC", "FAC")
        and governor.dep_ in ("nsubj", "nsubjpass")
        and (governor.lemma_.lower(), "NOUN") not in lex.triggers
    ):
        return None  # "the authorities in Kyiv" says where the authorities are, not the event
    return head, direction


def place_phrase(
    head: Token, governor: Token, direction: bool, segment: SpacySpan, ctx: EventContext
) -> PlacePhrase | None:
    """The place phrase of ``head`` when it names a place (a LOCATION mention, a named place,
    or a place noun with a proper noun: "the Kharkiv region"). When ``governor`` is a site in a
    place phrase ("at the army base in Kashmir"), the span starts at the site: the site is where
    the event is, the named place where the site is (the name and entity stay the named
    place's)."""
    body, entities, words = ctx.body, ctx.entities, ctx.lex.words
    start, end = np_bounds(head, with_of=True)
    mentions = [(s, e) for s, e in entities.mentions_between(start, end) if e.type == "LOCATION"]
    has_proper = any(t.pos_ == "PROPN" for t in segment.doc[head.left_edge.i : head.i + 1])
    named_place = head.pos_ == "PROPN" and head.ent_type_ in ("GPE", "LOC", "FAC")
    if (
        not mentions
        and not (head.lemma_.lower() in words.place_nouns and has_proper)
        and not named_place
    ):
        return None
    if not named_place and _names_no_place(head, mentions, ctx):
        return None
    if direction:
        start = governor.idx
    elif _at_site(governor, ctx.lex):
        start = _site_start(governor)  # "at the army base in Kashmir": the site, where it is
    own_end, end = end, _with_larger_place(head, end, ctx)
    span = body_span(body, start, end)
    head_entity = entity_at(entities, head)
    if head_entity is not None and head_entity.type != "LOCATION":
        head_entity = None
    entity = head_entity or (mentions[0][1] if mentions else None)
    name = span.text
    if head_entity is not None and not direction and body[start:own_end].endswith(head.text):
        name = head_entity.name
    for det in ("the ", "The "):
        name = name[len(det) :] if name.startswith(det) else name
    location = EventLocation(
        entity_id=entity.id if entity else None,
        name=name,
        country=entity.country if entity else None,
        geo=head_entity.geo if head_entity is not None and not direction else None,
        span=span,
    )
    narrowed = direction or (head_entity is None and entity is not None)
    return PlacePhrase(location, _rank(head_entity, head, narrowed, words))


def _at_site(governor: Token, lex: EventLexicon) -> bool:
    """Whether ``governor`` is a site (``sites.tsv``) in a site phrase ("at the army base")."""
    return (
        governor.dep_ == "pobj"
        and governor.lemma_.lower() in lex.sites
        and governor.head.lower_ in lex.words.location_prepositions
    )


def _site_start(site: Token) -> int:
    """Where a site's phrase starts, its determiner and possessor left out."""
    left = site.left_edge
    while left.i < site.i and left.dep_ in ("det", "poss", "punct"):
        left = left.doc[left.i + 1]
    return left.idx


def _names_no_place(
    head: Token, mentions: list[tuple[Span, EntityRecord]], ctx: EventContext
) -> bool:
    """Whether a common noun ``head`` is no place though its phrase names one: an event noun
    ("the bombing of the federal building", "a joint Rose Garden news conference"), or a noun
    whose places only modify it ("the largest anti-India protests", "a U.S. drone strike")."""
    if head.pos_ != "NOUN":
        return False
    lemma = head.lemma_.lower()
    words = ctx.lex.words
    if lemma in words.place_nouns or lemma in ctx.lex.sites or lemma in words.directions:
        return False
    if (lemma, "NOUN") in ctx.lex.triggers:
        return True
    if head.tag_ == "NN" and all(c.dep_ == "prep" for c in head.children):
        return True  # a bare noun of a complex preposition: "in support of", "in response to"
    return all(span.end <= head.idx for span, _ in mentions)


def _with_larger_place(head: Token, end: int, ctx: EventContext) -> int:
    """The end of "Baghdad*, Iraq*", "Palm Springs*, California*": a place named right after a
    comma that is larger than ``head``'s (a region or country around a city, a country around a
    region) belongs to the phrase's wording. The place after the comma is found by position, not
    by its attachment (the parser often hangs it elsewhere); a place the gazetteer does not know
    (no coordinates) counts as the smallest."""
    inner = entity_at(ctx.entities, head)
    if inner is None or inner.type != "LOCATION":
        return end
    doc = head.doc
    comma = next((t for t in doc[head.i + 1 : head.i + 8] if t.idx >= end), None)
    if comma is None or comma.text != "," or comma.i + 1 >= len(doc):
        return end
    after = doc[comma.i + 1]
    outer = entity_at(ctx.entities, after)
    if outer is None or outer is inner or outer.type != "LOCATION":
        return end
    mention = next(
        (s for s, e in ctx.entities.mentions_between(after.idx, after.idx + 1) if e is outer), None
    )
    if mention is None:
        return end
    inner_size = _GEO_SIZE[inner.geo.feature] if inner.geo is not None else -1
    if outer.geo is None:  # "Palm Springs, California": unknown after a city, not in a list
        if inner_size != 0 or _in_list(after, mention.end):
            return end
    elif _GEO_SIZE[outer.geo.feature] <= inner_size:
        return end
    return max(end, mention.end)


def _in_list(first: Token, end: int) -> bool:
    """Whether a name starting at ``first`` and ending at character ``end`` goes on a list
    ("Lyon, Nice and Paris")."""
    doc = first.doc
    nxt = next((t for t in doc[first.i : first.i + 8] if t.idx >= end), None)
    if nxt is not None and nxt.text == "," and nxt.i + 1 < len(doc):
        nxt = doc[nxt.i + 1]
    return nxt is not None and nxt.lower_ in ("and", "or")


_GEO_SIZE = {"place": 0, "city": 0, "region": 1, "country": 2}
