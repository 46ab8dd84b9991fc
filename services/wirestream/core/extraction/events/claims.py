"""Claims: who says an event happened ("Kyiv said", "according to the army", a quote's speaker),
with the modality of the verb (``claims.tsv``)."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from wirestream.core.contracts import Claim, Participant, Span
from wirestream.core.extraction.events import syntax
from wirestream.core.extraction.events.context import Draft, EventContext
from wirestream.core.extraction.events.lexicon import Modality
from wirestream.core.extraction.spans import body_span


def _claim_source(verb: Token, ctx: EventContext, recent: list[Claim]) -> Participant | None:
    """Who makes the claim: the verb's subject; a pronoun is the latest fitting entity of the
    sentence, else the source of a recent claim."""
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
        return syntax.participant(subj, ctx)
    return syntax.participant(subj, ctx)


def _claim_cue(verb: Token, ctx: EventContext) -> Span:
    """The claim verb, with the channel it names ("said on Telegram")."""
    end = verb.idx + len(verb.text)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "via", "in"):
            objs = [o for o in child.children if o.dep_ == "pobj"]
            if objs and objs[0].lower_ in ctx.lex.words.claim_channels:
                end = max(end, objs[0].idx + len(objs[0].text))
    return body_span(ctx.body, verb.idx, end)


def claims_in(
    segment: SpacySpan, ctx: EventContext, recent: list[Claim]
) -> list[tuple[Token, Claim]]:
    """(claim verb, claim) for every attribution verb in ``segment``."""
    out: list[tuple[Token, Claim]] = []
    for verb in segment:
        if verb.lower_ == "according":
            objs = [o for c in verb.children for o in c.children if o.dep_ == "pobj"]
            source = syntax.participant(objs[0], ctx) if objs else None
            cue = body_span(ctx.body, verb.idx, verb.idx + len(verb.text))
            out.append((verb, Claim(source=source, modality="reported", cue=cue)))
            continue
        if verb.pos_ != "VERB":
            continue
        lemma = verb.lemma_.lower()
        if lemma not in ctx.lex.claim_verbs:
            continue
        modality: Modality = ctx.lex.claim_verbs[lemma]
        comps = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
        if (
            lemma in ("say", "claim")
            and any(c.lemma_.lower() in ctx.lex.words.show_verbs for c in comps)
            and any(t.lemma_.lower() in ctx.lex.words.evidence_nouns for t in segment)
        ):
            modality = "claimed"  # "footage it says shows": the party's own account of its evidence
        if any(c.dep_ == "neg" for c in verb.children) and modality == "confirmed":
            continue
        source = _claim_source(verb, ctx, recent)
        out.append((verb, Claim(source=source, modality=modality, cue=_claim_cue(verb, ctx))))
    return out


def claim_for(draft: Draft, claims: list[tuple[Token, Claim]]) -> Claim | None:
    """The claim whose verb governs the trigger most closely ("according to" last)."""
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


def quote_claim(draft: Draft, ctx: EventContext) -> Claim | None:
    """The speaker of the quote the trigger is in, as a reported claim."""
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
