"""Find events in an analysed article: who did what to whom, where, when, how many, who says so.

One linear pass over the article's segments (spaCy sentences split again at line breaks):

1. **Triggers** are verbs and nouns of the PLOVER lexicon (``lexicons/events/triggers.tsv``),
   plus casualty verbs ("killed", "injured"), which make an ASSAULT when no other trigger does.
   A trigger is dropped when negated ("not", "no"), irrealis (under "would", "ready to",
   "willing to", "seek", "if"...), in scare quotes or after "so-called", a participle used as an
   adjective ("occupied areas"), a generic noun ("any negotiations", "strikes continue"), or in a
   heading (a line without final punctuation restates the text below it).
2. **One draft per type per segment**; its fields are read from the parse: actors (subject, "by"
   agent, possessor, nationality adjective), recipients (object, passive subject, "on"/"of"
   phrase), mode (lexicon, then cue words and weapon names near the trigger), places, the date
   nearest the trigger, quantities and casualties, weapons, the claim and the timeframe.
3. **Merging**: a draft in the next segments joins an earlier one of the same type when it shares
   a named participant, or when it picks the earlier one up with an anaphor ("the drones were
   attacking ...") and the modes agree.
4. **Records**: ids are ``record_id("event", article_id, revision, trigger.start, trigger.end,
   type)``; quotes that comment on an event (overlapping its sentence, or spoken by one of its actors
   shortly after it) point to it through ``EventsFound.quote_event_ids``.

Timeframe is ``background`` when the trigger follows a background cue ("since", "in the run-up
to"), or when its date ends more than ``recent_days`` (30, ``background.json``) before
``published_at``. Background events are never ``current``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from wirestream.core.contracts import (
    Casualties,
    Claim,
    Count,
    EventDate,
    EventLocation,
    EventRecord,
    Participant,
    Quantity,
    QuoteRecord,
    Span,
)
from wirestream.core.extraction.cleaning import CleanText
from wirestream.core.extraction.entities import EntityIndex
from wirestream.core.extraction.events import arguments, harm, syntax
from wirestream.core.extraction.events.dates import DateMention, find_dates
from wirestream.core.extraction.events.lexicon import (
    EventLexicon,
    Modality,
    load_lexicon,
)
from wirestream.core.extraction.events.quantities import (
    NumberMention,
    counted_noun,
    find_numbers,
    governing_verb,
    is_projectile,
    particles,
    role_of,
    whole_of,
)
from wirestream.core.extraction.spans import body_span
from wirestream.core.ids import record_id
from wirestream_contracts.records import EventType

_MODALS = frozenset(
    {"would", "could", "may", "might", "should", "will", "shall", "must", "'d", "wo", "ca"}
)
_CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
_QUOTE_CHARS = frozenset({"'", '"'})
_EVIDENCE_NOUNS = frozenset({"footage", "video", "image", "photo", "picture", "clip", "recording"})
_SHOW_VERBS = frozenset({"show", "prove", "depict", "reveal", "demonstrate"})
_MEDIA = frozenset(
    {
        "telegram",
        "twitter",
        "x",
        "facebook",
        "instagram",
        "television",
        "tv",
        "radio",
        "website",
        "media",
        "channel",
    }
)
_NOT_PHYSICAL = frozenset(
    {
        "deal",
        "agreement",
        "balance",
        "tone",
        "chord",
        "record",
        "high",
        "low",
        "note",
        "pose",
        "bargain",
        "market",
        "headline",
        "target",
        "nerve",
    }
)
_CAPTIVES = frozenset(
    {
        "prisoner",
        "hostage",
        "captive",
        "detainee",
        "journalist",
        "soldier",
        "civilian",
        "man",
        "woman",
        "people",
    }
)
_MEET_OBJECTS = frozenset(
    {
        "demand",
        "need",
        "target",
        "requirement",
        "criterion",
        "deadline",
        "expectation",
        "standard",
        "goal",
        "end",
    }
)
_ANAPHORIC_DETS = frozenset({"the", "this", "these", "those", "that"})
_CONSULT_WITH = frozenset({"CONSULT", "COOPERATE", "AGREE"})
_RECIPIENT_PREPS = frozenset({"on", "against", "at"})
_OF_RECIPIENT_NOUNS = frozenset(
    {
        "invasion",
        "occupation",
        "annexation",
        "bombing",
        "shelling",
        "bombardment",
        "assassination",
        "blockade",
        "siege",
    }
)
_SMALL_CLAUSE_HEADS = frozenset({"find", "leave", "discover", "locate"})
_NON_PARTICIPANTS = frozenset({"one", "part", "some", "most", "many", "several", "all"})


@dataclass(frozen=True)
class EventsFound:
    events: list[EventRecord]
    quote_event_ids: dict[str, list[str]] = field(default_factory=dict)
    """quote id -> ids of the events that quote comments on."""


@dataclass
class _Draft:
    type: EventType
    mode: str | None
    trigger: Token
    triggers: list[Token]
    segment_index: int
    segment: SpacySpan
    casualty_only: bool
    actors: list[Participant] = field(default_factory=list)
    recipients: list[Participant] = field(default_factory=list)
    places: list[syntax.PlacePhrase] = field(default_factory=list)
    date: EventDate | None = None
    quantities: list[Quantity] = field(default_factory=list)
    killed: Count | None = None
    injured: Count | None = None
    weapons: list[Span] = field(default_factory=list)
    claim: Claim | None = None
    background: bool = False
    anaphoric: bool = False
    unstated_survival: set[tuple[int, int]] = field(default_factory=set)
    """Spans of injured counts that do not say whether the victims lived ("two people were shot")."""
    confidence: float = 0.5


@dataclass
class _Context:
    doc: Doc
    body: str
    entities: EntityIndex
    quotes: list[QuoteRecord]
    lex: EventLexicon
    published: date | None
    dates: list[DateMention]
    dateline: EventLocation | None = None
    envelope: list[tuple[int, int]] = field(default_factory=list)


# --------------------------------------------------------------------------- triggers


def _lookup(token: Token, lex: EventLexicon) -> tuple[EventType, str | None, bool] | None:
    """(type, mode, casualty_only) when ``token`` is a trigger candidate."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        entry = lex.triggers.get((lemma, "VERB"))
        if entry is not None:
            return entry.type, entry.mode, False
        if (
            lemma in lex.killed_verbs
            or lemma in lex.injured_verbs
            or lemma in lex.shot_verbs
            or lemma == "die"
        ):
            return "ASSAULT", None, True
        return None
    if token.pos_ == "ADJ" and token.lower_ == "dead":
        return "ASSAULT", None, True
    if token.pos_ == "NOUN" and lemma in lex.wound_nouns and _wound_victim(token, lex) is not None:
        return "ASSAULT", None, True
    if token.pos_ in ("NOUN", "PROPN"):
        entry = lex.triggers.get((lemma, "NOUN"))
        if entry is not None and not (lemma == "talk" and token.lower_ != "talks"):
            return entry.type, entry.mode, False
    return None


def _objects(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in ("dobj", "obj")]


def _complement_cues(token: Token) -> set[str]:
    """The cues of ``context.json`` ``complement_frames`` that ``token`` shows: its preposition
    and particle children, its subject and object, an infinitival clause, plural number, the
    lemma it hangs from, its compound and adjective modifiers, what a "with" child introduces
    ("charged with *murder*", "with *overseeing*") and the verb of a "to" clause ("asked not to
    be *named*")."""
    cues = {f"head:{token.head.lemma_.lower()}"} if token.head is not token else set()
    if token.tag_ in ("NNS", "NNPS"):
        cues.add("plural")
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative"):
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if not (objects and all(o.ent_type_ in ("DATE", "TIME") for o in objects)):
                cues.add(f"prep:{child.lower_}")  # a time ("on Friday") is no complement
            if child.lower_ == "with":
                cues.update(
                    f"with:{o.lemma_.lower()}"
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
    return cues


def _lexical_veto(token: Token, etype: str, lex: EventLexicon) -> bool:
    """Senses the lexicon cannot tell apart by lemma alone ("struck a deal", "shot down", "a group
    called IS" against "called for talks")."""
    lemma = token.lemma_.lower()
    frame = lex.complement_frames.get((lemma, "VERB" if token.pos_ == "VERB" else "NOUN"))
    if frame is not None:
        cues = _complement_cues(token)
        if (frame.any and not cues & frame.any) or cues & frame.none:
            return True
    objects = _objects(token)
    obj_lemmas = {o.lemma_.lower() for o in objects}
    if lemma in ("shoot", "shot") and "down" in particles(token):
        return True  # an interception: a quantity role, not an assault by the interceptor
    if lemma in ("strike", "hit") and obj_lemmas & _NOT_PHYSICAL:
        return True
    if lemma == "fire":
        preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
        return not (preps & {"on", "at", "upon"} or any(is_projectile(o, lex) for o in objects))
    if lemma == "meet":
        if obj_lemmas & _MEET_OBJECTS:
            return True
        has_with = any(c.dep_ == "prep" and c.lower_ == "with" for c in token.children)
        has_party = any(o.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for o in objects)
        subj_plural = any(
            c.dep_ == "nsubj"
            and (c.tag_ in ("NNS", "NNPS") or any(g.dep_ == "conj" for g in c.children))
            for c in token.children
        )
        return not (has_with or has_party or subj_plural)
    if lemma == "release" and etype == "RETREAT":
        return not any(
            o.lemma_.lower() in _CAPTIVES
            or o.lemma_.lower() in lex.person_nouns
            or o.ent_type_ == "PERSON"
            for o in objects
        )
    if lemma == "supply" and not obj_lemmas & lex.aid_objects:
        return True  # "supplies more than 150 teams": trade, not aid
    if lemma == "execute":
        return not any(
            o.lemma_.lower() in lex.person_nouns or o.ent_type_ == "PERSON" for o in objects
        )
    return bool(lemma in ("sign", "support") and not objects)


def _negated(token: Token) -> bool:
    for t in (token, token.head) if token.pos_ != "VERB" else (token,):
        for child in t.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "no"):
                return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def _irrealis_head(token: Token, lex: EventLexicon) -> bool:
    """``token`` is a head of ``irrealis_heads``: by lemma, or by ``lemma/POS`` for a word that is
    irrealis in one part of speech only ("open/ADJ": "open to talks", not "opened a probe")."""
    lemma = token.lemma_.lower()
    return lemma in lex.irrealis_heads or f"{lemma}/{token.pos_.lower()}" in lex.irrealis_heads


def _irrealis(token: Token, lex: EventLexicon) -> bool:
    """Under a modal, a condition or an irrealis head ("ready to", "would include", "seek")."""
    current = token
    for _ in range(8):
        for child in current.children:
            if child.dep_ == "aux" and child.lower_ in _MODALS:
                return True
            if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS:
                return True
        if current is not token and _irrealis_head(current, lex):
            return True
        if current.dep_ in ("relcl", "ROOT") or current.head is current:
            return False
        if current.dep_ == "ccomp" and current.head.lemma_.lower() in lex.claim_verbs:
            return False
        if current.dep_ == "prep" and current.lower_ in ("provided", "if"):
            return True
        current = current.head
    return False


def _scare_quoted(token: Token, segment: SpacySpan, lex: EventLexicon) -> bool:
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
    dets = {c.lower_ for c in token.children if c.dep_ in ("det", "predet")}
    if dets & lex.generic_determiners:
        return True
    if any(
        c.dep_ in ("amod", "compound") and c.lower_ in lex.future_modifiers for c in token.children
    ):
        return True  # "the planned meeting", "a possible offensive": not (yet) an event
    head = token.head
    if token.dep_ in ("nsubj", "dobj") and head.lemma_.lower() in lex.aspectual_heads:
        return True
    return bool(
        token.tag_ in ("NNS", "NNPS")
        and not any(
            c.dep_ in ("det", "poss", "amod", "compound", "nummod", "prep", "acl")
            for c in token.children
        )
    )


def _is_trigger(token: Token, etype: str, segment: SpacySpan, lex: EventLexicon) -> bool:
    if token.dep_ == "amod" or (token.tag_ == "VBN" and token.dep_ == "amod"):
        return False
    if _lexical_veto(token, etype, lex) or _negated(token) or _irrealis(token, lex):
        return False
    if token.pos_ == "VERB" and _neither(token):
        return False
    if _scare_quoted(token, segment, lex):
        return False
    return not (token.pos_ != "VERB" and _generic_noun(token, lex))


# --------------------------------------------------------------------------- participants


def _add(parts: list[Participant], new: Participant | None) -> None:
    if new is None:
        return
    for p in parts:
        if (new.entity_id is not None and p.entity_id == new.entity_id) or p.span == new.span:
            return
        if new.entity_id is None and p.name.lower() == new.name.lower():
            return
    parts.append(new)


def _heads(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in wanted and child.lower_ not in _NON_PARTICIPANTS:
            out.extend(syntax.with_conjuncts(child))
    return out


def _pobjs(token: Token, preps: frozenset[str]) -> list[Token]:
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.extend(syntax.with_conjuncts(obj))
    return out


def _participants(draft: _Draft, ctx: _Context) -> None:
    body, entities = ctx.body, ctx.entities
    for trig in [draft.trigger, *[t for t in draft.triggers if t is not draft.trigger]]:
        actors: list[Token] = []
        recipients: list[Token] = []
        if trig.pos_ == "VERB":
            undergoer = arguments.undergoer_trigger(trig, ctx.lex)  # "12 people died": victims
            (recipients if undergoer else actors).extend(_heads(trig, ("nsubj",)))
            actors += _pobjs(trig, frozenset({"by"}))
            recipients += _heads(trig, ("dobj", "nsubjpass"))
            if trig.dep_ in ("acl", "relcl") and trig.tag_ == "VBG":
                actors.append(trig.head)
            if trig.dep_ == "relcl" and any(
                c.lower_ in ("which", "that", "who", "whom") and c.dep_ in ("dobj", "nsubjpass")
                for c in trig.children
            ):
                recipients.append(trig.head)
            if not actors and trig.dep_ in ("xcomp", "conj"):
                actors += _heads(trig.head, ("nsubj",))
            if draft.type in _CONSULT_WITH:
                actors += _pobjs(trig, frozenset({"with"}))
            elif draft.type == "ASSAULT":
                recipients += _pobjs(trig, _RECIPIENT_PREPS)
        else:
            for child in trig.children:
                if child.dep_ == "poss" or (
                    child.dep_ in ("amod", "compound")
                    and child.ent_type_
                    in (
                        "NORP",
                        "GPE",
                        "ORG",
                    )
                ):
                    actors.append(child)
                elif child.dep_ == "acl":
                    actors += _pobjs(child, frozenset({"by"}))
            actors += _pobjs(trig, frozenset({"by"}))
            actors += arguments.support_actors(trig, ctx.lex)  # "gunmen launched an attack"
            actors += arguments.modifier_actors(trig, ctx.lex)  # "police shootings"
            if draft.type in _CONSULT_WITH:
                actors += _pobjs(trig, frozenset({"with", "between"}))
                recipients += _pobjs(trig, frozenset({"to"}))
            elif draft.type == "ASSAULT":
                recipients += _pobjs(trig, _RECIPIENT_PREPS)
                if trig.lemma_.lower() in _OF_RECIPIENT_NOUNS:
                    recipients += _pobjs(trig, frozenset({"of"}))
            if trig.dep_ in ("nsubj", "nsubjpass") and trig.head.pos_ == "VERB":
                recipients += _heads(trig.head, ("dobj",))
        trigger_ids = {t.i for t in draft.triggers}
        for head in actors:
            if head.dep_ == "nsubj" and (
                head.lower_ in ("it", "they")
                or any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in head.children)
            ):
                draft.anaphoric = True  # "the drones were attacking": picks up an earlier event
            weapon = head.lemma_.lower() in ctx.lex.mode_cues
            if head.i in trigger_ids or (
                weapon and head.lemma_.lower() not in ctx.lex.person_nouns
            ):
                continue  # "Russian attacks have killed", "the drones were attacking": no actor
            if (
                head.pos_ == "PRON"
                and head.lower_ in ("it", "its", "they", "their")
                and draft.type == "ASSAULT"
            ):
                continue  # "its artillery": the claimant, resolved with the claim
            _add(draft.actors, syntax.participant(head, body, entities))
        for head in recipients:
            if head.pos_ == "NUM":
                continue
            if draft.type in _CONSULT_WITH and syntax.entity_at(entities, head) is None:
                continue  # "his first visit to the country": only a named host is a recipient
            _add(draft.recipients, syntax.participant(head, body, entities))
    actor_ids = {p.entity_id for p in draft.actors if p.entity_id}
    draft.recipients = [
        r for r in draft.recipients if r.entity_id is None or r.entity_id not in actor_ids
    ]


# --------------------------------------------------------------------------- mode, weapons


def _words_near(draft: _Draft) -> list[Token]:
    out: list[Token] = []
    for trig in draft.triggers:
        out.append(trig)
        out.extend(t for t in trig.subtree if t.dep_ not in ("relcl",) and t.i - trig.i < 8)
        for child in trig.children:
            if child.dep_ in ("nsubj", "nsubjpass", "agent", "dobj"):
                out.extend(child.subtree)
        if trig.dep_ in ("acl", "relcl"):
            out.extend(trig.head.subtree)
    return out


def _mode(draft: _Draft, lex: EventLexicon) -> str | None:
    if draft.mode is not None:
        return draft.mode
    for t in _words_near(draft):
        mode = lex.weapons.get(t.text.lower()) or lex.mode_cues.get(t.lemma_.lower())
        if mode is not None:
            return mode
    return None


def _weapons(segment: SpacySpan, body: str, lex: EventLexicon) -> list[Span]:
    out: list[Span] = []
    doc = segment.doc
    i = segment.start
    while i < segment.end:
        two = f"{doc[i].lower_} {doc[i + 1].lower_}" if i + 1 < segment.end else ""
        if two in lex.weapons:
            out.append(body_span(body, doc[i].idx, doc[i + 1].idx + len(doc[i + 1].text)))
            i += 2
            continue
        if doc[i].lower_ in lex.weapons:
            out.append(body_span(body, doc[i].idx, doc[i].idx + len(doc[i].text)))
        i += 1
    return out


# --------------------------------------------------------------------------- numbers


def _counts_text(noun: Token, lex: EventLexicon) -> str:
    names = [
        c.text.strip("'\"")
        for c in noun.lefts
        if c.dep_ in ("compound", "amod", "nmod") and c.text.strip("'\"").lower() in lex.weapons
    ]
    lemma = noun.lemma_.lower() if noun.pos_ == "NOUN" else noun.text
    return " ".join([*names, lemma])


def _hit_by_gunfire(verb: Token, lex: EventLexicon) -> bool:
    """ "struck in the leg", "hit by a bullet", "a bullet struck her", "a shot, which hit him";
    not "hit in the head with a bat" or "struck by the suspect's elbow"."""
    for child in verb.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in ("with", "by"):
            words = {t.lemma_.lower() for t in child.subtree} | {t.lower_ for t in child.subtree}
            # "hit with a handgun", "struck by a stray bullet"; not "hit with a bat"
            return bool(words & lex.firearm_nouns)
    for child in verb.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in ("in", "on", "by", "to"):
            for obj in child.children:
                if obj.dep_ == "pobj" and (
                    obj.lower_ in lex.body_parts
                    or obj.lemma_.lower() in lex.body_parts
                    or obj.lemma_.lower() in lex.projectile_nouns
                ):
                    return True
        if child.dep_ == "nsubj":
            subject = child
            if child.lower_ in ("which", "that") and verb.dep_ == "relcl":
                subject = verb.head
            if subject.lemma_.lower() in lex.projectile_nouns:
                return True
    return False


def _is_shot(verb: Token, lex: EventLexicon) -> bool:
    """A verb that says someone was hit without saying whether they lived: "shot", "grazed",
    "struck in the arm", "hit by a stray bullet"."""
    lemma = verb.lemma_.lower()
    return lemma in lex.shot_verbs or (lemma in lex.hit_verbs and _hit_by_gunfire(verb, lex))


def _own_subject(verb: Token) -> bool:
    """ "... and one of them was killed": a conjoined verb with victims of its own."""
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _conjoined_kill(verb: Token, lex: EventLexicon) -> bool:
    """ "was shot and killed": a conjoined killing verb that shares this verb's victims."""
    return any(
        c.dep_ == "conj" and c.lemma_.lower() in lex.killed_verbs and not _own_subject(c)
        for c in verb.children
    )


def _in_small_clause(verb: Token) -> bool:
    """ "found two men shot", "left him wounded": the verb's subject is the one it happened to."""
    return (
        verb.dep_ in ("ccomp", "xcomp", "oprd") and verb.head.lemma_.lower() in _SMALL_CLAUSE_HEADS
    )


def _fatal_adverb(verb: Token, lex: EventLexicon, own: Token | None = None) -> bool:
    """ "shot dead", "fatally shot", "shot to death"; an adverb that belongs to another number
    ("two people were shot, one fatally") does not make this one's victims dead."""
    for c in verb.subtree:
        if c.lower_ not in lex.killed_adverbs or c.dep_ not in (
            "advmod",
            "acomp",
            "oprd",
            "prep",
            "pobj",
        ):
            continue
        owner = next((a for a in c.ancestors if a.pos_ == "NUM" or a.i == verb.i), None)
        if owner is None or owner.i == verb.i or (own is not None and owner.i == own.i):
            return True
    return False


def _number_role(
    n: NumberMention, noun: Token | None, seg: SpacySpan, lex: EventLexicon
) -> str | None:
    role = _raw_number_role(n, noun, seg, lex)
    if role in ("killed", "injured"):
        number = seg.doc[n.last]
        if noun is None and (
            number.dep_ in ("advmod", "npadvmod", "nummod", "quantmod", "compound")
            and not any(c.lower_ in lex.killed_adverbs for c in number.children)
        ):
            return None  # "shot 16 times", "a 7 Eleven clerk": no count of people
        if (
            noun is None
            and number.dep_ == "pobj"
            and number.head.lower_ not in ("of", "by", "including")
        ):
            return None  # "shot in the leg around 8": a time, not a count of people
        if noun is not None and noun.lemma_.lower() not in lex.person_nouns:
            return None  # "3900 block", "two shootings": not a count of people
        verb = governing_verb(noun if noun is not None else seg.doc[n.last])
        if verb is not None and (_negated(verb) or _irrealis(verb, lex) or _neither(verb)):
            return None
    return role


def _raw_number_role(
    n: NumberMention, noun: Token | None, seg: SpacySpan, lex: EventLexicon
) -> str | None:
    doc = seg.doc
    number = doc[n.last]
    anchor = noun if noun is not None and number.dep_ in ("nummod", "quantmod") else number
    nxt = doc[n.last + 1] if n.last + 1 < seg.end else None
    after_noun = doc[noun.i + 1] if noun is not None and noun.i + 1 < seg.end else None
    for follower in (nxt, after_noun):
        if follower is not None:
            word = follower.lower_
            if word in lex.killed_words:
                return "killed"
            if word in lex.injured_words:
                return "injured"
    verb = governing_verb(anchor)
    role = role_of(verb, lex)
    if verb is not None and _attackers(anchor, verb, lex):
        return None  # "two masked men shot the clerk": the number counts the attackers
    if role is None and verb is not None and _is_shot(verb, lex):
        fatal = _fatal_adverb(verb, lex, number)
        conj_kill = _conjoined_kill(verb, lex)
        head_kill = (
            verb.dep_ == "conj"
            and verb.head.lemma_.lower() in lex.killed_verbs
            and not _own_subject(verb)
        )
        return "killed" if fatal or conj_kill or head_kill else "injured"
    if role is None and verb is not None and verb.dep_ == "conj":
        # "... and killed two" / "killed four and injured 30": the verb itself decides.
        role = role_of(verb, lex)
    if role == "injured" and verb is not None and _fatal_adverb(verb, lex, number):
        role = "killed"  # "fatally wounded two"
    return role


def _attackers(anchor: Token, verb: Token, lex: EventLexicon) -> bool:
    """The active subject of a verb that takes victims as its object is the attacker."""
    if anchor.dep_ != "nsubj" or anchor.head.i != verb.i:
        return False
    if any(c.dep_ == "auxpass" for c in verb.children):
        return False
    aimed = any(
        c.dep_ == "prep" and c.lower_ in ("at", "toward", "towards", "into") for c in verb.children
    )
    conj_objects = any(c.dep_ == "conj" and _objects(c) for c in verb.children)
    if not (_objects(verb) or aimed or conj_objects):
        return False  # "two teens shot outside a home" (a headline): the victims
    lemma = verb.lemma_.lower()
    if not (lemma in lex.killed_verbs or lemma in lex.injured_verbs or _is_shot(verb, lex)):
        return False  # "two people died"
    return not _in_small_clause(verb)  # "found two men shot": the subject is the victim


def _unstated_survival(
    n: NumberMention, noun: Token | None, seg: SpacySpan, lex: EventLexicon
) -> bool:
    """True when the number counts people only said to be shot ("three people were shot")."""
    number = seg.doc[n.last]
    anchor = noun if noun is not None and number.dep_ in ("nummod", "quantmod") else number
    verb = governing_verb(anchor)
    return verb is not None and role_of(verb, lex) is None and _is_shot(verb, lex)


def _quantities(draft: _Draft, ctx: _Context) -> None:
    lex, body = ctx.lex, ctx.body
    seg = draft.segment
    numbers = find_numbers(seg, lex)
    roles: dict[int, str | None] = {}
    nouns: dict[int, Token | None] = {}
    for n in numbers:
        noun = counted_noun(n, seg)
        nouns[n.first] = noun
        roles[n.first] = _number_role(n, noun, seg, lex)
    for n in numbers:
        whole = whole_of(n, numbers, seg)
        if whole is not None:
            noun = nouns.get(whole.first) or nouns.get(n.first)
            nouns[n.first] = noun
            nouns[whole.first] = noun
            part_role = roles.get(n.first)
            if part_role == "intercepted" and is_projectile(noun, lex):
                roles[whole.first] = "launched"
            elif roles.get(whole.first) in (None, part_role):
                roles[whole.first] = "total"
    casualty_of: str | None = None
    for n in numbers:
        noun = nouns[n.first]
        role = roles[n.first]
        if (
            noun is not None
            and noun.lemma_.lower() in lex.person_nouns
            and role in ("killed", "injured")
        ):
            casualty_of = noun.lemma_.lower() if noun.tag_ != "NNS" else noun.lower_
    for n in numbers:
        noun = nouns[n.first]
        role = roles[n.first]
        if noun is not None:
            counts = _counts_text(noun, lex)
            if noun.tag_ == "NNS" and noun.lemma_.lower() in lex.person_nouns:
                counts = noun.lower_
        elif role in ("killed", "injured"):
            counts = casualty_of or "people"
        else:
            continue
        if role is None:
            if noun is not None and (
                noun.lemma_.lower() in lex.person_nouns or is_projectile(noun, lex)
            ):
                role = "count"
            else:
                continue
        span = body_span(body, n.start, n.end)
        if role == "injured" and _unstated_survival(n, noun, seg, lex):
            draft.unstated_survival.add((span.start, span.end))
        draft.quantities.append(
            Quantity(value=n.value, qualifier=n.qualifier, counts=counts, role=role, span=span)
        )
    _casualties(draft, ctx)


def _neither(verb: Token) -> bool:
    """ "Neither Melissa nor the children were injured"."""
    return any(
        t.lower_ in ("neither", "nobody")
        or (t.lower_ == "one" and t.i > 0 and t.nbor(-1).lower_ == "no")
        for c in verb.children
        if c.dep_ in ("nsubj", "nsubjpass")
        for t in c.subtree
    )


def _victim_count(
    head: Token, lex: EventLexicon, numbers: list[NumberMention]
) -> tuple[int, Token] | None:
    """How many people a victim phrase names without a digit: "a man" -> 1, "John Doe" -> 1."""
    heads = syntax.with_conjuncts(head)
    total = 0
    for h in heads:
        if any(n.first <= c.i <= n.last for c in h.children for n in numbers):
            return None
        lemma = h.lemma_.lower()
        if (
            h.ent_type_ == "PERSON"
            or (lemma in lex.person_nouns and h.tag_ in ("NN", "NNP"))
            or (h.pos_ == "PRON" and h.lower_ in ("he", "she", "him", "her", "himself", "herself"))
            or h.lower_ == "another"
            or (h.lower_ == "one" and any(c.lower_ == "of" for c in h.children))
            or h.lower_ in ("his", "her")
            or (h.pos_ == "PROPN" and h.ent_type_ in ("", "PERSON") and h.tag_ == "NNP")
            or (lemma == "couple" and not any(c.lower_ == "of" for c in h.children))
            or (h.lower_ == "both" and h.dep_ == "nsubj")  # "found two men, both shot in the leg"
            or (
                h.lower_ == "old" and any(c.lemma_.lower() in ("year", "month") for c in h.children)
            )  # "a 17-year-old was shot"
        ):
            total += 2 if lemma == "couple" or h.lower_ == "both" else 1
        else:
            return None
    return (total, head) if total else None


def _casualties(draft: _Draft, ctx: _Context) -> None:
    lex, body = ctx.lex, ctx.body
    killed = [q for q in draft.quantities if q.role == "killed"]
    injured = [q for q in draft.quantities if q.role == "injured"]
    if killed:
        q = max(killed, key=lambda x: x.value)
        draft.killed = Count(value=q.value, qualifier=q.qualifier, of=q.counts, span=q.span)
    if injured:
        q = max(injured, key=lambda x: x.value)
        draft.injured = Count(value=q.value, qualifier=q.qualifier, of=q.counts, span=q.span)
    if draft.killed is not None and draft.injured is not None:
        return
    numbers = find_numbers(draft.segment, lex)
    for noun in draft.segment:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in lex.wound_nouns:
            continue
        victim = _wound_victim(noun, lex)
        if victim is None:
            continue
        fatal = any(c.lemma_.lower() in lex.fatal_modifiers for c in noun.children) or (
            noun.dep_ == "pobj"
            and noun.head.lower_ in ("of", "from", "to")
            and noun.head.head.lemma_.lower() in lex.fatal_wound_verbs
        )  # "died of his injuries", "succumbed to his wounds"
        counted = next(
            (
                n
                for n in numbers
                for c in victim.children
                if c.dep_ == "nummod" and n.first <= c.i <= n.last
            ),
            None,
        )
        if counted is not None:
            value, qualifier = counted.value, counted.qualifier
        else:
            found = _victim_count(victim, lex, numbers)
            if found is None:
                continue
            value, qualifier = found[0], "exact"
        start, end = syntax.np_bounds(victim, with_of=False)
        count = Count(
            value=value,
            qualifier=qualifier,
            of=victim.lemma_.lower(),
            span=body_span(body, start, end),
        )
        if fatal and draft.killed is None:
            draft.killed = count
        elif not fatal and draft.injured is None:
            draft.injured = count
            pass  # an injury stated as such
    injured_before = draft.injured
    hurt: list[tuple[int, Token, bool]] = []  # (value, victim head, survival unstated)
    for verb in draft.segment:
        if verb.pos_ not in ("VERB", "ADJ"):
            continue
        lemma = verb.lemma_.lower()
        shot = verb.pos_ == "VERB" and _is_shot(verb, lex)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if lemma in lex.killed_verbs or lemma in lex.injured_verbs or shot:
            deps: tuple[str, ...] = ("nsubjpass",) if passive else ("dobj",)
        elif lemma == "die" or (verb.pos_ == "ADJ" and verb.lower_ == "dead"):
            deps = ("nsubj", "nsubjpass")
        else:
            continue
        if _negated(verb) or _irrealis(verb, lex) or _neither(verb):
            continue
        victims = _victims(verb, deps, passive, shot, lex)
        if not victims:
            continue
        found = _victim_count(victims[0], lex, numbers)
        if found is None:
            continue
        value, head = found
        unstated = False
        if shot:
            fatal = _fatal_adverb(verb, lex)
            if _conjoined_kill(verb, lex):
                continue  # the conjoined "killed" counts the same victims
            kind = "killed" if fatal else "injured"
            survived = any(t.lemma_.lower() == "survive" for t in draft.segment)
            unstated = kind == "injured" and not survived
        elif lemma in lex.killed_verbs or lemma == "die" or verb.lower_ == "dead":
            kind = "killed"
        elif _fatal_adverb(verb, lex):
            kind = "killed"  # "fatally wounded"
        else:
            kind = "injured"
        count = _victim_count_record(head, value, body)
        if kind == "killed" and draft.killed is None:
            draft.killed = count
        elif kind == "injured":
            hurt.append((value, head, unstated))
    if injured_before is None and hurt:
        total, first, unstated = _distinct_victims(hurt)
        count = _victim_count_record(first, total, body)
        draft.injured = count
        if unstated:
            draft.unstated_survival.add((count.span.start, count.span.end))
    elif injured_before is not None:
        # "one man was shot in the arm and another in the chest": "another" adds to the number
        key = (injured_before.span.start, injured_before.span.end)
        extra = [
            (v, u)
            for v, head, u in hurt
            if _another(head) and syntax.np_bounds(head, with_of=False)[0] != key[0]
        ]
        if extra:
            more = sum(v for v, _ in extra)
            draft.injured = injured_before.model_copy(update={"value": injured_before.value + more})
            if not all(u for _, u in extra):
                draft.unstated_survival.discard(key)


def _victim_count_record(head: Token, value: int, body: str) -> Count:
    start, end = syntax.np_bounds(head, with_of=False)
    of = head.lemma_.lower() if head.ent_type_ != "PERSON" else "person"
    return Count(value=value, qualifier="exact", of=of, span=body_span(body, start, end))


def _another(head: Token) -> bool:
    """ "another", "another man", "a second victim"."""
    return head.lower_ == "another" or any(
        (c.dep_ == "det" and c.lower_ == "another")
        or (c.dep_ == "amod" and c.lower_ in ("second", "third"))
        for c in head.children
    )


_NEW_VICTIM_DETS = frozenset({"a", "an", "another", "one"})


def _new_victim(head: Token) -> bool:
    """A victim phrase that introduces someone ("a woman", "another man", "one teen", a name)
    rather than picking someone up ("he", "the victim")."""
    if head.lower_ in ("another", "one") or head.ent_type_ == "PERSON":
        return True
    if head.pos_ == "PROPN" and head.ent_type_ == "" and not head.is_sent_start:
        return True  # a name the model did not label
    return any(
        (c.dep_ in ("det", "nummod") and c.lower_ in _NEW_VICTIM_DETS)
        or (c.dep_ == "amod" and c.lower_ in ("second", "third", "other"))
        for c in head.children
    )


def _distinct_victims(hurt: list[tuple[int, Token, bool]]) -> tuple[int, Token, bool]:
    """Injured victims of one sentence: "one was shot in the arm and another in the chest" is
    two; a pronoun or a definite phrase picks up someone already counted."""
    value, first, unstated = hurt[0]
    seen = {t.i for t in syntax.with_conjuncts(first)}
    names = {first.lower_}
    total = value
    for v, head, u in hurt[1:]:
        if head.i in seen or head.lower_ in names or not (_new_victim(head) and _new_victim(first)):
            continue
        seen.update(t.i for t in syntax.with_conjuncts(head))
        names.add(head.lower_)
        total += v
        unstated = unstated and u
    return total, first, unstated


def _victims(
    verb: Token, deps: tuple[str, ...], passive: bool, shot: bool, lex: EventLexicon
) -> list[Token]:
    """Who a casualty verb happened to."""
    if shot and any(
        c.dep_ == "prep" and c.lower_ == "at" and not any(g.dep_ == "pobj" for g in c.children)
        for c in verb.children
    ):
        return []  # "the victim he shot at": fired at, not hit
    victims = [c for c in verb.children if c.dep_ in deps]
    if victims and victims[0].lower_ in ("who", "that", "whom") and verb.dep_ == "relcl":
        return [verb.head]  # "a man who was shot"
    own_subject = any(c.dep_ == "nsubj" for c in verb.children)
    if not victims and verb.dep_ == "conj" and not own_subject:
        # "a man was shot and killed": the conjoined verbs share the passive subject
        victims = [c for c in verb.head.children if c.dep_ in (*deps, "nsubjpass")]
    if not victims and verb.pos_ == "ADJ":
        victims = [c for c in verb.head.children if c.dep_ in deps]
        victims += [c for c in verb.head.children if c.dep_ == "dobj"]  # "found him dead"
    if not victims and verb.tag_ == "VBN":
        # "found a man shot", "a man was found shot": the small clause's subject
        victims = [c for c in verb.children if c.dep_ == "nsubj"]
        if not victims and verb.dep_ in ("xcomp", "oprd", "ccomp"):
            victims = [c for c in verb.head.children if c.dep_ in ("nsubjpass", "dobj")]
    if not victims and verb.dep_ == "acl" and verb.tag_ == "VBN":
        victims = [verb.head]  # "a juvenile shot in the 3000 block"
    if not victims and passive and verb.dep_ in ("pcomp", "advcl"):
        # "a man is in critical condition after being shot": the main clause's subject
        head = verb.head.head if verb.dep_ == "pcomp" else verb.head
        victims = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not victims and shot and not passive and not _objects(verb):
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if _in_small_clause(verb) or _hit_by_gunfire(verb, lex):
            victims = subjects  # "found a man shot in the chest", headline "Man shot in leg"
    return victims


# --------------------------------------------------------------------------- dates, time


def _date(draft: _Draft, ctx: _Context) -> None:
    seg = draft.segment
    lo, hi = seg.start_char, seg.end_char
    inside = [d for d in ctx.dates if lo <= d.start and d.end <= hi]
    if not inside:
        return
    anchor = draft.trigger.idx
    best = min(inside, key=lambda d: abs(d.start - anchor))
    draft.date = EventDate(
        value=best.value,
        precision=best.precision,
        span=body_span(ctx.body, best.start, best.end),
        relative=best.relative,
    )


def _period_end(value: str, precision: str) -> date:
    parts = [int(p) for p in value.split("-")]
    if precision == "day":
        return date(parts[0], parts[1], parts[2])
    if precision == "month":
        year, month = parts[0], parts[1]
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return date(parts[0], 12, 31)


def _timeframe(draft: _Draft, ctx: _Context) -> None:
    trig = draft.trigger
    left = syntax.np_bounds(trig)[0] if trig.pos_ != "VERB" else trig.idx
    before = ctx.doc.text[max(draft.segment.start_char, left - 40) : left].lower()
    before = " ".join(before.replace("-", " - ").split()).replace(" - ", "-")
    if any(
        before.endswith(cue) or f"{cue} " in before[-len(cue) - 25 :]
        for cue in ctx.lex.preceding_cues
    ):
        draft.background = True
    for ancestor in trig.ancestors:
        if ancestor.lower_ == "since" and ancestor.dep_ == "prep":
            draft.background = True
        if ancestor.dep_ in ("ROOT", "relcl"):
            break
    if draft.date is not None and ctx.published is not None:
        end = _period_end(draft.date.value, draft.date.precision)
        if end < ctx.published - timedelta(days=ctx.lex.recent_days):
            draft.background = True


# --------------------------------------------------------------------------- claims


def _claim_source(verb: Token, ctx: _Context, recent: list[Claim]) -> Participant | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    subj = subjects[0]
    if subj.pos_ == "PRON":
        word = subj.lower_
        seg_start = verb.sent.start_char
        same = [
            e
            for s, e in ctx.entities.mentions_between(seg_start, subj.idx)
            if s.end <= subj.idx
            and e.type == ("PERSON" if word in ("he", "she") else "ORGANIZATION")
        ]
        span = body_span(ctx.body, subj.idx, subj.idx + len(subj.text))
        if same:
            return Participant(entity_id=same[-1].id, name=same[-1].name, span=span)
        for claim in reversed(recent):
            if claim.source is None:
                continue
            src = claim.source
            entity = ctx.entities.by_id(src.entity_id) if src.entity_id else None
            is_person = entity is not None and entity.type == "PERSON"
            if is_person == (word in ("he", "she")):
                return Participant(entity_id=src.entity_id, name=src.name, span=span)
        return syntax.participant(subj, ctx.body, ctx.entities)
    return syntax.participant(subj, ctx.body, ctx.entities)


def _claim_cue(verb: Token, body: str) -> Span:
    end = verb.idx + len(verb.text)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "via", "in"):
            objs = [o for o in child.children if o.dep_ == "pobj"]
            if objs and objs[0].lower_ in _MEDIA:
                end = max(end, objs[0].idx + len(objs[0].text))
    return body_span(body, verb.idx, end)


def _claims_in(segment: SpacySpan, ctx: _Context, recent: list[Claim]) -> list[tuple[Token, Claim]]:
    """(claim verb, claim) for every attribution verb in ``segment``."""
    out: list[tuple[Token, Claim]] = []
    for verb in segment:
        lemma = verb.lemma_.lower()
        if verb.lower_ == "according":
            objs = [o for c in verb.children for o in c.children if o.dep_ == "pobj"]
            source = syntax.participant(objs[0], ctx.body, ctx.entities) if objs else None
            cue = body_span(ctx.body, verb.idx, verb.idx + len(verb.text))
            out.append((verb, Claim(source=source, modality="reported", cue=cue)))
            continue
        if verb.pos_ != "VERB" or lemma not in ctx.lex.claim_verbs:
            continue
        modality: Modality = ctx.lex.claim_verbs[lemma]
        comps = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
        if (
            lemma in ("say", "claim")
            and any(c.lemma_.lower() in _SHOW_VERBS for c in comps)
            and any(t.lemma_.lower() in _EVIDENCE_NOUNS for t in segment)
        ):
            modality = "claimed"  # "footage it says shows": the party's own account of its evidence
        if any(c.dep_ == "neg" for c in verb.children) and modality == "confirmed":
            continue
        source = _claim_source(verb, ctx, recent)
        out.append((verb, Claim(source=source, modality=modality, cue=_claim_cue(verb, ctx.body))))
    return out


def _claim_for(draft: _Draft, claims: list[tuple[Token, Claim]]) -> Claim | None:
    trig = draft.trigger
    best: tuple[int, Claim] | None = None
    for verb, claim in claims:
        if verb.lower_ == "according":
            distance = 50
        else:
            ancestors = list(trig.ancestors)
            if verb not in ancestors:
                continue
            distance = ancestors.index(verb)
            if any(t.dep_ == "relcl" for t in [trig, *ancestors[:distance]]):
                continue  # a relative clause is asserted by the writer, not the speaker
        if best is None or distance < best[0]:
            best = (distance, claim)
    return best[1] if best else None


def _quote_claim(draft: _Draft, ctx: _Context) -> Claim | None:
    pos = draft.trigger.idx
    if draft.trigger.dep_ == "relcl" or any(t.dep_ == "relcl" for t in draft.trigger.ancestors):
        return None  # a relative clause inside a quote is the writer's aside
    for quote in ctx.quotes:
        if quote.span.start <= pos < quote.span.end and quote.speaker is not None:
            speaker = quote.speaker
            span = speaker.span or quote.span
            source = Participant(entity_id=speaker.entity_id, name=speaker.name, span=span)
            cue = quote.cue.span if quote.cue is not None else quote.span
            return Claim(source=source, modality="reported", cue=cue)
    return None


# --------------------------------------------------------------------------- assembly


def _is_person(head: Token, lex: EventLexicon) -> bool:
    return (
        head.lemma_.lower() in lex.person_nouns
        or head.ent_type_ == "PERSON"
        or (head.pos_ == "PRON" and head.lower_ in ("he", "she", "him", "her", "they", "them"))
    )


def _wound_victim(noun: Token, lex: EventLexicon) -> Token | None:
    """Whose wound it is: "a man with a gunshot wound", "she suffered injuries"."""
    head = noun.head
    for child in noun.children:
        if child.dep_ == "poss" and (_is_person(child, lex) or child.lower_ in ("his", "her")):
            return child  # "his injuries were not life-threatening"
    if noun.dep_ == "pobj" and head.lower_ == "with":
        if _is_person(head.head, lex):
            return head.head
        if head.head.pos_ == "VERB":
            # "left a man with a gunshot wound", "the victim walked in with two gunshot wounds"
            for dep in ("dobj", "nsubj", "nsubjpass"):
                for child in head.head.children:
                    if child.dep_ == dep and _is_person(child, lex):
                        return child
        return None
    if noun.dep_ == "pobj" and head.lower_ in ("from", "for"):
        verb = head.head
    elif noun.dep_ == "dobj":
        verb = head
    else:
        return None
    if verb.lemma_.lower() not in lex.wound_verbs:
        return None
    if verb.dep_ in ("acl", "relcl") and _is_person(verb.head, lex):
        return verb.head  # "a man who had suffered critical injuries"
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and _is_person(child, lex):
            return child
    if verb.dep_ in ("xcomp", "advcl", "conj"):
        # "appeared to suffer injuries", "arrived at a hospital suffering from a gunshot wound"
        for child in verb.head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and _is_person(child, lex):
                return child
    return None


def _person_victim(verb: Token, lex: EventLexicon) -> bool:
    """A casualty verb counts when its victims are people (or a number of them)."""
    if verb.pos_ == "NOUN":
        return _wound_victim(verb, lex) is not None
    deps = ("dobj", "nsubjpass", "nsubj") if verb.pos_ != "ADJ" else ("nsubj", "nsubjpass")
    heads = [c for c in verb.children if c.dep_ in deps]
    if verb.pos_ == "ADJ" or (not heads and verb.dep_ in ("conj", "xcomp", "oprd", "acomp")):
        heads += [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if verb.dep_ == "acl":
        heads.append(verb.head)
    for head in heads:
        for h in syntax.with_conjuncts(head):
            if (
                h.lemma_.lower() in lex.person_nouns
                or h.ent_type_ in ("PERSON", "NORP")
                or h.pos_ in ("PRON", "NUM")
                or any(c.dep_ == "nummod" for c in h.children)
            ):
                return True
    return False


def _drafts_for(
    index: int, segment: SpacySpan, ctx: _Context, context: frozenset[str]
) -> list[_Draft]:
    lex = ctx.lex
    found: dict[EventType, list[tuple[Token, str | None, bool]]] = {}
    for token in segment:
        hit = _lookup(token, lex)
        if hit is None:
            continue
        etype, mode, casualty_only = hit
        if not _is_trigger(token, etype, segment, lex):
            continue
        if token.lemma_.lower() in lex.needs_context.get(etype, frozenset()) and not (
            context & lex.context_words.get(etype, frozenset())
        ):
            continue  # "the dollar hit a high", "a rally in oil prices"
        if casualty_only and not _person_victim(token, lex):
            continue  # "a drought has killed crops"
        found.setdefault(etype, []).append((token, mode, casualty_only))
    drafts: list[_Draft] = []
    for etype, hits in found.items():
        primary = next((h for h in hits if not h[2]), hits[0])
        drafts.append(
            _Draft(
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


def _not_an_attack(draft: _Draft, lex: EventLexicon) -> None:
    """An ASSAULT whose harm is a flood, crash or disease becomes a DISASTER (:mod:`.harm`)."""
    if draft.type != "ASSAULT":
        return
    kind = harm.non_intentional(draft.triggers, draft.casualty_only, lex)
    if kind is not None:
        draft.type, draft.mode, draft.actors = "DISASTER", kind, []
        draft.weapons = []


def _shares_participant(a: _Draft, b: _Draft) -> bool:
    ids_a = {p.entity_id for p in (*a.actors, *a.recipients) if p.entity_id}
    ids_b = {p.entity_id for p in (*b.actors, *b.recipients) if p.entity_id}
    return bool(ids_a & ids_b)


def _merge_into(target: _Draft, other: _Draft) -> None:
    for p in other.actors:
        _add(target.actors, p)
    for p in other.recipients:
        _add(target.recipients, p)
    spans = {pp.location.span for pp in target.places}
    target.places.extend(pp for pp in other.places if pp.location.span not in spans)
    target.date = target.date or other.date
    target.quantities.extend(q for q in other.quantities if q not in target.quantities)
    target.killed = target.killed or other.killed
    target.injured = target.injured or other.injured
    target.unstated_survival |= other.unstated_survival
    target.weapons.extend(w for w in other.weapons if w not in target.weapons)
    target.claim = target.claim or other.claim
    target.mode = target.mode or other.mode
    target.triggers.extend(other.triggers)
    target.confidence = max(target.confidence, other.confidence)


def _mergeable(earlier: _Draft, later: _Draft) -> bool:
    if earlier.type != later.type or earlier.background != later.background:
        return False
    gap = later.segment_index - earlier.segment_index
    if gap < 1 or gap > 3:
        return False
    if earlier.date and later.date and earlier.date.value != later.date.value:
        return False
    if later.casualty_only and not later.actors:
        return True
    if earlier.type == "ASSAULT" and earlier.mode and later.mode and earlier.mode != later.mode:
        return False
    if _shares_participant(earlier, later):
        return True
    return gap == 1 and later.anaphoric and (earlier.mode == later.mode or later.mode is None)


def _clause_places(draft: _Draft, ctx: _Context) -> list[syntax.PlacePhrase]:
    """Places said of this event: "in/at/near ..." inside a trigger's phrase or its verb's."""
    allowed: set[int] = set()
    for trig in draft.triggers:
        allowed.update(t.i for t in trig.subtree)
        if trig.pos_ != "VERB" and trig.head.pos_ == "VERB":
            allowed.update(c.i for c in trig.head.children if c.dep_ == "prep")
    phrases = syntax.place_phrases(draft.segment, ctx.body, ctx.entities)
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
    if not out:  # no named place: a site the trigger governs ("killed at the hospital")
        for start, end, name in arguments.site_phrases(draft.triggers, ctx.body, ctx.lex):
            span = body_span(ctx.body, start, end)
            where = EventLocation(entity_id=None, name=name, country=None, geo=None, span=span)
            out.append(syntax.PlacePhrase(location=where, rank=arguments.SITE_RANK))
    return out


def _confidence(draft: _Draft) -> float:
    score = 0.45 + (0.15 if draft.trigger.pos_ == "VERB" else 0.05)
    score += 0.1 if draft.actors else 0.0
    score += 0.05 if draft.recipients else 0.0
    score += 0.05 if draft.date else 0.0
    score += 0.05 if draft.places else 0.0
    score += 0.05 if draft.claim or draft.killed or draft.injured else 0.0
    score -= 0.1 if draft.casualty_only else 0.0
    return round(min(score, 0.95), 2)


def _record(draft: _Draft, ctx: _Context, article_id: str, revision: str) -> EventRecord:
    trig = draft.trigger
    trigger = body_span(ctx.body, trig.idx, trig.idx + len(trig.text))
    particles = [c for c in trig.children if c.dep_ == "prt"]
    if particles:
        last = max(particles, key=lambda t: t.i)
        trigger = body_span(ctx.body, trig.idx, last.idx + len(last.text))
    if (
        draft.killed is not None
        and draft.injured is not None
        and (draft.injured.span.start, draft.injured.span.end) in draft.unstated_survival
        and draft.injured.value <= draft.killed.value
    ):
        draft.injured = None  # "a man was shot ... he died": the one shot is the one killed
    seg = draft.segment
    evidence = body_span(ctx.body, *_outside(seg.start_char, seg.end_char, ctx.envelope))
    places = sorted(draft.places, key=lambda p: p.location.span.start)
    location: EventLocation | None = None
    if places:
        location = min(places, key=lambda p: p.rank).location
    elif ctx.dateline is not None and not draft.background and not _names_place(seg, ctx):
        location = ctx.dateline.model_copy(update={"place_source": "dateline"})
    return EventRecord(
        id=record_id("event", article_id, revision, trigger.start, trigger.end, draft.type),
        article_id=article_id,
        revision=revision,
        type=draft.type,
        mode=draft.mode,
        trigger=trigger,
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


def _outside(start: int, end: int, parts: list[tuple[int, int]]) -> tuple[int, int]:
    """``[start, end)`` without the envelope parts at its ends (blanked text a sentence began
    or ended with)."""
    for s, e in parts:
        if s <= start < e:
            start = e
        if s < end <= e:
            end = s
    return start, max(start, end)


def _names_place(segment: SpacySpan, ctx: _Context) -> bool:
    """Whether a sentence names a place (a LOCATION mention, or a place phrase)."""
    mentions = ctx.entities.mentions_between(segment.start_char, segment.end_char)
    if any(entity.type == "LOCATION" for _, entity in mentions):
        return True
    return bool(syntax.place_phrases(segment, ctx.body, ctx.entities))


def _quote_links(events: list[EventRecord], quotes: list[QuoteRecord]) -> dict[str, list[str]]:
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


def _others(count: Count, body: str) -> bool:
    """ "four others were shot", "three more people": victims besides those already counted."""
    words = body[count.span.start : count.span.end + 24].lower().split()
    return bool({w.strip(",.;") for w in words[:4]} & {"other", "others", "more", "additional"})


def _shot_victims_who_died(drafts: list[_Draft], body: str) -> None:
    """ "A man was shot" says nothing of survival: when the article reports as many or more
    people killed in its current attacks, those shot are taken to be the dead, not injured.
    Injuries stated as such ("wounded", "injuries", "shot but survived") are kept."""
    current = [d for d in drafts if d.type == "ASSAULT" and not d.background]
    killed = max((d.killed.value for d in current if d.killed is not None), default=0)
    for draft in current:
        injured = draft.injured
        if injured is None or (injured.span.start, injured.span.end) not in draft.unstated_survival:
            continue
        if injured.value <= killed:
            draft.injured = None
        elif killed and not _others(injured, body):
            # "three people were shot, one fatally": the dead are among those shot
            draft.injured = injured.model_copy(update={"value": injured.value - killed})
            draft.unstated_survival.discard((injured.span.start, injured.span.end))


def find_events(
    doc: Doc,
    body: str,
    clean: CleanText,
    entities: EntityIndex,
    quotes: list[QuoteRecord],
    article_id: str,
    published_at: datetime | None,
    dateline: EventLocation | None = None,
    *,
    revision: str,
) -> EventsFound:
    """Every event in the article, in text order (see the module docstring for the rules).

    ``revision`` (the article's) is part of each id. ``dateline`` (default None) is the place the
    article was filed from: a current event whose sentence names no place gets it as its
    location, with ``place_source='dateline'``.
    """
    lex = load_lexicon()
    ctx = _Context(
        doc=doc,
        body=body,
        entities=entities,
        quotes=quotes,
        lex=lex,
        published=published_at.date() if published_at is not None else None,
        dates=find_dates(clean.text, published_at),
        dateline=dateline,
        envelope=[(s, e) for _, s, e in clean.envelope.parts] if clean.envelope else [],
    )
    drafts: list[_Draft] = []
    recent_claims: list[Claim] = []
    last_evidence_claim: tuple[int, frozenset[str], Claim] | None = None
    previous_lemmas: frozenset[str] = frozenset()
    for index, segment in enumerate(syntax.segments(doc)):
        claims = _claims_in(segment, ctx, recent_claims)
        lemmas = frozenset(t.lemma_.lower() for t in segment)
        if syntax.is_heading(segment):
            recent_claims.extend(c for _, c in claims)
            continue
        for draft in _drafts_for(index, segment, ctx, lemmas | previous_lemmas):
            _participants(draft, ctx)
            draft.mode = _mode(draft, lex) if draft.type == "ASSAULT" else draft.mode
            draft.places = _clause_places(draft, ctx)
            _date(draft, ctx)
            _timeframe(draft, ctx)
            if draft.type == "ASSAULT":
                _quantities(draft, ctx)
                draft.weapons = _weapons(segment, body, lex)
            draft.claim = _claim_for(draft, claims) or _quote_claim(draft, ctx)
            if draft.claim is None and last_evidence_claim is not None:
                seen_at, evidence_lemmas, claim = last_evidence_claim
                subjects = [t for t in segment if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"]
                if index - seen_at <= 2 and any(
                    s.lemma_.lower() in evidence_lemmas & _EVIDENCE_NOUNS for s in subjects
                ):
                    draft.claim = claim  # "The footage also shows ...": the same claimant
            _not_an_attack(draft, lex)
            if draft.type == "ASSAULT" and not draft.actors and draft.claim and draft.claim.source:
                owners = [
                    t
                    for t in _words_near(draft)
                    if t.dep_ == "poss" and t.lower_ in ("its", "their")
                ]
                if owners:
                    _add(draft.actors, draft.claim.source)
            drafts.append(draft)
        recent_claims.extend(c for _, c in claims)
        previous_lemmas = lemmas
        for _, claim in claims:
            if lemmas & _EVIDENCE_NOUNS:
                last_evidence_claim = (index, lemmas, claim)
    _shot_victims_who_died(drafts, body)
    merged: list[_Draft] = []
    for draft in drafts:
        target = next((m for m in reversed(merged) if _mergeable(m, draft)), None)
        if target is not None:
            _merge_into(target, draft)
        else:
            merged.append(draft)
    events = [_record(d, ctx, article_id, revision) for d in merged]
    events.sort(key=lambda e: (e.trigger.start, e.type))
    return EventsFound(events=events, quote_event_ids=_quote_links(events, quotes))
