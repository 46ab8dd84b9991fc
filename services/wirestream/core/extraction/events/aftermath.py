"""After a shooting: who was taken to a hospital, who is in what condition, who will survive.

Local reports often say that someone was hurt only in the sentences after the attack ("A man is
in critical condition after a shooting", "Police transported the woman to University Hospital",
"The victim was rushed to the hospital"), and say whether those shot lived only there ("she is
expected to survive"). The attack sentences' drafts do not see these; this module reads them
across the whole article, from the syntax:

- **hospital transport**: a transport verb (``transport_verbs``: taken, rushed, airlifted, sent,
  ...) with a "to" phrase naming a place of care (``care_words``: "the hospital", "Cape Fear
  Valley Medical Center", "a trauma center") says its patient (the passive subject or the
  object) was hurt, not whether they lived; "as a precaution", "for evaluation", "to be
  checked" (``no_injury_reasons``) say nobody was hurt;
- **condition**: "in stable / critical / serious condition" (``conditions``) of a person says they
  were hurt and are alive; "stable", "fair", "good" (``alive_conditions``) and "expected to
  survive", "is recovering" (``survival_verbs``) say they will live;
- **arrival and stay**: "arrived at a hospital" (``arrival_verbs``), "remains at County
  Hospital", "is in the hospital" (``stay_verbs``, alive), "treated for injuries";
- **wounds** outside the attack sentences: "the victim suffered injuries" (alive: an injury said
  as such), "a man arrived with a gunshot wound" (alive unstated);
- a sentence with a word of death (``death_words``: "where he died", "pronounced dead") is no
  evidence: its patient may be one of the dead.

:func:`deaths_in` reads the article's deaths the same way ("was pronounced dead", "the body of a
man", "died of his injuries", "later died"), for deciding whether those shot are the dead
(:func:`~.casualties.shot_victims_who_died`).

The words are ``lexicons/events/aftermath.json`` (origin in its README).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from wirestream.core.extraction.events.lexicon import LEXICON_DIR, EventLexicon
from wirestream.core.extraction.events.quantities import NumberMention, find_numbers, parse_number
from wirestream.core.extraction.events.triggers import irrealis, negated
from wirestream.core.extraction.events.victims import count_victims, is_person, wound_victim
from wirestream.core.lexicon import json_words, read_json

_LISTS = (
    "transport_verbs",
    "arrival_verbs",
    "stay_verbs",
    "care_words",
    "no_injury_reasons",
    "conditions",
    "alive_conditions",
    "survival_verbs",
    "death_words",
)


@dataclass(frozen=True)
class AftermathWords:
    """The word lists of ``aftermath.json`` (module docstring)."""

    transport_verbs: frozenset[str]
    arrival_verbs: frozenset[str]
    stay_verbs: frozenset[str]
    care_words: frozenset[str]
    no_injury_reasons: frozenset[str]
    conditions: frozenset[str]
    alive_conditions: frozenset[str]
    survival_verbs: frozenset[str]
    death_words: frozenset[str]

    @property
    def cues(self) -> frozenset[str]:
        """Lemmas a token must have to be looked at further (a fast first test)."""
        return _cues(self)


@lru_cache(maxsize=4)
def _cues(words: AftermathWords) -> frozenset[str]:
    return (
        words.transport_verbs
        | words.arrival_verbs
        | words.stay_verbs
        | words.survival_verbs
        | {"be", "treat", "condition"}
    )


@lru_cache(maxsize=4)
def load_aftermath(directory: Path = LEXICON_DIR) -> AftermathWords:
    """The lists of ``directory/aftermath.json`` (default the packaged ``lexicons/events``),
    read once per directory."""
    path = directory / "aftermath.json"
    data = read_json(path)
    lists = {key: frozenset(json_words(path, data, key)) for key in _LISTS}
    return AftermathWords(**lists)


@dataclass(frozen=True)
class Patient:
    """``value`` people named by the phrase of ``head`` were hurt; ``alive`` when the text says
    they are alive or will live (a condition, "expected to survive"), not only that they were
    taken to a hospital."""

    value: int
    head: Token
    alive: bool
    counted: bool = False
    """The phrase states its number ("two men", "both", "all five victims")."""
    shot_only: bool = False
    """Known only from a gunshot wound, which like "shot" does not say whether they lived."""


def _subject(verb: Token) -> Token | None:
    """The one a verb is said of: its subject, the noun of a "who" clause, the subject of the
    clause a subjectless conjoined or infinitival verb continues ("was shot and taken to ...")."""
    for _ in range(3):
        found = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if found is not None:
            if found.lower_ in ("who", "that") and verb.dep_ == "relcl":
                return verb.head
            return found
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head is verb:
            return None
        verb = verb.head
    return None


def _care_place(noun: Token, words: AftermathWords) -> bool:
    """ "the hospital", "University Hospital", "a trauma center", "the emergency room"."""
    return noun.lower_ in words.care_words or any(
        c.dep_ in ("compound", "amod") and c.lower_ in words.care_words for c in noun.children
    )


def _no_injury(verb: Token, words: AftermathWords) -> bool:
    """ "as a precaution", "for evaluation", "to be checked out", "for a mental evaluation"."""
    return any(
        t.lemma_.lower() in words.no_injury_reasons
        for c in verb.children
        if c.dep_ in ("prep", "xcomp", "advcl")
        for t in c.subtree
    )


def _to_care(verb: Token, preps: tuple[str, ...], words: AftermathWords) -> bool:
    return any(
        c.dep_ == "prep"
        and c.lower_ in preps
        and any(o.dep_ == "pobj" and _care_place(o, words) for o in c.children)
        for c in verb.children
    )


def _transported(
    verb: Token, words: AftermathWords, lex: EventLexicon
) -> tuple[Token, bool] | None:
    """(patient, alive) of "was taken to the hospital", "police transported the woman to ...",
    "a man arrived at the hospital", "four people walked into the emergency room" (alive
    unstated), "remains at Huntsville Hospital", "is recovering in a hospital" (alive)."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    lemma = verb.lemma_.lower()
    taken = lemma in words.transport_verbs and _to_care(verb, ("to",), words)
    arrived = lemma in words.arrival_verbs and _to_care(verb, ("to", "at", "into", "in"), words)
    stays = (lemma in words.stay_verbs and _to_care(verb, ("in", "at"), words)) or (
        lemma == "be" and _to_care(verb, ("in",), words)  # "is in the hospital", not "at"
    )
    treated = lemma == "treat" and (
        _to_care(verb, ("in", "at"), words)
        or any(
            c.dep_ == "prep"
            and c.lower_ == "for"
            and any(o.lemma_.lower() in lex.wound_nouns for o in c.children)
            for c in verb.children
        )
    )  # "being treated for non-life-threatening injuries", "was treated at a hospital"
    if not (taken or arrived or stays or treated):
        return None
    alive = stays
    if negated(verb) or irrealis(verb, lex) or _no_injury(verb, words):
        return None
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    patient = obj if obj is not None and not passive else _subject(verb)
    return (patient, alive) if patient is not None else None


def _in_condition(noun: Token, words: AftermathWords) -> tuple[Token, bool] | None:
    """(patient, alive) of "in stable condition", "listed in critical but stable condition"."""
    if noun.lemma_.lower() != "condition":
        return None
    grades: set[str] = set()
    prep: Token | None = None
    for t in reversed(noun.doc[max(0, noun.i - 6) : noun.i]):
        if t.lower_ == "in":
            prep = t
            break
        if not (t.is_punct or t.pos_ in ("ADJ", "ADV", "CCONJ")):
            return None
        grades.add(t.lower_)  # "in critical, but stable condition" (however it is parsed)
    if prep is None or not grades & words.conditions:
        return None
    alive = bool(grades & words.alive_conditions)
    holder = prep.head
    if holder.pos_ in ("NOUN", "PROPN", "PRON"):
        return holder, alive  # "a man in critical condition"
    if holder.pos_ not in ("VERB", "AUX") or negated(holder):
        return None
    obj = next((c for c in holder.children if c.dep_ == "dobj"), None)
    patient = obj if obj is not None else _subject(holder)
    return (patient, alive) if patient is not None else None


def _survives(verb: Token, words: AftermathWords, lex: EventLexicon) -> Token | None:
    """The patient of "is expected to survive", "is recovering (from his wounds)"; not "the
    rifles were recovered", "recovering from surgery"."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in words.survival_verbs or negated(verb):
        return None
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return None
    if any(
        c.dep_ == "prep"
        and c.lower_ == "from"
        and not any(o.lemma_.lower() in lex.wound_nouns for o in c.children)
        for c in verb.children
    ):
        return None  # "recovering from surgery", "from a cancer battle"
    return _subject(verb)


def _count(head: Token, numbers: list[NumberMention], lex: EventLexicon) -> tuple[int, bool] | None:
    """(how many people the phrase of ``head`` names, whether it states the number): its number
    ("two men", "two of the victims", "both"), else one for "a man", "the victim", a name or a
    personal pronoun."""
    if head.lower_ == "both" or any(c.dep_ == "det" and c.lower_ == "both" for c in head.children):
        return 2, True  # "both", "both victims"
    if head.pos_ == "NOUN" and head.lemma_.lower() not in lex.person_nouns:
        return None  # "two assault rifles"
    for t in (head, *(c for c in head.children if c.dep_ == "nummod")):
        for n in numbers:
            if n.first <= t.i <= n.last and (t is not head or _of_people(head, lex)):
                return n.value, True
    if not is_person(head, lex) and head.pos_ != "PROPN":
        return None
    found = count_victims(head, lex, numbers)
    if found is not None:
        return found[0], False
    if head.lemma_.lower() in lex.person_nouns and head.tag_ in ("NN", "NNP"):
        return 1, False
    if head.tag_ == "NNS" and head.lemma_.lower() in lex.person_nouns:
        return _earlier_number(head, lex)
    return None


def _earlier_number(head: Token, lex: EventLexicon) -> tuple[int, bool] | None:
    """ "officers found two men ... The men were taken to the hospital": the number the same
    plural noun had before."""
    for t in reversed(head.doc[: head.i]):
        if t.lower_ != head.lower_:
            continue
        for c in t.children:
            if c.dep_ == "nummod":
                value = parse_number([w.text for w in c.subtree], lex)
                if value is not None:
                    return value, True
    return None


def _of_people(head: Token, lex: EventLexicon) -> bool:
    """ "two of the victims", "four of the injured"."""
    return any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(o.lemma_.lower() in lex.person_nouns or o.lower_ == "injured" for o in c.children)
        for c in head.children
    )


def _wounded(noun: Token, lex: EventLexicon) -> tuple[Token, bool] | None:
    """(patient, alive) of a wound noun outside the attack sentences: "the victim suffered
    injuries that were not life-threatening" (alive: an injury said as such), "a man arrived with
    a gunshot wound" (alive unstated, like "shot")."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in lex.wound_nouns:
        return None
    patient = wound_victim(noun, lex)
    if (
        patient is None
        or negated(noun.head)
        or any(c.lower_ in ("no", "any") for c in noun.children)
    ):
        return None  # "did not suffer any serious injuries", "with no injuries"
    return patient, noun.lemma_.lower() == "injury"


_ALIVE_CUES = frozenset({"alive", "life-threatening", "threatening"})


def says_alive(segment: SpacySpan) -> bool:
    """ "still alive", "injuries not considered life-threatening", "non-life-threatening", in a
    segment without a word of death."""
    if not any(t.lower_ in _ALIVE_CUES for t in segment):
        return False
    if _mentions_death(segment, load_aftermath()):
        return False
    for t in segment:
        if t.lower_ == "alive" and not negated(t):
            return True
        if t.lower_ in ("life-threatening", "threatening"):
            before = {w.lower_ for w in segment.doc[max(segment.start, t.i - 5) : t.i]}
            if before & {"non", "not", "non-life"}:
                return True
    return False


def _mentions_death(tokens: Doc | SpacySpan, words: AftermathWords) -> bool:
    return any(
        t.lemma_.lower() in words.death_words or t.lower_ in words.death_words for t in tokens
    )


def mentions_death(doc: Doc) -> bool:
    """Whether the article has a word of death anywhere ("died", "the deaths of")."""
    return _mentions_death(doc, load_aftermath())


def patients_in(segment: SpacySpan, lex: EventLexicon) -> list[Patient]:
    """The people a segment says were hurt and are in care or alive (module docstring)."""
    words = load_aftermath()
    cues, wounds = words.cues, lex.wound_nouns
    candidates = [t for t in segment if t.lemma_ in cues or t.lemma_ in wounds]  # lower-case
    if not candidates or _mentions_death(segment, words):
        return []
    numbers: list[NumberMention] | None = None
    out: list[Patient] = []
    for token in candidates:
        survivor = _survives(token, words, lex)
        found = (
            _transported(token, words, lex)
            or ((survivor, True) if survivor is not None else None)
            or _in_condition(token, words)
            or _wounded(token, lex)
        )
        if found is None:
            continue
        head, alive = found
        shot_only = token.pos_ == "NOUN" and not alive and token.lemma_.lower() in lex.wound_nouns
        if numbers is None:
            numbers = find_numbers(segment, lex)
        counted = _count(head, numbers, lex)
        if counted is not None:
            out.append(Patient(counted[0], head, alive, counted=counted[1], shot_only=shot_only))
    if out and (any(p.alive for p in out) or says_alive(segment)):
        # the segment says they lived: "taken to a hospital, where she is in stable condition"
        out = [Patient(p.value, p.head, True, p.counted) for p in out]
    return out


@dataclass(frozen=True)
class Deaths:
    """What the whole article says of deaths, whatever the attack sentences counted."""

    someone: bool
    """Someone died: "was pronounced dead", "found the body of a man", "charged with murder"."""
    of_wounds: bool
    """Someone died of their wounds or later: "died of his injuries", "she later died"."""


def _death_verb(t: Token, lex: EventLexicon) -> bool:
    lemma = t.lemma_.lower()
    fatal = lemma in lex.fatal_wound_verbs or (
        lemma == "pass" and any(c.lower_ == "away" for c in t.children)
    )
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)  # "waiting to die"
    return t.pos_ == "VERB" and fatal and not infinitive and not negated(t) and not irrealis(t, lex)


def _died_later(t: Token, lex: EventLexicon) -> bool:
    """ "died of his injuries", "succumbed to his wounds", "later died", "died days later"."""
    return any(d.lemma_.lower() in lex.wound_nouns for d in t.subtree) or any(
        c.dep_ == "advmod" and c.lower_ in ("later", "eventually", "subsequently")
        for c in t.children
    )


def _death_word(t: Token, lex: EventLexicon) -> bool:
    """ "found dead", "pronounced deceased", "the body of a man", "charged with murder"."""
    lower, lemma = t.lower_, t.lemma_.lower()
    if lower in ("dead", "deceased") and t.pos_ == "ADJ":
        # not "no one was dead", "I would've been dead"
        return not (
            negated(t.head) or irrealis(t.head, lex) or any(c.dep_ == "neg" for c in t.children)
        )
    if lemma == "body" and t.pos_ == "NOUN":  # "the body of a man", not "their bodies"
        return any(
            c.lower_ == "of" and any(is_person(o, lex) for o in c.children) for c in t.children
        )
    if lemma in ("murder", "homicide") and t.pos_ == "NOUN" and t.dep_ != "compound":
        return not any(c.lemma_.lower() in ("attempt", "attempted") for c in t.children)
    return False


_DEATH_CUES = frozenset({"pass", "dead", "deceased", "body", "murder", "homicide"})
"""Words of :func:`_death_verb` and :func:`_death_word` besides ``fatal_wound_verbs``."""


def deaths_in(doc: Doc, lex: EventLexicon) -> Deaths:
    """Whether the article says someone died, and died of their wounds or later."""
    someone = False
    cues = lex.fatal_wound_verbs | _DEATH_CUES
    for t in doc:
        if t.lemma_ not in cues and t.lower_ not in cues:  # lemmas of these are lower-case
            continue
        if _death_verb(t, lex):
            if _died_later(t, lex):
                return Deaths(someone=True, of_wounds=True)
            someone = True
        elif not someone and _death_word(t, lex):
            someone = True
    return Deaths(someone=someone, of_wounds=False)
