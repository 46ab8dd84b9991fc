"""The text of an analysed spaCy ``Doc``, built once per ``Doc``.

spaCy's ``Doc.text`` is not stored: every access joins every token's ``text_with_ws`` (about
0.1 ms for a news article), and the entity and event stages read it several times per article.
:func:`doc_text` builds it on first use and keeps it in ``doc.user_data``; the pipeline, which
holds the very string it gave ``nlp.pipe``, hands it over with :func:`keep_text` so that it is never
rebuilt at all.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "wirestream.doc_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per ``doc`` (kept in ``doc.user_data``)."""
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def keep_text(doc: Doc, text: str) -> Doc:
    """Keep ``text``, the string ``doc`` was made from, as its text (spaCy's tokenizer loses no
    character, so ``doc.text == text``); returns ``doc``."""
    doc.user_data[_KEY] = text
    return doc
