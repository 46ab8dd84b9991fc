"""Language of a body when the publisher did not say.

Extraction runs only on English for now, so the question is whether to extract. The rule
(``lexicons/language/function_words.tsv``, see its README):

- English function words at least ``THRESHOLD`` (12%) of the words → ``en``;
- another listed language's function words at least ``THRESHOLD`` of the words, more than the
  English ones and at least ``MIN_HITS`` (2) distinct ones → that language (confident; not extracted);
- otherwise, text mostly in Latin script (results tables, standings, fixtures, headlines) →
  ``en``, *assumed* (extracted; the article record says ``language_assumed``);
- no words, or words mostly in another script → ``und`` (undetermined; not extracted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from wirestream.core.lexicon import LEXICONS, read_table
from wirestream.errors import LexiconError

LEXICON = LEXICONS / "language" / "function_words.tsv"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
THRESHOLD = 0.12
"""Share of a language's function words from which a text is taken for that language."""
ENGLISH_THRESHOLD = THRESHOLD
MIN_HITS = 2
"""Distinct function words another language needs before the text is confidently that language
("La Liga ... Las Palmas ... La Coruna" is one French word three times, not French)."""
LATIN_SHARE = 0.5
"""Share of letters in Latin script from which undetermined text is assumed English."""


@dataclass(frozen=True)
class Detection:
    """A detected language tag; ``assumed`` when the text was taken for English by default."""

    tag: str
    assumed: bool = False


@cache
def function_words() -> dict[str, frozenset[str]]:
    """Language tag → its function words, read once per process."""
    out = {row.cells[0]: frozenset(row.cells[1].split()) for row in read_table(LEXICON, 2)}
    if "en" not in out:
        raise LexiconError(f"{LEXICON}: no 'en' row")
    return out


@cache
def _tags_by_word() -> dict[str, tuple[str, ...]]:
    """Function word → the languages listing it (one pass over a text counts every language)."""
    out: dict[str, list[str]] = {}
    for tag, words in function_words().items():
        for word in words:
            out.setdefault(word, []).append(tag)
    return {word: tuple(tags) for word, tags in out.items()}


def _latin(words: list[str]) -> bool:
    letters = sum(len(w) for w in words)
    latin = sum(1 for w in words for ch in w if ch < "\u0250")
    return letters > 0 and latin / letters >= LATIN_SHARE


def detect(text: str, *, sample_chars: int = 20_000) -> Detection:
    """The language of ``text`` by the module's rule (English unless confidently not)."""
    words = [w.lower() for w in _WORD.findall(text[:sample_chars])]
    if not words:
        return Detection("und")
    lists = function_words()
    tags_of = _tags_by_word()
    hits = dict.fromkeys(lists, 0)
    for word in words:
        for tag in tags_of.get(word, ()):
            hits[tag] += 1
    english = hits["en"]
    if english / len(words) >= THRESHOLD:
        return Detection("en")
    tag, best = max(((t, n) for t, n in hits.items() if t != "en"), key=lambda p: p[1])
    distinct = len(lists[tag].intersection(words))
    if distinct >= MIN_HITS and best > english and best / len(words) >= THRESHOLD:
        return Detection(tag)
    if _latin(words):
        return Detection("en", assumed=True)
    return Detection("und")


def detect_language(text: str, *, sample_chars: int = 20_000) -> str:
    """The tag :func:`detect` gives: 'en' (found or assumed), another language's tag, or 'und'."""
    return detect(text, sample_chars=sample_chars).tag


def is_english(tag: str) -> bool:
    """True for 'en' and its regional variants ('en-GB')."""
    return tag.lower().split("-")[0] == "en"
