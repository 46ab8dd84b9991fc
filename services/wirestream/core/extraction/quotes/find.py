"""Find quotes in an analysed article: direct, indirect and mixed speech with resolved speakers.

One linear pass over the quote marks and one over the tokens, on the parse spaCy already made:

1. **Marks** (:mod:`.marks`): every quoted stretch; unbalanced marks never raise.
2. **Not speech**: stretches in headline-like paragraphs (the title, sub-heads: short lines without
   closing punctuation), stretches right after a label signal ("so-called", "dubbed", "such as") and
   short fragments inside a sentence with no reporting verb attached (scare quotes, labels).
3. **Direct**: a quoted stretch that stands as a sentence, or follows a cue and a comma or colon; the
   cue is the reporting verb right after it (``"…," he said``) or before it (``saying, "…"``), and in
   the middle pattern (``"…," he said, "…"``) both parts share it. A quote with no cue of its own
   (a paragraph that is only a quote, a continued paragraph) takes the previous speaker, without a
   speaker span.
4. **Indirect and mixed**: a reporting verb (``lexicons/quotes/reporting_verbs.tsv``) with a clause
   complement ("said (that) …"), a claim-like noun with a that-clause ("made claims that …"), the
   stance a verb restates ("restated Ukraine's position that …") or "according to X". The content is
   *mixed* when it carries at least three quoted words (``MIXED_MIN_QUOTED_WORDS``), else *indirect*.
5. **Speakers** (:mod:`.speakers`), resolved in text order so "he added" finds the previous speaker.

There are no settings and no environment variables: the thresholds are module constants of
:mod:`.finder` (``MIXED_MIN_QUOTED_WORDS`` 3, ``MIN_DIRECT_WORDS`` 4, ``HEADLINE_MAX_WORDS`` 20) and
the lexicons ship with the package (``lexicons/quotes/``, read once per process).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from wirestream.core.contracts import Cue, QuoteRecord, Span, Speaker
from wirestream.core.extraction.cleaning import CleanText
from wirestream.core.extraction.entities import EntityIndex
from wirestream.core.extraction.quotes.finder import MIXED_MIN_QUOTED_WORDS, Candidate, Finder
from wirestream.core.extraction.quotes.speakers import Resolved, SpeakerResolver
from wirestream.core.extraction.spans import body_span
from wirestream.core.ids import record_id


def _overlap(a: Candidate, b: Candidate) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def find_quotes(
    doc: Doc, body: str, clean: CleanText, entities: EntityIndex, article_id: str, *, revision: str
) -> list[QuoteRecord]:
    """Every quote in the article, in text order; ``revision`` (the article's) is part of each id.

    Never raises on odd quote marks: a stray mark's quote runs to the end of its paragraph.
    """
    finder = Finder(doc, body, clean, entities)
    direct = finder.direct()
    reported = []
    for cand in finder.indirect():
        if any(_overlap(cand, d) > 0 for d in direct):
            continue
        finder.cover_quoted(cand)
        finder.end_before_attribution(cand)
        if finder.quoted_words(cand.start, cand.end) >= MIXED_MIN_QUOTED_WORDS:
            cand.type = "mixed"
        elif cand.cue is not None and finder.needs_quoted(cand.cue[2]):
            continue  # "the data suggest that ...": an inference, not speech
        reported.append(cand)
    candidates = _drop_nested(direct + reported, finder)
    candidates += finder.fragments(candidates)
    candidates.sort(key=lambda c: (c.order, c.start))
    _resolve(candidates, SpeakerResolver(doc, body, entities, finder.lex))
    candidates.sort(key=lambda c: (c.start, c.end))
    return [
        _record(c, body, article_id, revision)
        for c in candidates
        if (c.speaker is not None or c.type == "direct")  # reported speech of nobody is narration
        and finder.words(c.start, c.end) > 0
    ]


def _drop_nested(cands: list[Candidate], finder: Finder) -> list[Candidate]:
    """Reported speech inside other reported speech: split the outer one where the inner speech act
    starts ("announced that ..., saying ..."), or drop the inner one when too little is left."""
    cands = sorted(cands, key=lambda c: (c.start, -c.end))
    out: list[Candidate] = []
    for cand in cands:
        outer = next((o for o in out if o.start <= cand.start and cand.end <= o.end), None)
        if outer is None:
            out.append(cand)
            continue
        if outer.type == "direct" or not outer.start < cand.act < outer.end:
            continue
        start, end = finder.trim(outer.start, cand.act)
        if finder.words(start, end) < 3:
            continue
        outer.end = end
        if finder.quoted_words(outer.start, outer.end) < MIXED_MIN_QUOTED_WORDS:
            outer.type = "indirect"
        out.append(cand)
    return out


def _unwritten(resolved: Resolved | None) -> Resolved | None:
    """The same speaker, not written at this quote (no span)."""
    if resolved is None:
        return None
    return replace(resolved, speaker=resolved.speaker.model_copy(update={"span": None}))


def _resolve(cands: list[Candidate], resolver: SpeakerResolver) -> None:
    by_chain: dict[int, Candidate] = {}
    for cand in cands:
        if cand.chain is not None and cand.chain in by_chain and cand.cue is None:
            source = by_chain[cand.chain]
            cand.cue, cand.floating = source.cue, True
            cand.speaker = _unwritten(source.speaker)
        elif cand.subject is not None:
            cand.speaker = resolver.resolve(cand.subject)
            resolver.remember(cand.speaker)
        elif cand.floating:
            cand.speaker = _unwritten(resolver.last)  # a quote standing alone: the last speaker
        if cand.chain is not None and cand.cue is not None:
            by_chain.setdefault(cand.chain, cand)
    # a continued quote whose cue comes in a later part: give earlier parts that speaker
    for cand in cands:
        if cand.chain is not None and cand.cue is None and cand.chain in by_chain:
            source = by_chain[cand.chain]
            cand.cue = source.cue
            cand.speaker = _unwritten(source.speaker) or cand.speaker


def _confidence(cand: Candidate) -> float:
    base = {"direct": 0.9, "mixed": 0.8, "indirect": 0.7}[cand.type]
    if cand.speaker is None:
        base -= 0.3
    elif cand.floating:
        base -= 0.2
    elif cand.speaker.speaker.entity_id is None:
        base -= 0.1
    if not cand.closed:
        base -= 0.2
    return round(max(0.05, min(1.0, base)), 2)


def _record(cand: Candidate, body: str, article_id: str, revision: str) -> QuoteRecord:
    span: Span = body_span(body, cand.start, cand.end)
    cue = None
    if cand.cue is not None:
        c_start, c_end, lemma = cand.cue
        c_span = body_span(body, c_start, c_end)
        cue = Cue(text=c_span.text, lemma=lemma, span=c_span)
    speaker: Speaker | None = cand.speaker.speaker if cand.speaker is not None else None
    return QuoteRecord(
        id=record_id("quote", article_id, revision, span.start, span.end),
        article_id=article_id,
        revision=revision,
        text=span.text,
        span=span,
        type=cand.type,
        speaker=speaker,
        cue=cue,
        confidence=_confidence(cand),
    )
