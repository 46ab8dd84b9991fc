"""Participants, mode and weapons of a draft: actors (subject, "by" agent, possessor, nationality
adjective), recipients (object, passive subject, "on"/"of" phrase), the mode from cue words and
weapon names near the trigger, and every weapon the segment names."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from wirestream.core.contracts import Participant, Span
from wirestream.core.extraction.events import arguments, syntax
from wirestream.core.extraction.events.context import Draft, EventContext
from wirestream.core.extraction.events.lexicon import EventLexicon, EventWords
from wirestream.core.extraction.spans import body_span

_CONSULT_WITH = frozenset({"CONSULT", "COOPERATE", "AGREE"})
"""Types whose "with" party acts with the subject (a meeting's other side is an actor too)."""


_AGAINST_PREFIXES = frozenset({"anti", "counter"})
"""Prefixes whose hyphenated noun is what an event is against ("anti-Muslim attacks"): no actor."""


def add_participant(parts: list[Participant], new: Participant | None) -> None:
    """Append ``new`` unless it is None or already there (same entity, span, or unlinked name)."""
    if new is None:
        return
    for p in parts:
        if (new.entity_id is not None and p.entity_id == new.entity_id) or p.span == new.span:
            return
        if new.entity_id is None and p.name.lower() == new.name.lower():
            return
    parts.append(new)


def _argument_heads(token: Token, deps: Iterable[str], words: EventWords) -> list[Token]:
    """The children of ``token`` in ``deps`` (with their conjuncts), quantifiers left out."""
    wanted = set(deps)
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in wanted and child.lower_ not in words.non_participants:
            out.extend(syntax.with_conjuncts(child))
    return out


def _prepositional_objects(token: Token, preps: frozenset[str]) -> list[Token]:
    """The objects (with their conjuncts) of ``token``'s prepositions in ``preps``."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.extend(syntax.with_conjuncts(obj))
    return out


def add_participants(draft: Draft, ctx: EventContext) -> None:
    """The draft's actors and recipients, from each of its triggers (the primary one first);
    a recipient that is also an actor is left out. A trigger tagged as a verb but sitting where
    only a noun can (the object of a preposition: "killed in Turkish government airstrikes") is
    read as the noun it is."""
    for trig in [draft.trigger, *[t for t in draft.triggers if t is not draft.trigger]]:
        if trig.pos_ == "VERB" and trig.dep_ != "pobj":
            actors, recipients = _verb_arguments(trig, draft, ctx)
        else:
            actors, recipients = _noun_arguments(trig, draft, ctx)
        _add_actors(draft, actors, ctx)
        _add_recipients(draft, recipients, ctx)
    actor_ids = {p.entity_id for p in draft.actors if p.entity_id}
    draft.recipients = [
        r for r in draft.recipients if r.entity_id is None or r.entity_id not in actor_ids
    ]


def _verb_arguments(
    trig: Token, draft: Draft, ctx: EventContext
) -> tuple[list[Token], list[Token]]:
    """(actor heads, recipient heads) of a verb trigger."""
    words = ctx.lex.words
    actors: list[Token] = []
    recipients: list[Token] = []
    undergoer = arguments.undergoer_trigger(trig, ctx.lex)  # "12 people died": victims
    (recipients if undergoer else actors).extend(_argument_heads(trig, ("nsubj",), words))
    actors += _prepositional_objects(trig, frozenset({"by"}))
    recipients += _argument_heads(trig, ("dobj", "nsubjpass"), words)
    if trig.dep_ in ("acl", "relcl") and trig.tag_ == "VBG":
        actors.append(trig.head)
    if trig.dep_ == "relcl" and any(
        c.lower_ in ("which", "that", "who", "whom") and c.dep_ in ("dobj", "nsubjpass")
        for c in trig.children
    ):
        recipients.append(trig.head)
    elif trig.dep_ == "relcl" and any(
        c.lower_ in words.relative_pronouns and c.dep_ == "nsubj" for c in trig.children
    ):
        (recipients if undergoer else actors).append(trig.head)  # "the man who killed them"
    if not actors and trig.dep_ in ("xcomp", "conj"):
        actors += _argument_heads(trig.head, ("nsubj",), words)
    if not actors and not undergoer:
        actors += arguments.participle_subjects(trig)  # "cleared the site, arresting dozens"
    if draft.type in _CONSULT_WITH:
        actors += _prepositional_objects(trig, frozenset({"with"}))
        actors += [  # "X, right, meets with Y, center, and Z": Z is a party, not a clause
            c for c in trig.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")
        ]
    elif draft.type == "ASSAULT":
        recipients += _prepositional_objects(trig, words.recipient_prepositions)
    return actors, recipients


def _noun_arguments(
    trig: Token, draft: Draft, ctx: EventContext
) -> tuple[list[Token], list[Token]]:
    """(actor heads, recipient heads) of a noun trigger."""
    words = ctx.lex.words
    lemma = trig.lemma_.lower()
    actors: list[Token] = []
    recipients: list[Token] = []
    for child in trig.children:
        if syntax.city_modifier(child, ctx):
            continue  # "the Dallas shooting": the place (records.py), not an actor
        if (
            child.dep_ == "poss"
            and lemma in words.patient_nouns
            and not _prepositional_objects(trig, frozenset({"of"}))
        ):
            recipients.append(child)  # "his arrest" (but "Russia's arrest of X": the actor)
        elif child.dep_ == "poss" or (
            child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE", "ORG")
        ):
            actors.append(child)
        elif child.dep_ == "acl":
            actors += _prepositional_objects(child, frozenset({"by"}))
        elif child.dep_ == "nsubj":
            actors += syntax.with_conjuncts(child)  # "a woman protests": a verb tagged as a noun
    actors += _prepositional_objects(trig, frozenset({"by"}))
    actors += arguments.support_actors(trig, ctx.lex)  # "gunmen launched an attack"
    actors += arguments.participation_actors(trig, draft.type, ctx.lex)  # "spoke at a rally"
    if draft.type not in arguments.PARTICIPATORY:
        actors += arguments.governing_agents(trig)  # "taken into custody by ICE"
    actors += [  # "police shootings"
        a
        for a in arguments.modifier_actors(trig, ctx.lex)
        if not syntax.city_modifier(a, ctx) and not _names_local_place(a, ctx)
    ]
    if draft.type in _CONSULT_WITH:
        actors += _prepositional_objects(trig, frozenset({"with", "between"}))
        recipients += _prepositional_objects(trig, frozenset({"to"}))
    elif draft.type == "ASSAULT":
        actors += _prepositional_objects(trig, frozenset({"between"}))  # "clashes between A and B"
        recipients += _prepositional_objects(trig, words.recipient_prepositions)
        if lemma in words.of_recipient_nouns:
            recipients += _prepositional_objects(trig, frozenset({"of"}))
    if lemma in words.patient_nouns and draft.type not in _CONSULT_WITH:
        recipients += _prepositional_objects(trig, frozenset({"of"}))  # "the arrest of X"
    if (
        trig.dep_ in ("nsubj", "nsubjpass")
        and trig.head.pos_ == "VERB"
        and arguments.acts_on_people(trig.head, ctx.lex)
    ):  # "the attack killed five" (not "the attacks focused attention on ...")
        recipients += _argument_heads(trig.head, ("dobj",), words)
    return actors, recipients


def _names_local_place(modifier: Token, ctx: EventContext) -> bool:
    """Whether a proper-noun modifier of an event noun is (or contains) the name of a place
    smaller than a country, as the article resolves it anywhere ("the *Manchester* suicide
    bombing", "the *Boston* Marathon bombing"): a name of the event or of where it was, not of
    who did it (countries still act: "U.S. airstrikes")."""
    if modifier.pos_ != "PROPN":
        return False
    for token in modifier.subtree:
        if token.pos_ != "PROPN":
            continue
        entity = syntax.entity_at(ctx.entities, token) or ctx.entities.find(token.text)
        if entity is None or entity.type != "LOCATION":
            continue
        if entity.geo is None or entity.geo.feature != "country":
            return True
    return False


def _add_actors(draft: Draft, heads: list[Token], ctx: EventContext) -> None:
    """Add the actors of ``heads``; an anaphoric subject marks the draft as picking up an
    earlier event."""
    trigger_ids = {t.i for t in draft.triggers}
    for head in [syntax.partitive_head(h, ctx.lex.words) for h in heads]:
        if head.dep_ == "nsubj" and (
            head.lower_ in ("it", "they")
            or any(
                c.dep_ == "det" and c.lower_ in ctx.lex.words.anaphoric_determiners
                for c in head.children
            )
        ):
            draft.anaphoric = True  # "the drones were attacking": picks up an earlier event
        words = ctx.lex.words
        if (
            head.ent_type_ in words.non_actor_entities
            or head.lemma_.lower() in words.contact_channels
        ):
            continue  # "in the Rose Garden", "by phone": where or how, not who
        if _no_agent(head, draft, ctx):
            continue
        weapon = head.lemma_.lower() in ctx.lex.mode_cues
        if head.i in trigger_ids or (weapon and head.lemma_.lower() not in ctx.lex.person_nouns):
            continue  # "Russian attacks have killed", "the drones were attacking": no actor
        if (
            head.pos_ == "PRON"
            and head.lower_ in ("it", "its", "they", "their")
            and draft.type == "ASSAULT"
        ):
            continue  # "its artillery": the claimant, resolved with the claim
        add_participant(draft.actors, syntax.participant(head, ctx))


def _no_agent(head: Token, draft: Draft, ctx: EventContext) -> bool:
    """Whether ``head`` cannot have acted: an event noun ("a terror attack killed 18", "Rallies
    in Russia"), a site of an attack (``sites.tsv``: "an attack at the cafe which killed nine";
    a court may still ban, an embassy still call for), the target of an "anti-" prefix
    ("anti-Muslim attacks"), or a word of the same name as the trigger ("the National
    Conference of State Legislatures")."""
    lemma = head.lemma_.lower()
    lex = ctx.lex
    if (
        head.pos_ == "NOUN"
        and (lemma, "NOUN") in lex.triggers
        and lemma not in lex.person_nouns
        and lemma not in lex.actor_nouns
    ):
        return True
    if draft.type == "ASSAULT" and head.pos_ in ("NOUN", "PROPN") and lemma in lex.sites:
        return True  # "an attack at the Rolando cafe": where, not who (a court may ban)
    doc = head.doc
    if (
        head.i >= 2
        and doc[head.i - 1].text == "-"
        and not doc[head.i - 2].whitespace_
        and doc[head.i - 2].lower_ in _AGAINST_PREFIXES
    ):
        return True
    if head.ent_type_:
        for ent in doc.ents:
            if ent.start <= head.i < ent.end:
                return any(ent.start <= t.i < ent.end for t in draft.triggers)
    return False


def _add_recipients(draft: Draft, heads: list[Token], ctx: EventContext) -> None:
    for head in heads:
        lemma = head.lemma_.lower()
        if head.pos_ == "NUM" or (lemma in ctx.lex.mode_cues and lemma not in ctx.lex.person_nouns):
            continue  # "fired rockets": the weapon, not whom it was fired at
        if draft.type in _CONSULT_WITH and syntax.entity_at(ctx.entities, head) is None:
            continue  # "his first visit to the country": only a named host is a recipient
        add_participant(draft.recipients, syntax.participant(head, ctx))


def words_near(draft: Draft) -> list[Token]:
    """The tokens around the draft's triggers: their near subtree, subjects, agents and objects."""
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


def mode_near(draft: Draft, lex: EventLexicon) -> str | None:
    """The draft's mode, else that of the first weapon or mode cue near its triggers."""
    if draft.mode is not None:
        return draft.mode
    for t in words_near(draft):
        mode = lex.weapons.get(t.text.lower()) or lex.mode_cues.get(t.lemma_.lower())
        if mode is not None:
            return mode
    return None


def weapons_in(segment: SpacySpan, body: str, lex: EventLexicon) -> list[Span]:
    """Every weapon name (one or two words) in ``segment``."""
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
