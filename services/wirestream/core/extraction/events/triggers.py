"""Triggers: which words of a segment are events, and the drafts they start.

A trigger is a verb or noun of ``triggers.tsv`` (or a casualty verb: an ASSAULT when no other
trigger is), dropped when the lexicon's complement frames or a known other sense rule it out
("the fight against corruption", a campaign rally, "hosting parties"), when it is a noun that only
names a kind of another common noun ("riot police", "a protest movement"), when negated, irrealis
(under a modal, a condition or an irrealis head), in scare quotes, or a generic noun. A
participle before a noun of people ("the detained men") is kept; a word that needs a context word
(``context.json``) does not when it is done to people or a site ("attacked the officers"). One
:class:`~.context.Draft` per type per segment.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from wirestream.core.extraction.events import syntax
from wirestream.core.extraction.events.context import Draft, EventContext
from wirestream.core.extraction.events.lexicon import EventLexicon
from wirestream.core.extraction.events.quantities import is_projectile, particles
from wirestream.core.extraction.events.shots import passed_away
from wirestream.core.extraction.events.victims import (
    is_person,
    person_victim,
    subject_is_nobody,
    wound_victim,
)
from wirestream_contracts.records import EventType

_QUOTE_CHARS = frozenset({"'", '"'})
_CANDIDATE_POS = frozenset({"VERB", "ADJ", "NOUN", "PROPN"})


def lookup(token: Token, lex: EventLexicon) -> tuple[EventType, str | None, bool] | None:
    """(type, mode, casualty_only) when ``token`` is a trigger candidate."""
    if token.pos_ not in _CANDIDATE_POS:
        return None  # every rule below needs one of these parts of speech
    lemma = token.lemma_.lower()
    if token.ent_type_ in ("DATE", "TIME") and not (token.pos_ == "NOUN" and token.is_lower):
        return None  # "in March", "May 9"; not the common noun of "an airstrike 10 days ago"
    if token.pos_ == "VERB" and _nominal(token):
        entry = lex.triggers.get((lemma, "NOUN"))
        return (entry.type, entry.mode, False) if entry is not None else None
    if token.pos_ == "VERB":
        entry = lex.triggers.get((lemma, "VERB"))
        if entry is not None:
            return entry.type, entry.mode, False
        if (
            lemma in lex.killed_verbs
            or lemma in lex.injured_verbs
            or lemma in lex.shot_verbs
            or lemma == "die"
            or passed_away(token)
        ):
            return "ASSAULT", None, True
        return None
    if token.pos_ == "ADJ" and token.lower_ == "dead":
        return "ASSAULT", None, True
    if token.pos_ == "NOUN" and lemma in lex.wound_nouns and wound_victim(token, lex) is not None:
        return "ASSAULT", None, True
    if token.pos_ in ("NOUN", "PROPN"):
        entry = lex.triggers.get((lemma, "NOUN"))
        if entry is not None and not (lemma == "talk" and token.lower_ != "talks"):
            return entry.type, entry.mode, False
    return None


def _nominal(token: Token) -> bool:
    """A word the tagger calls a verb where only a noun can stand: the object of a preposition
    ("following a government forces *airstrike* on"), or after a determiner."""
    return token.dep_ == "pobj" or any(c.dep_ == "det" for c in token.children)


def complement_cues(token: Token) -> set[str]:
    """The cues of ``context.json`` ``complement_frames`` that ``token`` shows: its preposition
    and particle children, its subject and object, an infinitival clause, plural number, the
    lemma it hangs from, its compound and adjective modifiers, what a "with" or "against" child
    introduces ("charged with *murder*", "with *overseeing*", "the fight against *corruption*"),
    the verb of a "to" clause ("asked not to be *named*") and the lemmas of its sentence and the
    one before (``sent:X``)."""
    cues = {f"head:{token.head.lemma_.lower()}"} if token.head is not token else set()
    if token.tag_ in ("NNS", "NNPS"):
        cues.add("plural")
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative"):
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if not (objects and all(o.ent_type_ in ("DATE", "TIME") for o in objects)):
                cues.add(f"prep:{child.lower_}")  # a time ("on Friday") is no complement
            if child.lower_ in ("with", "against"):
                cues.update(
                    f"{child.lower_}:{o.lemma_.lower()}"
                    for o in child.children
                    if o.dep_ in ("pobj", "pcomp")
                )
        elif child.dep_ == "prt":
            cues.add(f"prt:{child.lower_}")
        elif child.dep_ in ("nsubj", "nsubjpass"):
            cues.add(f"subj:{child.lemma_.lower()}")
        elif child.dep_ in ("dobj", "obj"):
            cues.add(f"obj:{child.lemma_.lower()}")
        elif child.dep_ in ("compound", "amod"):
            cues.add(f"mod:{child.lemma_.lower()}")
        elif child.dep_ in ("xcomp", "ccomp") and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in child.children
        ):
            cues.update(("to-clause", f"clause:{child.lemma_.lower()}"))
    sent = token.sent
    before = token.doc[sent.start - 1].sent if sent.start > 0 else sent
    cues.update(f"sent:{t.lemma_.lower()}" for t in token.doc[before.start : sent.end])
    return cues


def _lexical_veto(token: Token, etype: str, lex: EventLexicon) -> bool:
    """Senses the lexicon cannot tell apart by lemma alone ("struck a deal", "shot down", "a group
    called IS" against "called for talks")."""
    lemma = token.lemma_.lower()
    frame = lex.complement_frames.get((lemma, "VERB" if token.pos_ == "VERB" else "NOUN"))
    if frame is not None:
        cues = complement_cues(token)
        if (frame.any and not cues & frame.any) or (cues & frame.none and not cues & frame.unless):
            return True
    objects = syntax.objects(token)
    obj_lemmas = {o.lemma_.lower() for o in objects}
    if lemma in ("shoot", "shot") and "down" in particles(token):
        return True  # an interception: a quantity role, not an assault by the interceptor
    if lemma in ("strike", "hit") and obj_lemmas & lex.words.figurative_strike_objects:
        return True
    if lemma == "fire":
        preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
        return not (preps & {"on", "at", "upon"} or any(_projectile(o, lex) for o in _fired(token)))
    if lemma == "meet":
        withs = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "with"]
        with_lemmas = {o.lemma_.lower() for w in withs for o in w.children if o.dep_ == "pobj"}
        if (obj_lemmas | with_lemmas) & lex.words.figurative_meet_objects:
            return True  # "met the demand", "met with approval"
        has_with = bool(withs)
        has_party = any(o.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for o in objects)
        subj_plural = any(
            c.dep_ == "nsubj"
            and (c.tag_ in ("NNS", "NNPS") or any(g.dep_ == "conj" for g in c.children))
            for c in token.children
        )
        return not (has_with or has_party or subj_plural)
    if lemma == "release" and etype == "RETREAT":
        return not any(
            o.lemma_.lower() in lex.words.release_objects
            or o.lemma_.lower() in lex.person_nouns
            or o.ent_type_ == "PERSON"
            for o in objects
        )
    if lemma == "host" and etype == "CONSULT":
        return not any(
            o.lemma_.lower() in lex.host_objects or o.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
            for o in objects
        )  # "hosted the delegation", not "hosting parties", "host the World Cup"
    if lemma == "seize" and etype == "COERCE" and any(_territory(o, lex) for o in _taken(token)):
        return True  # "rebels seized the town": a capture of ground, not a confiscation
    if lemma == "supply" and not obj_lemmas & lex.aid_objects:
        return True  # "supplies more than 150 teams": trade, not aid
    if lemma == "execute":  # people, not a plan: "executed the prisoners", "men who were executed"
        done_to = [*_taken(token), *(c for c in token.children if c.dep_ == "nsubjpass")]
        return not any(
            o.lemma_.lower() in lex.person_nouns or o.ent_type_ == "PERSON" for o in done_to
        )
    return bool(lemma in ("sign", "support") and not objects)


def _fired(verb: Token) -> list[Token]:
    """What ``verb`` ("fire") launches: its object, its passive subject ("a missile is fired"),
    or the noun it describes ("rockets being fired from the hills")."""
    fired = syntax.objects(verb) + [c for c in verb.children if c.dep_ == "nsubjpass"]
    return [*fired, verb.head] if verb.dep_ == "acl" and verb.tag_ == "VBN" else fired


def _projectile(noun: Token, lex: EventLexicon) -> bool:
    """:func:`~.quantities.is_projectile`, or a projectile word in any number in the phrase ("a
    barrage of cruise missiles")."""
    return is_projectile(noun, lex) or any(
        t.lemma_.lower() in lex.words.projectiles for t in noun.subtree
    )


def _taken(verb: Token) -> list[Token]:
    """The objects of ``verb``; for "which"/"that" in a relative clause, the noun it modifies."""
    objects = syntax.objects(verb)
    if verb.dep_ == "relcl" and any(o.lower_ in ("which", "that") for o in objects):
        objects.append(verb.head)
    elif verb.dep_ == "relcl" and not objects:
        objects.append(verb.head)  # "a base the Kurds seized"
    return objects


def _territory(noun: Token, lex: EventLexicon) -> bool:
    """A place the parser names, or a common noun of places, sites or ``territory_nouns``."""
    lemma = noun.lemma_.lower()
    return (
        noun.ent_type_ in ("GPE", "LOC", "FAC")
        or lemma in lex.territory_nouns
        or lemma in lex.words.place_nouns
        or lemma in lex.sites
    )


def _predicate_of(verb: Token) -> bool:
    """ "the injuries are not (considered) life-threatening": a verb with a predicate complement,
    whose negation denies what is said of its subject, not that the subject happened."""
    return any(
        c.dep_ in ("acomp", "oprd", "attr") or (c.dep_ == "xcomp" and c.pos_ == "ADJ")
        for c in verb.children
    )


def negated(token: Token) -> bool:
    """ "did not attack", "never met", "no talks" (not "the injuries were not serious")."""
    for t in (token, token.head) if token.pos_ != "VERB" else (token,):
        if t is not token and token.dep_ in ("nsubj", "nsubjpass") and _predicate_of(t):
            continue
        for child in t.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "no"):
                return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def _irrealis_head(token: Token, lex: EventLexicon) -> bool:
    """``token`` is a head of ``irrealis_heads``: by lemma, or by ``lemma/POS`` for a word that is
    irrealis in one part of speech only ("open/ADJ": "open to talks", not "opened a probe")."""
    lemma = token.lemma_.lower()
    return lemma in lex.irrealis_heads or f"{lemma}/{token.pos_.lower()}" in lex.irrealis_heads


def irrealis(token: Token, lex: EventLexicon) -> bool:
    """Under a modal, a condition or an irrealis head ("ready to", "would include", "seek"); a
    death coordinated with an irrealis head's verb is not under it ("tried to flee and *died*")."""
    current = token
    died = token.lemma_.lower() in lex.killed_verbs or token.lemma_.lower() == "die"
    coordinated = False
    for _ in range(8):
        for child in current.children:
            if child.dep_ == "aux" and child.lower_ in lex.words.modals:
                return True
            if child.dep_ == "mark" and child.lower_ in lex.words.conditional_marks:
                return True
        # "the injuries are considered minor": what is said of the subject, not irrealis
        said_of = current.i == token.head.i and token.dep_ in ("nsubj", "nsubjpass")
        if (
            current is not token
            and not (coordinated and died)
            and _irrealis_head(current, lex)
            and not (said_of and _predicate_of(current))
        ):
            return True
        if current.dep_ in ("relcl", "ROOT") or current.head is current:
            return False
        if current.dep_ == "ccomp" and current.head.lemma_.lower() in lex.claim_verbs:
            return False
        if current.dep_ == "prep" and current.lower_ in ("provided", "if"):
            return True
        coordinated = current.dep_ == "conj"
        current = current.head
    return False


def _scare_quoted(token: Token, segment: SpacySpan, lex: EventLexicon) -> bool:
    """After "so-called" (a scare-quote marker), or alone in a short quoted phrase."""
    doc = token.doc
    left = [doc[i] for i in range(max(segment.start, token.i - 4), token.i)]
    right = [doc[i] for i in range(token.i + 1, min(segment.end, token.i + 5))]
    window = " ".join(t.lower_ for t in left).replace(" - ", "-")
    if any(marker in window for marker in lex.scare_quote_markers):
        return True
    opened = [t for t in left if t.text in _QUOTE_CHARS]
    closed = [t for t in right if t.text in _QUOTE_CHARS]
    if opened and closed:
        inner = doc[opened[-1].i + 1 : closed[0].i]
        return not any(t.pos_ == "VERB" and t is not token for t in inner) and len(inner) <= 5
    return False


def _generic_noun(token: Token, lex: EventLexicon) -> bool:
    """ "any negotiations", "the planned meeting", "strikes continue": no particular event."""
    dets = {c.lower_ for c in token.children if c.dep_ in ("det", "predet")}
    if dets & lex.generic_determiners:
        return True
    if any(
        c.dep_ in ("amod", "compound") and c.lower_ in lex.future_modifiers for c in token.children
    ):
        return True  # "the planned meeting", "a possible offensive": not (yet) an event
    head = token.head
    if (
        token.dep_ in ("nsubj", "dobj")
        and head.lemma_.lower() in lex.aspectual_heads
        and not any(c.dep_ == "amod" for c in token.children)
    ):
        return True  # "strikes continue", "continues its offensive"; not "heavy fighting resumed"
    return bool(
        token.tag_ in ("NNS", "NNPS")
        and not any(
            c.dep_ in ("det", "poss", "amod", "compound", "nummod", "prep", "acl")
            for c in token.children
        )
        and not _acts_on_a_named_target(token)
    )


def _acts_on_a_named_target(noun: Token) -> bool:
    """ "Airstrikes hit Islamic State positions in Tarvo": a bare plural that is the subject of a
    verb whose object names a particular target is the report of particular events."""
    if noun.dep_ != "nsubj" or noun.head.pos_ != "VERB":
        return False
    return any(
        t.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "NORP")
        for o in syntax.objects(noun.head)
        for t in o.subtree
    )


def _names_a_kind(token: Token, lex: EventLexicon) -> bool:
    """ "riot police", "a protest movement", "strike capability", "execution-style": a noun
    trigger that is only a compound of another common noun names a kind of that thing, not an
    event; unless the head is an event noun too or refers to one (``event_reference_heads``:
    "attack victims", "the bombing suspect", "a bombing campaign")."""
    if token.dep_ != "compound" or token.pos_ != "NOUN" or token.head.pos_ != "NOUN":
        return False
    head = token.head.lemma_.lower()
    return (head, "NOUN") not in lex.triggers and head not in lex.event_reference_heads


def _describes_people(token: Token, lex: EventLexicon) -> bool:
    """ "the detained men", "the dead migrants": a past participle (or "dead") before a noun of
    people says what happened to them."""
    return (token.tag_ == "VBN" or token.lower_ == "dead") and token.head.lemma_.lower() in (
        lex.person_nouns
    )


def _done_to_people(token: Token, lex: EventLexicon) -> bool:
    """ "attacked the officers", "a woman who was attacked", "the execution of the minister",
    "the embassy was attacked": the sense of business and sports ("hit a high", "attacked the
    plan") takes no people and no site (``sites.tsv``)."""
    if token.pos_ == "VERB":
        done_to = [*syntax.objects(token), *(c for c in token.children if c.dep_ == "nsubjpass")]
        if token.dep_ == "relcl" and any(c.tag_ == "WP" for c in token.children):
            done_to.append(token.head)  # "a woman who was attacked"
    else:
        done_to = [
            o
            for c in token.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for o in c.children
            if o.dep_ == "pobj"
        ]
    return any(is_person(t, lex) or t.lemma_.lower() in lex.sites for t in done_to)


def is_trigger(token: Token, etype: str, segment: SpacySpan, lex: EventLexicon) -> bool:
    """Whether a candidate of :func:`lookup` is an event here (see the module docstring)."""
    if token.dep_ == "amod" and not _describes_people(token, lex):
        return False  # "occupied areas", "a planned rally"
    if _names_a_kind(token, lex):
        return False
    if _lexical_veto(token, etype, lex) or negated(token) or irrealis(token, lex):
        return False
    if token.pos_ == "VERB" and subject_is_nobody(token):
        return False
    if _scare_quoted(token, segment, lex):
        return False
    return not (token.pos_ != "VERB" and _generic_noun(token, lex))


def drafts_in(
    index: int, segment: SpacySpan, ctx: EventContext, context: frozenset[str]
) -> list[Draft]:
    """One draft per event type triggered in ``segment`` (the ``index``-th); ``context`` holds
    the lemmas of this segment and the one before, for types that need a context word."""
    lex = ctx.lex
    found: dict[EventType, list[tuple[Token, str | None, bool]]] = {}
    for token in segment:
        hit = lookup(token, lex)
        if hit is None:
            continue
        etype, mode, casualty_only = hit
        if not is_trigger(token, etype, segment, lex):
            continue
        if (
            token.lemma_.lower() in lex.needs_context.get(etype, frozenset())
            and not context & lex.context_words.get(etype, frozenset())
            and not (etype == "ASSAULT" and _done_to_people(token, lex))
        ):
            continue  # "the dollar hit a high", "a rally in oil prices"
        if casualty_only and not person_victim(token, lex):
            continue  # "a drought has killed crops"
        found.setdefault(etype, []).append((token, mode, casualty_only))
    drafts: list[Draft] = []
    for etype, hits in found.items():
        primary = next((h for h in hits if not h[2]), hits[0])
        drafts.append(
            Draft(
                type=etype,
                mode=primary[1],
                trigger=primary[0],
                triggers=[h[0] for h in hits],
                segment_index=index,
                segment=segment,
                casualty_only=all(h[2] for h in hits),
            )
        )
    return drafts
