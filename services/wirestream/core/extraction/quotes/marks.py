"""Pairing quote marks: every quoted stretch of the cleaned text, in one pass, never raising.

Cleaning has already turned curly marks into straight ``"`` and ``'`` one for one, so offsets into the
cleaned text are offsets into the body. Rules:

- Paragraphs are lines (wire copy puts one paragraph per line); marks pair within a paragraph.
- A paragraph that opens a double quote and does not close it continues the quote when the next
  paragraph opens with a mark (the newspaper convention); each paragraph's part is its own
  :class:`Quoted` with ``continues`` / ``continued`` set, so a speaker carries over.
- Any other unclosed mark is a stray: its quote runs to the end of the paragraph (``closed`` is
  False) and the rest of the article is read as usual.
- Single marks are quotes only with an opening mark before a word and a closing mark after one;
  apostrophes (``Russia's``, ``let's``, ``'90s``, ``Russians' war``) never open a quote, and single
  marks inside a double-quoted stretch are nested quotes, not quotes of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_OPEN_BEFORE = frozenset(" \t([{-/\u2014\u2013")
_ELISIONS = re.compile(
    r"'(?:\d0s|\d\d\b|em\b|til\b|cause\b|n\b|tis\b|twas\b|bout\b|round\b|cuz\b)", re.I
)
_MAX_SINGLE = 400
"""Longest single-quoted stretch (characters) accepted as a quote."""


@dataclass(frozen=True)
class Quoted:
    """One quoted stretch: ``start``/``end`` bound the content, without the marks."""

    start: int
    end: int
    mark: str
    closed: bool = True
    continues: bool = False
    continued: bool = False

    @property
    def open_at(self) -> int:
        """Offset of the opening mark (``start - 1``)."""
        return self.start - 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every paragraph, in order.

    A paragraph is a non-blank line, unless the text is hard-wrapped (most lines stop mid-sentence,
    as in Reuters-21578 copy): then lines join up to a blank line or an indented line.
    """
    lines = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            lines.append((pos, end))
        pos = end + 1
    if not _hard_wrapped(text, lines):
        return lines
    out: list[tuple[int, int]] = []
    for lo, hi in lines:
        gap = text[out[-1][1] : lo] if out else ""
        if out and gap.count("\n") == 1 and not text[lo].isspace():
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    if len(lines) < 5:
        return False
    open_ends = sum(1 for _, hi in lines if text[hi - 1] not in ".!?:\"'")
    return open_ends * 2 > len(lines) and max(hi - lo for lo, hi in lines) <= 100


def _is_opener(text: str, i: int, lo: int, hi: int) -> bool:
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return (before in _OPEN_BEFORE or before in "\"'") and not after.isspace()


def _is_closer(text: str, i: int, lo: int, hi: int) -> bool:
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _doubles(text: str, paras: list[tuple[int, int]]) -> Iterator[Quoted]:
    carried = False  # the previous paragraph left a quote open and this one may continue it
    for n, (lo, hi) in enumerate(paras):
        marks = [i for i in range(lo, hi) if text[i] == '"']
        open_at: int | None = None
        continued = False
        for i in marks:
            if open_at is None:
                if _is_opener(text, i, lo, hi) or not _is_closer(text, i, lo, hi):
                    open_at = i
                    continued = carried and i == _first_visible(text, lo, hi)
                continue
            if _is_opener(text, i, lo, hi) and not _is_closer(text, i, lo, hi):
                # a new opening before the old one closed: the old one was a stray
                yield Quoted(open_at + 1, i, '"', closed=False, continued=continued)
                open_at, continued = i, False
                continue
            yield Quoted(open_at + 1, i, '"', continued=continued)
            open_at, continued = None, False
        carried = False
        if open_at is not None:
            nxt = paras[n + 1] if n + 1 < len(paras) else None
            continues = nxt is not None and text[_first_visible(text, *nxt)] == '"'
            yield Quoted(
                open_at + 1, hi, '"', closed=continues, continues=continues, continued=continued
            )
            carried = continues


def _first_visible(text: str, lo: int, hi: int) -> int:
    i = lo
    while i < hi - 1 and text[i].isspace():
        i += 1
    return i


def _singles(text: str, lo: int, hi: int, blocked: list[tuple[int, int]]) -> Iterator[Quoted]:
    i = lo
    while i < hi:
        j = text.find("'", i, hi)
        if j < 0:
            return
        i = j + 1
        if any(a <= j < b for a, b in blocked) or not _is_opener(text, j, lo, hi):
            continue
        if not text[j + 1 : j + 2].isalnum() or _ELISIONS.match(text, j):
            continue
        k = j + 1
        while k < min(hi, j + _MAX_SINGLE):
            k = text.find("'", k, min(hi, j + _MAX_SINGLE))
            if k < 0:
                break
            inner = text[k - 1].isalnum() and text[k + 1 : k + 2].isalnum()
            if not inner and _is_closer(text, k, lo, hi) and text[k - 1] != " ":
                yield Quoted(j + 1, k, "'")
                i = k + 1
                break
            k += 1


def find_quoted(text: str) -> list[Quoted]:
    """Every quoted stretch in ``text`` (double and single marks), sorted by offset."""
    paras = paragraphs(text)
    doubles = list(_doubles(text, paras))
    blocked = [(q.start, q.end) for q in doubles]
    singles = [q for lo, hi in paras for q in _singles(text, lo, hi, blocked)]
    return sorted(doubles + singles, key=lambda q: q.start)
