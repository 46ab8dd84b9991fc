"""Who did it and to whom, from the syntax around a trigger (beyond its own dependents).

- **Undergoers**: the subject of a death or injury state ("at least 12 people died", "two were
  wounded", "nearly 3,000 are dead") is a victim, a recipient, never the actor. Lemmas: the
  ``killed_passive_or_state`` and ``injured_state`` lists of ``casualties.json``.
- **Modifiers**: a proper noun or an actor noun (``actor_nouns.tsv``) compounded with an event noun
  acted it ("police shootings", "coalition airstrikes", "IS attacks").
- **Support verbs**: an event noun that is the object of a light verb takes that verb's subject as
  its actor ("gunmen launched an attack", "rebels carried out raids", "troops opened fire"); an
  event noun in "claimed responsibility for the bombing" takes the claimant; the agent of a
  passive light verb acts its subject noun ("the attack was carried out by militants"). Verbs:
  ``support_verbs.tsv`` (kind ``light`` or ``claim``).
- **Participation** (:func:`participation_actors`): who takes part in a meeting or protest noun,
  from the clause it sits in ("Cruz spoke at a rally").
- **Participle adjuncts** (:func:`participle_subjects`) share their clause's subject
  ("officials cleared the site, arresting dozens").
- **Governing agents** (:func:`governing_agents`): the "by" agent of the verb an event noun
  hangs from ("taken into custody by ICE").
"""

from __future__ import annotations

from spacy.tokens import Token

from wirestream.core.extraction.events.lexicon import EventLexicon

_SUBJECTS = ("nsubj",)


def undergoer_trigger(trig: Token, lex: EventLexicon) -> bool:
    """Whether the trigger's subject is its victim ("died", "dead", "wounded")."""
    lemma = trig.lemma_.lower()  # "died", "perished" (not "killed": its lemma is "kill")
    return lemma in lex.killed_words or lemma in lex.injured_words


def _subjects(verb: Token) -> list[Token]:
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    if not out and verb.dep_ in ("xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        return _subjects(verb.head)  # "rebels began to launch attacks", "... and mounted raids"
    return out


def support_actors(trig: Token, lex: EventLexicon) -> list[Token]:
    """Actors of an event noun from the verb that supports it (module rules)."""
    if trig.pos_ != "NOUN":
        return []
    if trig.dep_ == "pobj" and trig.head.lower_ == "of" and trig.head.head.pos_ == "NOUN":
        trig = trig.head.head  # "launched a series of attacks"
    head = trig.head
    if trig.dep_ == "dobj" and lex.support_verbs.get(head.lemma_.lower()) == "light":
        return _subjects(head)
    if trig.dep_ == "nsubjpass" and lex.support_verbs.get(head.lemma_.lower()) == "light":
        return [  # "the attack was carried out by militants", "protests led by students"
            o for a in head.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"
        ]
    if trig.dep_ == "pobj" and head.lower_ == "for":
        noun = head.head
        verb = noun.head
        if noun.dep_ == "dobj" and lex.support_verbs.get(verb.lemma_.lower()) == "claim":
            return _subjects(verb)
    return []


SITE_RANK = 3
"""Rank of a site phrase: after every named place (cities 0, regions 1, countries 2)."""


def site_phrases(triggers: list[Token], body: str, lex: EventLexicon) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of "in/at/near <site>" phrases the triggers themselves govern
    ("killed at the hospital", "protested in the square"), or the copula an event noun is the
    subject of ("the worst explosion *was at* the bus station"), sites from ``sites.tsv``."""
    out: list[tuple[int, int, str]] = []
    for trig in triggers:
        preps = list(trig.children)
        if trig.pos_ == "NOUN" and trig.dep_ == "nsubj" and trig.head.lemma_ == "be":
            preps += trig.head.children  # "the explosion was at the station"
        for prep in preps:
            if prep.dep_ != "prep" or prep.lower_ not in lex.words.site_prepositions:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj" or obj.lemma_.lower() not in lex.sites:
                    continue
                left = obj.left_edge
                while left.i < obj.i and left.dep_ in ("det", "poss", "punct"):
                    left = left.doc[left.i + 1]
                start, end = left.idx, obj.idx + len(obj.text)
                out.append((start, end, body[start:end]))
    return out


def modifier_actors(trig: Token, lex: EventLexicon) -> list[Token]:
    """Compound modifiers of an event noun that name an actor ("police shootings", "coalition
    airstrikes", "IS attacks"): a proper noun, or a noun of ``actor_nouns.tsv``. A trigger tagged
    as a verb in a preposition's object is such a noun ("in Iraqi government airstrikes")."""
    if trig.pos_ != "NOUN" and not (trig.pos_ == "VERB" and trig.dep_ == "pobj"):
        return []
    return [
        c
        for c in trig.children
        if c.dep_ == "compound"
        and (c.pos_ == "PROPN" or c.lemma_.lower() in lex.actor_nouns)
        and c.lemma_.lower() not in lex.mode_cues
    ]


PARTICIPATORY = frozenset({"CONSULT", "PROTEST"})
"""Types whose noun names a gathering that the subject of its clause takes part in."""


def participation_actors(trig: Token, etype: str, lex: EventLexicon) -> list[Token]:
    """Who takes part in a meeting or protest noun: the subject of the clause it is the object
    of ("Trump attends the summit", "they held talks") or that it joins through a participation
    preposition (``participation_prepositions``: "Cruz speaks *at* a rally", "a protester holds
    a flyer *during* a rally"); for a protest also the passive subject ("Navalny was detained
    *at* the protest"). When that clause's verb is itself an attack, arrest or casualty verb
    ("police detained a protester during a rally"), its undergoers took part, not its subject.
    Not through reporting verbs ("X said at a news conference": the claim's source). Only for
    :data:`PARTICIPATORY` types."""
    if trig.pos_ != "NOUN" or etype not in PARTICIPATORY:
        return []
    head = trig.head
    if trig.dep_ == "dobj":
        verb = head
    elif (
        trig.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.lower_ in lex.words.participation_prepositions
    ):
        verb = head.head
    else:
        return []
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in lex.claim_verbs:
        return []
    if acts_on_people(verb, lex):
        undergoers = ("dobj", "nsubjpass") if etype == "PROTEST" else ()
        return [c for c in verb.children if c.dep_ in undergoers]
    out = _subjects(verb)
    if etype == "PROTEST":
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                out.append(child)
                out.extend(c for c in child.children if c.dep_ == "conj")
    return out


def acts_on_people(verb: Token, lex: EventLexicon) -> bool:
    """Whether ``verb`` is an attack or arrest trigger or a casualty verb ("detained", "shot",
    "killed")."""
    lemma = verb.lemma_.lower()
    entry = lex.triggers.get((lemma, "VERB"))
    if entry is not None and entry.type in ("ASSAULT", "COERCE"):
        return True
    return lemma in lex.killed_verbs or lemma in lex.injured_verbs or lemma in lex.shot_verbs


def participle_subjects(trig: Token) -> list[Token]:
    """The subject a participle adjunct shares with its clause ("officials cleared the site,
    *arresting* dozens"; "the group launched attacks, *killing* 130"): the governing verb's."""
    if trig.dep_ != "advcl" or trig.tag_ != "VBG" or trig.head.pos_ not in ("VERB", "AUX"):
        return []
    if any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in trig.children):
        return []  # its own subject, or a subordinate clause ("after attacking")
    return _subjects(trig.head)


def governing_agents(trig: Token) -> list[Token]:
    """The "by" agent of the verb an event noun is a prepositional object of: "taken into
    *custody* by ICE", "killed in an *attack* by militants" (the agent acts the noun's event)."""
    if trig.pos_ != "NOUN" or trig.dep_ != "pobj" or trig.head.dep_ != "prep":
        return []
    verb = trig.head.head
    if verb.pos_ != "VERB":
        return []
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ == "agent":
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out
