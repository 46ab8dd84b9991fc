"""Language of a body when the publisher did not say: English or undetermined.

Extraction runs only on English for now, so the question is binary: a share of very common English
function words above ``ENGLISH_THRESHOLD`` says English.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "he",
        "it",
        "as",
        "at",
        "by",
        "from",
        "his",
        "be",
        "have",
        "has",
        "are",
        "were",
        "said",
        "not",
        "but",
        "an",
        "they",
        "this",
        "which",
        "had",
        "their",
        "or",
        "its",
        "been",
        "who",
        "will",
        "would",
        "after",
        "more",
        "also",
    ]
)
ENGLISH_THRESHOLD = 0.12
"""Share of function words above which a text is taken for English."""


def detect_language(text: str, *, sample_chars: int = 20_000) -> str:
    """'en' when the text reads as English, else 'und' (BCP 47 for undetermined)."""
    words = [w.lower() for w in _WORD.findall(text[:sample_chars])]
    if not words:
        return "und"
    share = sum(w in _ENGLISH for w in words) / len(words)
    return "en" if share >= ENGLISH_THRESHOLD else "und"


def is_english(tag: str) -> bool:
    """True for 'en' and its regional variants ('en-GB')."""
    return tag.lower().split("-")[0] == "en"
