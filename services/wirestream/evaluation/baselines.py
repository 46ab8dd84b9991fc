"""Baselines on the same texts: raw spaCy NER for entities, textacy's direct quotations for quotes.

Both run the same spaCy pipeline the extractor loads, on the raw text (no cleaning), in batches of
the extractor's batch size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from wirestream.evaluation.scoring import PredictedQuote

SPACY_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORGANIZATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
}
"""spaCy's OntoNotes labels to ours, as the baseline maps them."""


def spacy_docs(nlp: Language, texts: Iterable[str], batch_size: int = 8) -> Iterator[Doc]:
    return iter(nlp.pipe(texts, batch_size=batch_size))


def spacy_entities(doc: Doc) -> list[tuple[int, int, str]]:
    """spaCy's entities as ``(start, end, type)`` with :data:`SPACY_TYPES` (others dropped)."""
    return [
        (ent.start_char, ent.end_char, SPACY_TYPES[ent.label_])
        for ent in doc.ents
        if ent.label_ in SPACY_TYPES
    ]


def textacy_quotes(doc: Doc) -> tuple[list[PredictedQuote], bool]:
    """textacy's direct quotations as predicted quotes (content span with its quote marks, speaker
    span from its first to last token) and whether textacy gave up: it raises ``ValueError`` on
    an odd number of quote marks, which counts as no prediction for the document."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return [], True
    quotes = []
    for triple in triples:
        content = triple.content
        speaker = triple.speaker
        quotes.append(
            PredictedQuote(
                span=(content.start_char, content.end_char),
                speaker=(speaker[0].idx, speaker[-1].idx + len(speaker[-1])) if speaker else None,
                speaker_name=" ".join(t.text for t in speaker) if speaker else None,
            )
        )
    return quotes, False
