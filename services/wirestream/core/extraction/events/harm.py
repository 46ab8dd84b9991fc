"""Non-intentional harm: floods, crashes and disease are never an ASSAULT by the phenomenon.

PLOVER's ASSAULT is "deliberate actions which can potentially result in substantial physical
harm". A report whose harm comes from a natural hazard, an accident or a disease becomes a
``DISASTER`` event (a Wirestream type outside PLOVER) with no actor, its ``mode`` the hazard's kind
(``natural``, ``accident``, ``disease``: ``lexicons/events/hazards.tsv``), and the casualty counts,
place and date it would have carried as an ASSAULT.

The cause is read from the trigger's syntax (no window of nearby words):

- the trigger's subject or agent names a hazard: "Floods killed 12", "a landslide buried the
  village", "killed by lightning", "floods that killed 12" (the noun a relative clause hangs on);
- for casualty-only triggers (killed, died, injured, ...), a cause or circumstance preposition
  (in, of, from, during, after, amid) whose object names one: "died in a car crash", "died of
  cholera", "injured in the collapse". "Shot dead during the storm" keeps the shooting: the
  shooting is not casualty-only;
- the trigger noun carries a modifier that makes it an accident or illness
  (``hazard_modifiers.tsv``): "heart attack", "gas explosion", "accidental shooting".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Token

from wirestream.core.extraction.events.lexicon import EventLexicon

_SUBJECTS = frozenset({"nsubj", "csubj"})
_RAISED = frozenset({"conj", "xcomp", "oprd", "acomp", "ccomp"})
"""A trigger in these relations takes its cause from its head's subject: "and killed 12",
"left five people dead"."""


def hazard_kind(noun: Token, lex: EventLexicon) -> str | None:
    """The hazard kind a noun (or its compound: "car crash", "flash flood") names, if any."""
    for word in (noun.lemma_.lower(), noun.lower_):
        kind = lex.hazards.get(word)
        if kind is not None:
            return kind
    return _modifier_kind(noun, lex)  # "died of a heart attack"


def _with_conjuncts(token: Token) -> Iterator[Token]:
    yield token
    for child in token.children:
        if child.dep_ == "conj":
            yield from _with_conjuncts(child)


def _subjects(trig: Token) -> Iterator[Token]:
    for child in trig.children:
        if child.dep_ in _SUBJECTS:
            yield from _with_conjuncts(child)
        elif child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    yield from _with_conjuncts(obj)
    if trig.dep_ == "relcl" or (trig.dep_ == "acl" and trig.tag_ == "VBG"):
        yield trig.head  # "floods that killed 12", "a storm killing 12"
    if trig.dep_ in _RAISED and not any(c.dep_ in _SUBJECTS for c in trig.children):
        yield from _subjects(trig.head)  # "floods swept the town and killed 12", "left 5 dead"


def _circumstances(trig: Token, lex: EventLexicon) -> Iterator[Token]:
    for child in trig.children:
        if child.dep_ == "prep" and child.lower_ in lex.words.cause_prepositions:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    yield from _with_conjuncts(obj)


def _modifier_kind(trig: Token, lex: EventLexicon) -> str | None:
    for child in trig.children:
        if child.dep_ in ("compound", "amod"):
            kind = lex.hazard_modifiers.get((child.lemma_.lower(), trig.lemma_.lower()))
            if kind is not None:
                return kind
    return None


def non_intentional(
    triggers: Sequence[Token], casualty_only: bool, lex: EventLexicon
) -> str | None:
    """The hazard kind when the harm these ASSAULT triggers report is not an attack, else None.

    ``casualty_only`` (the event is known only by killing/injuring words) lets the trigger's cause
    and circumstance phrases decide too (module docstring).
    """
    for trig in triggers:
        kind = _modifier_kind(trig, lex)
        if kind is not None:
            return kind
        for noun in _subjects(trig):
            kind = hazard_kind(noun, lex)
            if kind is not None:
                return kind
        if casualty_only:
            for noun in _circumstances(trig, lex):
                kind = hazard_kind(noun, lex)
                if kind is not None:
                    return kind
    return None
