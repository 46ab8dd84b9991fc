"""Find quotes in an analysed article (first version: none yet)."""

from __future__ import annotations

from spacy.tokens import Doc

from wirestream.core.contracts import QuoteRecord
from wirestream.core.extraction.cleaning import CleanText
from wirestream.core.extraction.entities import EntityIndex


def find_quotes(
    doc: Doc, body: str, clean: CleanText, entities: EntityIndex, article_id: str
) -> list[QuoteRecord]:
    """Every quote in the article, in text order."""
    return []
