"""Counts and casualties of an ASSAULT draft: each number's role ("25 of 38 drones shot down",
"at least four civilians killed"), then the killed and injured counts, from numbers or from victim
phrases without a digit ("a man was shot"), and across the article: those shot who died.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from wirestream.core.contracts import Count, Quantity
from wirestream.core.extraction.events import syntax
from wirestream.core.extraction.events.aftermath import (
    deaths_in,
    mentions_death,
    patients_in,
    says_alive,
)
from wirestream.core.extraction.events.context import Draft, EventContext
from wirestream.core.extraction.events.lexicon import EventLexicon, load_lexicon
from wirestream.core.extraction.events.quantities import (
    NumberMention,
    counted_noun,
    find_numbers,
    governing_verb,
    is_projectile,
    role_of,
    whole_of,
)
from wirestream.core.extraction.events.shots import (
    conjoined_kill,
    counts_attackers,
    died_later,
    fatal_adverb,
    has_own_subject,
    is_shot,
    passed_away,
)
from wirestream.core.extraction.events.triggers import irrealis, negated
from wirestream.core.extraction.events.victims import (
    count_victims,
    distinct_victims,
    is_another,
    subject_is_nobody,
    victim_count,
    victims_of,
    wound_victim,
)
from wirestream.core.extraction.spans import body_span


def _counted_text(noun: Token, lex: EventLexicon) -> str:
    names = [
        c.text.strip("'\"")
        for c in noun.lefts
        if c.dep_ in ("compound", "amod", "nmod") and c.text.strip("'\"").lower() in lex.weapons
    ]
    lemma = noun.lemma_.lower() if noun.pos_ == "NOUN" else noun.text
    return " ".join([*names, lemma])


def number_role(
    n: NumberMention, noun: Token | None, seg: SpacySpan, lex: EventLexicon
) -> str | None:
    """The role of a number ("killed", "intercepted", ...), None for a number of people hurt
    that counts no people (times, addresses, shootings) or under a negated or irrealis verb."""
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
        if verb is not None and (
            negated(verb) or denied(verb) or irrealis(verb, lex) or subject_is_nobody(verb)
        ):
            return None
    return role


def denied(verb: Token) -> bool:
    """ "Police did not believe the victim had been shot", "no reports that anyone was hurt": the
    clause a casualty verb heads is the content of a negated verb or of "no" reports."""
    if verb.dep_ not in ("ccomp", "acl"):
        return False
    head = verb.head
    return negated(head) or any(c.dep_ == "det" and c.lower_ == "no" for c in head.children)


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
    if verb is not None and counts_attackers(anchor, verb, lex):
        return None  # "two masked men shot the clerk": the number counts the attackers
    if role is None and verb is not None and is_shot(verb, lex):
        fatal = fatal_adverb(verb, lex, number)
        conj_kill = conjoined_kill(verb, lex)
        head_kill = (
            verb.dep_ == "conj"
            and verb.head.lemma_.lower() in lex.killed_verbs
            and not has_own_subject(verb)
        )
        return "killed" if fatal or conj_kill or head_kill else "injured"
    if role is None and verb is not None and verb.dep_ == "conj":
        # "... and killed two" / "killed four and injured 30": the verb itself decides.
        role = role_of(verb, lex)
    if role == "injured" and verb is not None and fatal_adverb(verb, lex, number):
        role = "killed"  # "fatally wounded two"
    return role


def _survival_unstated(
    n: NumberMention, noun: Token | None, seg: SpacySpan, lex: EventLexicon
) -> bool:
    """True when the number counts people only said to be shot ("three people were shot")."""
    number = seg.doc[n.last]
    anchor = noun if noun is not None and number.dep_ in ("nummod", "quantmod") else number
    verb = governing_verb(anchor)
    return verb is not None and role_of(verb, lex) is None and is_shot(verb, lex)


def add_quantities(draft: Draft, ctx: EventContext) -> None:
    """The draft's quantities, each number with its role, then its casualties."""
    lex, seg = ctx.lex, draft.segment
    numbers = find_numbers(seg, lex)
    roles, nouns = _roles_and_nouns(numbers, seg, lex)
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
            counts = _counted_text(noun, lex)
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
        span = body_span(ctx.body, n.start, n.end)
        if role == "injured" and _survival_unstated(n, noun, seg, lex):
            draft.unstated_survival.add((span.start, span.end))
        draft.quantities.append(
            Quantity(value=n.value, qualifier=n.qualifier, counts=counts, role=role, span=span)
        )
    add_casualties(draft, ctx)


def _roles_and_nouns(
    numbers: list[NumberMention], seg: SpacySpan, lex: EventLexicon
) -> tuple[dict[int, str | None], dict[int, Token | None]]:
    """(first token -> role, first token -> counted noun) of each number; a whole ("38" of "25
    of 38 drones") counts what its part counts, as the total or, for intercepted projectiles, as
    those launched."""
    roles: dict[int, str | None] = {}
    nouns: dict[int, Token | None] = {}
    for n in numbers:
        noun = counted_noun(n, seg, lex)
        nouns[n.first] = noun
        roles[n.first] = number_role(n, noun, seg, lex)
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
    return roles, nouns


def add_casualties(draft: Draft, ctx: EventContext) -> None:
    """The draft's killed and injured counts: the largest counted number of each role, else
    victims named without a digit, of a wound ("a man with a gunshot wound") or of a casualty
    verb ("a man was shot")."""
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
    numbers = find_numbers(draft.segment, ctx.lex)
    _wound_counts(draft, numbers, ctx)
    injured_before = draft.injured
    hurt = _verb_victims(draft, numbers, ctx)
    if injured_before is None and hurt:
        total, first, unstated = distinct_victims(hurt, ctx.lex)
        count = victim_count(first, total, ctx.body)
        draft.injured = count
        if unstated:
            draft.unstated_survival.add((count.span.start, count.span.end))
    elif injured_before is not None:
        # "one man was shot in the arm and another in the chest": "another" adds to the number
        key = (injured_before.span.start, injured_before.span.end)
        extra = [
            (v, u)
            for v, head, u in hurt
            if is_another(head) and syntax.np_bounds(head, with_of=False)[0] != key[0]
        ]
        if extra:
            more = sum(v for v, _ in extra)
            draft.injured = injured_before.model_copy(update={"value": injured_before.value + more})
            if not all(u for _, u in extra):
                draft.unstated_survival.discard(key)


def _wound_counts(draft: Draft, numbers: list[NumberMention], ctx: EventContext) -> None:
    """Killed or injured counts from wound nouns: "two men with gunshot wounds", "died of his
    injuries" (fatal), each only where the draft has no such count yet."""
    lex = ctx.lex
    for noun in draft.segment:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in lex.wound_nouns:
            continue
        victim = wound_victim(noun, lex)
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
            found = count_victims(victim, lex, numbers)
            if found is None:
                continue
            value, qualifier = found[0], "exact"
        start, end = syntax.np_bounds(victim, with_of=False)
        count = Count(
            value=value,
            qualifier=qualifier,
            of=victim.lemma_.lower(),
            span=body_span(ctx.body, start, end),
        )
        if fatal and draft.killed is None:
            draft.killed = count
        elif not fatal and draft.injured is None:
            draft.injured = count  # an injury stated as such
            if _gunshot_wound(noun, lex) and not _second_clause(victim):
                draft.unstated_survival.add((count.span.start, count.span.end))


def _gunshot_wound(noun: Token, lex: EventLexicon) -> bool:
    """ "found with a gunshot wound", "suffering from gunshot wounds": a wound that, like "shot",
    does not say whether its victim lived (unlike "injuries", "wounded", "a non-fatal wound")."""
    if noun.lemma_.lower() not in ("wound", "gunshot"):
        return False
    modifiers = {c.lemma_.lower() for c in noun.subtree if c.i < noun.i}
    if modifiers & lex.words.survived_wound_modifiers:
        return False
    return noun.lemma_.lower() == "gunshot" or bool(modifiers & lex.firearm_nouns)


def _second_clause(victim: Token) -> bool:
    """ "a man was found dead and a woman was found with a gunshot wound": the victim is the
    subject of a clause conjoined to another one with its own subject (someone else)."""
    verb = victim.head
    return (
        victim.dep_ in ("nsubj", "nsubjpass") and verb.dep_ == "conj" and has_own_subject(verb.head)
    )


def _verb_victims(
    draft: Draft, numbers: list[NumberMention], ctx: EventContext
) -> list[tuple[int, Token, bool]]:
    """Victims of casualty verbs without a digit: the first killed sets the killed count (where
    there is none yet); the injured are returned as (value, victim head, survival unstated)."""
    hurt: list[tuple[int, Token, bool]] = []
    for verb in draft.segment:
        found = _verb_casualty(verb, draft, numbers, ctx.lex)
        if found is None:
            continue
        kind, value, head, unstated = found
        if kind == "killed" and draft.killed is None:
            draft.killed = victim_count(head, value, ctx.body)
        elif kind == "injured":
            hurt.append((value, head, unstated))
    return hurt


def _verb_casualty(
    verb: Token, draft: Draft, numbers: list[NumberMention], lex: EventLexicon
) -> tuple[str, int, Token, bool] | None:
    """(killed | injured, how many, victim head, survival unstated) when ``verb`` is a casualty
    verb ("shot", "killed", "died", "dead") whose victims are named without a digit."""
    if verb.pos_ not in ("VERB", "ADJ"):
        return None
    lemma = verb.lemma_.lower()
    shot = verb.pos_ == "VERB" and is_shot(verb, lex)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if lemma in lex.killed_verbs or lemma in lex.injured_verbs or shot:
        deps: tuple[str, ...] = ("nsubjpass",) if passive else ("dobj",)
    elif lemma == "die" or passed_away(verb) or (verb.pos_ == "ADJ" and verb.lower_ == "dead"):
        deps = ("nsubj", "nsubjpass")
    else:
        return None
    if negated(verb) or denied(verb) or irrealis(verb, lex) or subject_is_nobody(verb):
        return None
    victims = victims_of(verb, deps, passive, shot, lex)
    found = count_victims(victims[0], lex, numbers) if victims else None
    if found is None:
        return None
    value, head = found
    unstated = False
    if shot:
        if conjoined_kill(verb, lex):
            return None  # the conjoined "killed" counts the same victims
        kind = "killed" if fatal_adverb(verb, lex) else "injured"
        survived = any(t.lemma_.lower() == "survive" for t in draft.segment)
        unstated = kind == "injured" and not survived
    elif lemma in lex.killed_verbs or lemma == "die" or passed_away(verb) or verb.lower_ == "dead":
        kind = "killed"
    elif fatal_adverb(verb, lex):
        kind = "killed"  # "fatally wounded"
    elif conjoined_kill(verb, lex):
        return None  # "was injured and killed": the same victims, counted by "killed"
    elif died_later(head, lex):
        kind = "killed"  # "wounding Smith, who later died"
    else:
        kind = "injured"
    return kind, value, head, unstated


def counts_others(count: Count, body: str) -> bool:
    """ "four others were shot", "three more people", "another man": victims besides those
    already counted."""
    words = body[count.span.start : count.span.end + 24].lower().split()
    return bool({w.strip(",.;") for w in words[:4]} & OTHERS)


OTHERS = frozenset({"other", "others", "more", "additional", "another", "second"})


def shot_victims_who_died(drafts: list[Draft], body: str) -> None:
    """ "A man was shot" says nothing of survival: when the article reports as many or more
    people killed in its current attacks, those shot are taken to be the dead, not injured.
    Injuries stated as such ("wounded", "injuries", "shot but survived") are kept, and so are
    those shot when another sentence says someone survived ("she is in stable condition",
    "expected to survive": :mod:`.aftermath`). Before that, an article whose current attacks
    count no injured takes them from its hospital and condition reports (:func:`injuries_after`).
    """
    current = [d for d in drafts if d.type == "ASSAULT" and not d.background]
    if not current:
        return
    alive = injuries_after(drafts, body)
    deaths = deaths_in(current[0].segment.doc, load_lexicon())
    killed = max((d.killed.value for d in current if d.killed is not None), default=0)
    killed = max(killed, 1 if deaths.someone else 0)  # "he was pronounced dead": one at least
    for draft in current:
        injured = draft.injured
        if injured is None:
            continue
        key = (injured.span.start, injured.span.end)
        if key not in draft.unstated_survival and not (deaths.of_wounds and not alive):
            continue  # "wounded" says they lived, unless someone "died of his wounds" later
        if counts_others(injured, body):
            continue
        if injured.value <= killed and not alive:
            draft.injured = None
        elif killed:
            # "three people were shot, one fatally": the dead are among those shot; when someone
            # is said to have survived, at least one of those shot is not among the dead
            value = max(injured.value - killed, 1 if alive else 0)
            draft.injured = injured.model_copy(update={"value": value}) if value else None
            draft.unstated_survival.discard(key)
        elif alive:
            draft.unstated_survival.discard(key)


def injuries_after(drafts: list[Draft], body: str) -> bool:
    """Whether the article says someone hurt is alive (:mod:`.aftermath`); and when its current
    harm events count no injured, the largest number of patients one sentence reports ("the victim
    was rushed to the hospital", "a man is in critical condition") becomes the injured count of
    the first of them (survival unstated when they were only taken to a hospital)."""
    current = [d for d in drafts if d.type in ("ASSAULT", "DISASTER") and not d.background]
    if not current:
        return False
    lex = load_lexicon()
    doc = current[0].segment.doc
    segments = syntax.segments(doc)
    patients = [p for s in segments for p in patients_in(s, lex)]
    alive = any(p.alive for p in patients) or any(says_alive(s) for s in segments)
    if any(p.shot_only for p in patients) and mentions_death(doc):
        # "both were found with gunshot wounds" in an article about deaths: maybe the dead
        patients = [p for p in patients if not p.shot_only]
    if not patients:
        return alive
    best = max(patients, key=lambda p: (p.value, p.alive))
    counted = [d for d in current if d.injured is not None]
    most = max((d.injured.value for d in counted if d.injured is not None), default=0)
    if not counted or (best.counted and best.value > most):
        # "both were taken to the hospital": more than any attack sentence counted
        count = victim_count(best.head, best.value, body)
        target = counted[0] if counted else current[0]
        target.injured = count
        if not best.alive:
            target.unstated_survival.add((count.span.start, count.span.end))
    return alive
