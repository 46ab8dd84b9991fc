"""The envelope lexicons: datelines, agencies, regions, version tags, notices and credit labels.

The files live in ``wirestream/core/extraction/lexicons/envelope/`` (their ``README.md`` says where
each pattern came from). They are read once per process (:func:`load_lexicon` is cached) by the one
lexicon reader, :mod:`wirestream.core.lexicon`, whose rules (comments, columns, case, duplicates)
they follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from wirestream.core.lexicon import LEXICONS, Row, read_table

LEXICON_DIR = LEXICONS / "envelope"
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
    """Lower-cased surface ("ill.", "maine") → country and admin1 code (looked up case-folded;
    the surfaces are ASCII, where the two agree)."""
    tags: tuple[Tag, ...]
    notices: tuple[Notice, ...]
    credit_labels: tuple[tuple[CreditRole, re.Pattern[str]], ...]
    """(role, label pattern), longest label first."""
    contributors: tuple[re.Pattern[str], ...]
    """Whole-line contributor sentences with a group ``names`` (role additional_reporting)."""


def _compile(row: Row, pattern: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise row.error(f"bad regular expression {pattern!r}: {exc}") from exc


def _kind_rows(name: str, allowed: frozenset[str]) -> list[Row]:
    """(kind, regex) rows; the pair is the key, so a kind may have many patterns."""
    rows = read_table(LEXICON_DIR / name, 2, key=2)
    for row in rows:
        if row.cells[0] not in allowed:
            raise row.error(f"expected '{'|'.join(sorted(allowed))}<TAB>regex'")
    return rows


def _agencies() -> dict[str, str]:
    """Surface (case as written) -> canonical name."""
    return {row.cells[0]: row.cells[1] for row in read_table(LEXICON_DIR / "agencies.tsv", 2)}


def _regions() -> dict[str, Region]:
    out: dict[str, Region] = {}
    for row in read_table(LEXICON_DIR / "regions.tsv", 3, lower={0}):
        surface, country, admin1 = row.cells
        if len(country) != 2:
            raise row.error("expected 'surface<TAB>ISO country<TAB>admin1 code'")
        out[surface] = Region(country=country, admin1=admin1)
    return out


def _datelines(agency: str) -> tuple[re.Pattern[str], ...]:
    macros = {**_MACROS, "AGENCY": rf"(?P<agency>{agency}(?:/{agency})*)"}
    out = []
    for row in read_table(LEXICON_DIR / "datelines.txt", 1):
        pattern = row.cells[0]
        for macro, value in macros.items():
            pattern = pattern.replace("{" + macro + "}", value)
        compiled = _compile(row, pattern)
        if not {"place", "sep"} <= set(compiled.groupindex):
            raise row.error("a dateline pattern needs the groups 'place' and 'sep'")
        out.append(compiled)
    return tuple(out)


def _contributors(agency: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for row in read_table(LEXICON_DIR / "contributors.txt", 1):
        compiled = _compile(row, row.cells[0].replace("{AGENCY}", f"(?:{agency})"))
        if "names" not in compiled.groupindex:
            raise row.error("a contributor pattern needs the group 'names'")
        out.append(compiled)
    return tuple(out)


@cache
def load_lexicon() -> EnvelopeLexicon:
    """Read and check every envelope lexicon once per process."""
    agencies = _agencies()
    agency = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True))
    tags = tuple(
        Tag(row.cells[0], _compile(row, rf"(?:{row.cells[1]})(?=\s*[-:])"))  # type: ignore[arg-type]
        for row in _kind_rows("tags.tsv", _TAG_KINDS)
    )
    notices = tuple(
        Notice(row.cells[0], _compile(row, row.cells[1], re.IGNORECASE))  # type: ignore[arg-type]
        for row in _kind_rows("notices.tsv", _NOTICE_KINDS)
    )
    labels = sorted(
        _kind_rows("credits.tsv", _CREDIT_ROLES), key=lambda row: len(row.cells[1]), reverse=True
    )
    credit_labels = tuple(
        (row.cells[0], _compile(row, row.cells[1], re.IGNORECASE)) for row in labels
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
