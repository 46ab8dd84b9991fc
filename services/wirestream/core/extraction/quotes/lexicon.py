"""The quote lexicons: reporting verbs, cue nouns, speaker nouns, pronouns, label signals, channels.

The files live in ``wirestream/core/extraction/lexicons/quotes/`` (their ``README.md`` says where each
list came from). They are read once per process (:func:`load_lexicon` is cached) by the one lexicon
reader, :mod:`wirestream.core.lexicon`, whose rules (comments, columns, case, duplicates) they follow.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Literal

from wirestream.core.lexicon import LEXICONS, read_lists, read_table, read_words

LEXICON_DIR = LEXICONS / "quotes"
"""Where the quote lexicons are read from (shipped with the package)."""

Speech = Literal["direct", "indirect", "both", "quoted"]
Complement = Literal["ccomp", "xcomp", "dobj"]
SpeakerKind = Literal["person", "organisation", "group"]
PronounKind = Literal["person", "thing", "plural", "first"]

_SPEECH: frozenset[str] = frozenset({"direct", "indirect", "both", "quoted"})
_COMPLEMENTS: frozenset[str] = frozenset({"ccomp", "xcomp", "dobj"})
_SPEAKER_KINDS: frozenset[str] = frozenset({"person", "organisation", "group"})
_PRONOUN_KINDS: frozenset[str] = frozenset({"person", "thing", "plural", "first"})


@dataclass(frozen=True)
class ReportingVerb:
    """A verb that reports speech: whether it frames direct and/or indirect speech, and how."""

    lemma: str
    direct: bool
    indirect: bool
    complements: frozenset[Complement]
    needs_quoted: bool = False
    """Its reported clause is speech only when it carries quoted words (``suggest``, ``believe``)."""


@dataclass(frozen=True)
class QuoteWords:
    """The small word lists of ``words.tsv`` (one field a list, lower-case words)."""

    channel_prepositions: frozenset[str]
    """Prepositions before a channel ("said on Telegram")."""
    subject_pronouns: frozenset[str]
    """Pronoun subjects of a cue ("he said")."""
    dangling_conjunctions: frozenset[str]
    """Conjunctions left dangling at a cut quote's end."""
    question_words: frozenset[str]
    """Words that open an embedded question ("asked whether"): no statement."""
    determiners: frozenset[str]
    """Determiners stripped from a speaker phrase."""
    indefinite_determiners: frozenset[str]
    """Determiners of an unnamed speaker ("a man")."""


@dataclass(frozen=True)
class QuoteLexicon:
    """Every list the quote finder reads, lower-cased (channels keep their case)."""

    verbs: dict[str, ReportingVerb]
    cue_nouns: frozenset[str]
    speaker_nouns: dict[str, SpeakerKind]
    pronouns: dict[str, PronounKind]
    label_signals: tuple[tuple[str, ...], ...]
    """Word sequences ("so-called", "such as") that mark a following quoted phrase as a label."""
    channels: tuple[tuple[str, ...], ...]
    """Channel names as word sequences ("Telegram", "social media"), longest first."""
    words: QuoteWords
    """The small word lists of ``words.tsv``."""


def _verbs() -> dict[str, ReportingVerb]:
    verbs: dict[str, ReportingVerb] = {}
    for row in read_table(LEXICON_DIR / "reporting_verbs.tsv", 3, lower={0}):
        lemma, speech, complement_list = row.cells
        if speech not in _SPEECH:
            raise row.error("expected 'lemma<TAB>direct|indirect|both|quoted<TAB>complements'")
        complements = frozenset(c.strip() for c in complement_list.split(","))
        if not complements <= _COMPLEMENTS:
            raise row.error(f"complements must be among {sorted(_COMPLEMENTS)}")
        verbs[lemma] = ReportingVerb(
            lemma=lemma,
            direct=speech != "indirect",
            indirect=speech != "direct",
            complements=complements,  # type: ignore[arg-type]
            needs_quoted=speech == "quoted",
        )
    return verbs


def _kinds(name: str, allowed: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in read_table(LEXICON_DIR / name, 2, lower={0}):
        if row.cells[1] not in allowed:
            raise row.error(f"expected 'word<TAB>{'|'.join(sorted(allowed))}'")
        out[row.cells[0]] = row.cells[1]
    return out


def _sequences(entries: list[str]) -> tuple[tuple[str, ...], ...]:
    seqs = {tuple(e.split()) for e in entries}
    return tuple(sorted(seqs, key=lambda s: (-len(s), s)))


@cache
def load_lexicon() -> QuoteLexicon:
    """Read and check every quote lexicon once per process."""
    return QuoteLexicon(
        verbs=_verbs(),
        cue_nouns=frozenset(read_words(LEXICON_DIR / "cue_nouns.txt", lower=True)),
        speaker_nouns=_kinds("speaker_nouns.tsv", _SPEAKER_KINDS),  # type: ignore[arg-type]
        pronouns=_kinds("pronouns.tsv", _PRONOUN_KINDS),  # type: ignore[arg-type]
        label_signals=_sequences(read_words(LEXICON_DIR / "scare_signals.txt", lower=True)),
        channels=_sequences(read_words(LEXICON_DIR / "platforms.txt")),
        words=QuoteWords(
            **read_lists(LEXICON_DIR / "words.tsv", [f.name for f in fields(QuoteWords)])
        ),
    )
