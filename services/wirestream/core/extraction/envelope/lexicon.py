"""The envelope lexicons: datelines, agencies, regions, version tags, notices and credit labels.

The files live in ``wirestream/core/extraction/lexicons/envelope/`` (their ``README.md`` says where
each pattern came from). They are read once per process (:func:`load_lexicon` is cached); a
malformed line raises :class:`~wirestream.errors.LexiconError` naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from wirestream.errors import LexiconError

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "envelope"
"""Where the envelope lexicons are read from (shipped with the package)."""

TagKind = Literal[
    "update",
    "refile",
    "correction",
    "exclusive",
    "repeat",
    "urgent",
    "breaking",
    "flash",
    "wrapup",
    "analysis",
    "factbox",
    "insight",
    "feature",
    "interview",
    "roundup",
    "lead",
    "kill",
]
NoticeKind = Literal["embargo", "advisory", "correction", "slug", "separator", "signoff"]
CreditRole = Literal["reporting", "additional_reporting", "writing", "editing", "sources", "other"]
_TAG_KINDS = frozenset(TagKind.__args__)  # type: ignore[attr-defined]
_NOTICE_KINDS = frozenset(NoticeKind.__args__)  # type: ignore[attr-defined]
_CREDIT_ROLES = frozenset(CreditRole.__args__)  # type: ignore[attr-defined]

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MACROS = {
    # all-caps words ("TBILISI", "NEW YORK", "ST. LOUIS", "RIO DE JANEIRO"), at most four
    "PLACE": r"(?P<place>[A-Z][A-Z.'-]*[A-Z.](?:\s[A-Z][A-Z.'-]*[A-Z.]){0,3})",
    # capitalised words ("Paris", "Hong Kong", "Rio de Janeiro"), at most three
    "TITLE_PLACE": r"(?P<place>[A-Z][a-z][\w.'-]*(?:\s(?:[A-Z][\w.'-]+|de|da|do|del|la|el)){0,2})",
    "REGION": r"(?P<region>[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,2})",
    "DATE": rf"(?P<date>{_MONTH}\s+[0-3]?\d(?!\d)|[0-3]?\d\s+{_MONTH}(?![\w]))",
    "SEP": r"(?P<sep>-{1,2})(?=\s|$)",
}


@dataclass(frozen=True)
class Tag:
    kind: TagKind
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Region:
    country: str
    admin1: str


@dataclass(frozen=True)
class EnvelopeLexicon:
    """Every envelope pattern, compiled."""

    datelines: tuple[re.Pattern[str], ...]
    agencies: dict[str, str]
    """Surface → canonical agency name."""
    agency_pattern: str
    """An alternation of every agency surface, longest first (no group)."""
    regions: dict[str, Region]
    """Case-folded surface ("ill.", "maine") → country and admin1 code."""
    tags: tuple[Tag, ...]
    notices: tuple[Notice, ...]
    credit_labels: tuple[tuple[CreditRole, re.Pattern[str]], ...]
    """(role, label pattern), longest label first."""
    contributors: tuple[re.Pattern[str], ...]
    """Whole-line contributor sentences with a group ``names`` (role additional_reporting)."""


def _lines(name: str) -> list[tuple[int, list[str]]]:
    path = LEXICON_DIR / name
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        msg = f"{path}: cannot read the envelope lexicon ({exc}); reinstall the package"
        raise LexiconError(msg) from exc
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append((number, [part.strip() for part in line.split("\t")]))
    return out


def _fail(name: str, number: int, what: str) -> LexiconError:
    return LexiconError(f"{LEXICON_DIR / name}:{number}: {what}; fix the line")


def _compile(name: str, number: int, pattern: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise _fail(name, number, f"bad regular expression {pattern!r}: {exc}") from exc


def _kind_rows(name: str, allowed: frozenset[str]) -> list[tuple[int, str, str]]:
    rows = []
    for number, parts in _lines(name):
        if len(parts) != 2 or parts[0] not in allowed:
            raise _fail(name, number, f"expected '{'|'.join(sorted(allowed))}<TAB>regex'")
        rows.append((number, parts[0], parts[1]))
    return rows


def _agencies() -> dict[str, str]:
    name = "agencies.tsv"
    out: dict[str, str] = {}
    for number, parts in _lines(name):
        if len(parts) != 2:
            raise _fail(name, number, "expected 'surface<TAB>canonical name'")
        out[parts[0]] = parts[1]
    return out


def _regions() -> dict[str, Region]:
    name = "regions.tsv"
    out: dict[str, Region] = {}
    for number, parts in _lines(name):
        if len(parts) != 3 or len(parts[1]) != 2:
            raise _fail(name, number, "expected 'surface<TAB>ISO country<TAB>admin1 code'")
        out[parts[0].casefold()] = Region(country=parts[1], admin1=parts[2])
    return out


def _datelines(agency: str) -> tuple[re.Pattern[str], ...]:
    name = "datelines.txt"
    macros = {**_MACROS, "AGENCY": rf"(?P<agency>{agency}(?:/{agency})*)"}
    out = []
    for number, parts in _lines(name):
        pattern = parts[0]
        for macro, value in macros.items():
            pattern = pattern.replace("{" + macro + "}", value)
        compiled = _compile(name, number, pattern)
        if not {"place", "sep"} <= set(compiled.groupindex):
            raise _fail(name, number, "a dateline pattern needs the groups 'place' and 'sep'")
        out.append(compiled)
    return tuple(out)


def _contributors(agency: str) -> tuple[re.Pattern[str], ...]:
    name = "contributors.txt"
    out = []
    for number, parts in _lines(name):
        compiled = _compile(name, number, parts[0].replace("{AGENCY}", f"(?:{agency})"))
        if "names" not in compiled.groupindex:
            raise _fail(name, number, "a contributor pattern needs the group 'names'")
        out.append(compiled)
    return tuple(out)


@cache
def load_lexicon() -> EnvelopeLexicon:
    """Read and check every envelope lexicon once per process."""
    agencies = _agencies()
    agency = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True))
    tags = tuple(
        Tag(kind, _compile("tags.tsv", n, rf"(?:{regex})(?=\s*[-:])"))  # type: ignore[arg-type]
        for n, kind, regex in _kind_rows("tags.tsv", _TAG_KINDS)
    )
    notices = tuple(
        Notice(kind, _compile("notices.tsv", n, regex, re.IGNORECASE))  # type: ignore[arg-type]
        for n, kind, regex in _kind_rows("notices.tsv", _NOTICE_KINDS)
    )
    labels = sorted(
        _kind_rows("credits.tsv", _CREDIT_ROLES), key=lambda row: len(row[2]), reverse=True
    )
    credit_labels = tuple(
        (role, _compile("credits.tsv", n, regex, re.IGNORECASE)) for n, role, regex in labels
    )
    return EnvelopeLexicon(
        datelines=_datelines(agency),
        agencies=agencies,
        agency_pattern=agency,
        regions=_regions(),
        tags=tags,
        notices=notices,
        credit_labels=credit_labels,  # type: ignore[arg-type]
        contributors=_contributors(agency),
    )
