"""Shootings: whether a verb says someone was hit, fatally, and whether its number counts the
attackers ("two masked men shot the clerk") rather than the victims."""

from __future__ import annotations

from spacy.tokens import Token

from wirestream.core.extraction.events import syntax
from wirestream.core.extraction.events.lexicon import EventLexicon


def hit_by_gunfire(verb: Token, lex: EventLexicon) -> bool:
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


def is_shot(verb: Token, lex: EventLexicon) -> bool:
    """A verb that says someone was hit without saying whether they lived: "shot", "grazed",
    "struck in the arm", "hit by a stray bullet"."""
    lemma = verb.lemma_.lower()
    return lemma in lex.shot_verbs or (lemma in lex.hit_verbs and hit_by_gunfire(verb, lex))


def has_own_subject(verb: Token) -> bool:
    """ "... and one of them was killed": a conjoined verb with victims of its own."""
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def conjoined_kill(verb: Token, lex: EventLexicon) -> bool:
    """ "was shot and killed", "shot and killed a man": a conjoined killing verb that shares this
    verb's victims; not "shot his wife and then killed himself" (each verb has its own object)."""
    own = {o.lower_ for o in syntax.objects(verb)}
    return any(
        c.dep_ == "conj"
        and c.lemma_.lower() in lex.killed_verbs
        and not has_own_subject(c)
        and not (own and {o.lower_ for o in syntax.objects(c)} - own)
        for c in verb.children
    )


def passed_away(verb: Token) -> bool:
    """ "passed away": a death, like "died"."""
    return verb.lemma_.lower() == "pass" and any(
        c.dep_ in ("prt", "advmod") and c.lower_ == "away" for c in verb.children
    )


def died_later(victim: Token, lex: EventLexicon) -> bool:
    """ "wounding Smith, who later died": a relative clause on the victim says they died."""
    return any(
        c.dep_ == "relcl"
        and (c.lemma_.lower() in lex.fatal_wound_verbs or c.lemma_.lower() in lex.killed_verbs)
        and not any(g.dep_ == "neg" for g in c.children)
        for c in victim.children
    )


def in_small_clause(verb: Token, lex: EventLexicon) -> bool:
    """ "found two men shot", "left him wounded": the verb's subject is the one it happened to."""
    return (
        verb.dep_ in ("ccomp", "xcomp", "oprd")
        and verb.head.lemma_.lower() in lex.words.small_clause_heads
    )


def fatal_adverb(verb: Token, lex: EventLexicon, own: Token | None = None) -> bool:
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


def counts_attackers(anchor: Token, verb: Token, lex: EventLexicon) -> bool:
    """The active subject of a verb that takes victims as its object is the attacker."""
    if anchor.dep_ != "nsubj" or anchor.head.i != verb.i:
        return False
    if any(c.dep_ == "auxpass" for c in verb.children):
        return False
    aimed = any(
        c.dep_ == "prep" and c.lower_ in ("at", "toward", "towards", "into") for c in verb.children
    )
    conj_objects = any(c.dep_ == "conj" and syntax.objects(c) for c in verb.children)
    if not (syntax.objects(verb) or aimed or conj_objects):
        return False  # "two teens shot outside a home" (a headline): the victims
    lemma = verb.lemma_.lower()
    if not (lemma in lex.killed_verbs or lemma in lex.injured_verbs or is_shot(verb, lex)):
        return False  # "two people died"
    return not in_small_clause(verb, lex)  # "found two men shot": the subject is the victim
