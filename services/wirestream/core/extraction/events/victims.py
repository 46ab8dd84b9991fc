"""Victims: who a casualty word happened to, and how many people a victim phrase names.

"a man with a gunshot wound", "she suffered injuries", "a man who was shot", "neither ... nor
... were injured"; "a man" is one victim, "a couple" two, "another man" one more.
"""

from __future__ import annotations

from spacy.tokens import Token

from wirestream.core.contracts import Count
from wirestream.core.extraction.events import syntax
from wirestream.core.extraction.events.lexicon import EventLexicon
from wirestream.core.extraction.events.quantities import NumberMention
from wirestream.core.extraction.events.shots import hit_by_gunfire, in_small_clause
from wirestream.core.extraction.spans import body_span


def is_person(head: Token, lex: EventLexicon) -> bool:
    """A person noun, a PERSON entity, a personal pronoun, or a part of people ("one of the
    officers")."""
    return (
        head.lemma_.lower() in lex.person_nouns
        or head.ent_type_ == "PERSON"
        or (head.pos_ == "PRON" and head.lower_ in ("he", "she", "him", "her", "they", "them"))
        or (head.pos_ == "NUM" and _of_people(head, lex))
    )


def _of_people(head: Token, lex: EventLexicon) -> bool:
    return any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(o.dep_ == "pobj" and o.lemma_.lower() in lex.person_nouns for o in c.children)
        for c in head.children
    )


def wound_victim(noun: Token, lex: EventLexicon) -> Token | None:
    """Whose wound it is: "a man with a gunshot wound", "she suffered injuries"."""
    head = noun.head
    for child in noun.children:
        if child.dep_ == "poss" and (is_person(child, lex) or child.lower_ in ("his", "her")):
            return child  # "his injuries were not life-threatening"
    if noun.dep_ == "pobj" and head.lower_ == "with":
        if is_person(head.head, lex):
            return head.head
        if head.head.pos_ == "VERB":
            # "left a man with a gunshot wound", "the victim walked in with two gunshot wounds"
            for dep in ("dobj", "nsubj", "nsubjpass"):
                for child in head.head.children:
                    if child.dep_ == dep and is_person(child, lex):
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
    if verb.dep_ in ("acl", "relcl") and is_person(verb.head, lex):
        return verb.head  # "a man who had suffered critical injuries"
    # only people get gunshot wounds: a name spaCy does not know suffers one too
    gunshot = any(c.lemma_.lower() in lex.firearm_nouns for c in noun.children)
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and (
            is_person(child, lex) or (gunshot and child.pos_ == "PROPN")
        ):
            return child
    if verb.dep_ in ("xcomp", "advcl", "conj"):
        # "appeared to suffer injuries", "arrived at a hospital suffering from a gunshot wound"
        for child in verb.head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and is_person(child, lex):
                return child
    return None


def person_victim(verb: Token, lex: EventLexicon) -> bool:
    """A casualty verb counts when its victims are people (or a number of them)."""
    if verb.pos_ == "NOUN":
        return wound_victim(verb, lex) is not None
    deps = ("dobj", "nsubjpass", "nsubj") if verb.pos_ != "ADJ" else ("nsubj", "nsubjpass")
    heads = [c for c in verb.children if c.dep_ in deps]
    if verb.pos_ == "ADJ" or (not heads and verb.dep_ in ("conj", "xcomp", "oprd", "acomp")):
        heads += [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if verb.dep_ in ("acl", "amod"):
        heads.append(verb.head)  # "soldiers killed in the attack", "the dead migrants"
    if _by_a_person(verb, lex):
        return True  # "Baloch was killed by her brother": only people are killed by people
    for head in heads:
        for h in syntax.with_conjuncts(head):
            if (
                h.lemma_.lower() in lex.person_nouns
                or _armed_group(h, lex)
                or h.ent_type_ in ("PERSON", "NORP")
                or h.pos_ in ("PRON", "NUM")
                or any(c.dep_ == "nummod" for c in h.children)
                or people_quantity(h, lex)
            ):
                return True
    return False


def _armed_group(token: Token, lex: EventLexicon) -> bool:
    """ "security forces", "Iraqi troops": a plural noun of armed people (``actor_nouns.tsv`` or
    "force") whose modifier is an actor too, or a nationality or country (not "market forces")."""
    lemma = token.lemma_.lower()
    return (
        token.tag_ == "NNS"
        and (lemma in lex.actor_nouns or lemma == "force")
        and any(
            c.dep_ in ("amod", "compound")
            and (c.lemma_.lower() in lex.actor_nouns or c.ent_type_ in ("NORP", "GPE"))
            for c in token.children
        )
    )


def _by_a_person(verb: Token, lex: EventLexicon) -> bool:
    """A passive verb whose "by" agent is a person ("killed by his own guard")."""
    return any(
        c.dep_ == "agent" and any(o.dep_ == "pobj" and is_person(o, lex) for o in c.children)
        for c in verb.children
    )


def _quantity_word(token: Token, lex: EventLexicon) -> bool:
    """ "dozens", "hundreds", "thousands", "tens": a number word of ``numbers.json`` as a noun."""
    lemma = token.lemma_.lower()
    word = token.lower_[:-1] if token.lower_.endswith("s") else token.lower_
    return token.pos_ == "NOUN" and any(
        w in lex.units or w in lex.tens or w in lex.multipliers for w in (lemma, word)
    )


def people_quantity(head: Token, lex: EventLexicon) -> bool:
    """ "thousands of civilians", "a number of migrants", "most of the engineers", "dozens",
    "tens of thousands": a part or a number of people, or a bare number noun standing for them
    (only people are counted so: "dozens were killed")."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and (
                    obj.lemma_.lower() in lex.person_nouns
                    or obj.ent_type_ in ("PERSON", "NORP")
                    or _quantity_word(obj, lex)
                ):
                    return True
            return False
    return _quantity_word(head, lex)


def subject_is_nobody(verb: Token) -> bool:
    """ "Neither Melissa nor the children were injured"."""
    return any(
        t.lower_ in ("neither", "nobody")
        or (t.lower_ == "one" and t.i > 0 and t.nbor(-1).lower_ == "no")
        for c in verb.children
        if c.dep_ in ("nsubj", "nsubjpass")
        for t in c.subtree
    )


def count_victims(
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


def victims_of(
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
    if not victims and shot and not passive and not syntax.objects(verb):
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if in_small_clause(verb, lex) or hit_by_gunfire(verb, lex):
            victims = subjects  # "found a man shot in the chest", headline "Man shot in leg"
    return victims


def victim_count(head: Token, value: int, body: str) -> Count:
    """The count of ``value`` victims named by the phrase of ``head``."""
    start, end = syntax.np_bounds(head, with_of=False)
    of = head.lemma_.lower() if head.ent_type_ != "PERSON" else "person"
    return Count(value=value, qualifier="exact", of=of, span=body_span(body, start, end))


def is_another(head: Token) -> bool:
    """ "another", "another man", "a second victim"."""
    return head.lower_ == "another" or any(
        (c.dep_ == "det" and c.lower_ == "another")
        or (c.dep_ == "amod" and c.lower_ in ("second", "third"))
        for c in head.children
    )


def is_new_victim(head: Token, lex: EventLexicon) -> bool:
    """A victim phrase that introduces someone ("a woman", "another man", "one teen", a name)
    rather than picking someone up ("he", "the victim")."""
    if head.lower_ in ("another", "one") or head.ent_type_ == "PERSON":
        return True
    if head.pos_ == "PROPN" and head.ent_type_ == "" and not head.is_sent_start:
        return True  # a name the model did not label
    return any(
        (c.dep_ in ("det", "nummod") and c.lower_ in lex.words.new_victim_determiners)
        or (c.dep_ == "amod" and c.lower_ in ("second", "third", "other"))
        for c in head.children
    )


def distinct_victims(
    hurt: list[tuple[int, Token, bool]], lex: EventLexicon
) -> tuple[int, Token, bool]:
    """Injured victims of one sentence: "one was shot in the arm and another in the chest" is
    two; a pronoun or a definite phrase picks up someone already counted."""
    value, first, unstated = hurt[0]
    seen = {t.i for t in syntax.with_conjuncts(first)}
    names = {first.lower_}
    total = value
    for v, head, u in hurt[1:]:
        if (
            head.i in seen
            or head.lower_ in names
            or not (is_new_victim(head, lex) and is_new_victim(first, lex))
        ):
            continue
        seen.update(t.i for t in syntax.with_conjuncts(head))
        names.add(head.lower_)
        total += v
        unstated = unstated and u
    return total, first, unstated
