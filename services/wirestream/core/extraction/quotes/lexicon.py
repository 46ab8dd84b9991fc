"""The quote lexicons: reporting verbs, cue nouns, speaker nouns, pronouns, label signals, channels.

The files live in ``wirestream/core/extraction/lexicons/quotes/`` (their ``README.md`` says where each
list came from). They are read once per process (:func:`load_lexicon` is cached); a malformed line
raises :class:`~wirestream.errors.LexiconError` naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from wirestream.errors import LexiconError

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "quotes"
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


def _lines(name: str) -> list[tuple[int, list[str]]]:
    path = LEXICON_DIR / name
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        msg = f"{path}: cannot read the quote lexicon ({exc}); reinstall the package"
        raise LexiconError(msg) from exc
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append((number, [part.strip() for part in line.split("\t")]))
    return out


def _fail(name: str, number: int, what: str) -> LexiconError:
    return LexiconError(f"{LEXICON_DIR / name}:{number}: {what}; fix the line")


def _verbs() -> dict[str, ReportingVerb]:
    name = "reporting_verbs.tsv"
    verbs: dict[str, ReportingVerb] = {}
    for number, parts in _lines(name):
        if len(parts) != 3 or parts[1] not in _SPEECH:
            raise _fail(
                name, number, "expected 'lemma<TAB>direct|indirect|both|quoted<TAB>complements'"
            )
        complements = frozenset(c.strip() for c in parts[2].split(","))
        if not complements <= _COMPLEMENTS:
            raise _fail(name, number, f"complements must be among {sorted(_COMPLEMENTS)}")
        lemma = parts[0].lower()
        if lemma in verbs:
            raise _fail(name, number, f"{lemma!r} is listed twice")
        verbs[lemma] = ReportingVerb(
            lemma=lemma,
            direct=parts[1] != "indirect",
            indirect=parts[1] != "direct",
            complements=complements,  # type: ignore[arg-type]
            needs_quoted=parts[1] == "quoted",
        )
    return verbs


def _kinds(name: str, allowed: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, parts in _lines(name):
        if len(parts) != 2 or parts[1] not in allowed:
            raise _fail(name, number, f"expected 'word<TAB>{'|'.join(sorted(allowed))}'")
        out[parts[0].lower()] = parts[1]
    return out


def _words(name: str, *, lower: bool = True) -> list[str]:
    out = []
    for number, parts in _lines(name):
        if len(parts) != 1:
            raise _fail(name, number, "expected one entry per line")
        out.append(parts[0].lower() if lower else parts[0])
    return out


def _sequences(entries: list[str]) -> tuple[tuple[str, ...], ...]:
    seqs = {tuple(e.split()) for e in entries}
    return tuple(sorted(seqs, key=lambda s: (-len(s), s)))


@cache
def load_lexicon() -> QuoteLexicon:
    """Read and check every quote lexicon once per process."""
    return QuoteLexicon(
        verbs=_verbs(),
        cue_nouns=frozenset(_words("cue_nouns.txt")),
        speaker_nouns=_kinds("speaker_nouns.tsv", _SPEAKER_KINDS),  # type: ignore[arg-type]
        pronouns=_kinds("pronouns.tsv", _PRONOUN_KINDS),  # type: ignore[arg-type]
        label_signals=_sequences(_words("scare_signals.txt")),
        channels=_sequences(_words("platforms.txt", lower=False)),
    )
