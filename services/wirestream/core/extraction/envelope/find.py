"""Find the wire envelope of an article: offsets only, nothing resolved yet.

``find_envelope(text, title)`` reads the typography-normalised body (``text``, same length as the
body) and the normalised title, and returns a :class:`FoundEnvelope`, or None when the article has
no envelope. It looks in three places only, so the news text in between is never touched:

- the **title**: version tags at its start ("REFILE-UPDATE 2-", "EXCLUSIVE-");
- the **head** of the body, at most ``HEAD_LINES`` (6) non-empty lines: notices (embargo, editor's
  note, "(Adds ...)", AP slugs, separators), a byline ("By Jane Doe and John Roe, Associated
  Press"), version tags, then a dateline at the start of the first other line;
- the **tail**, at most ``TAIL_LINES`` (8) non-empty lines from the end: sign-offs ("Reuter"),
  separators ("___"), credit trailers ("(Reporting by ...; Editing by ...)", "Additional sources •
  AP", "Editor: ...", "Associated Press writer ... contributed to this report."), corrections.

Every pattern is data (``lexicons/envelope/``, see its README). A line is envelope only when a
pattern matches the *whole* line (a Reuters credit trailer may also close the last paragraph), and a
dateline only at the very start of its line, so a body that starts with "WASHINGTON" as a word of
its first sentence keeps it. A dateline with neither date nor agency ("SEOUL - ") needs its place
to be in the gazetteer (``is_place``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wirestream.core.extraction.envelope.lexicon import (
    CreditRole,
    EnvelopeLexicon,
    TagKind,
    load_lexicon,
)

HEAD_LINES = 6
"""How many non-empty lines at the start of the body may hold envelope before the dateline."""
TAIL_LINES = 8
"""How many non-empty lines at the end of the body may hold envelope."""
MAX_BYLINE_CHARS = 120

Interval = tuple[int, int]

_NAME = re.compile(
    r"[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|de|da|di|do|del|der|van|von|al|el|bin|le|la|dos|du)){0,4}"
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_NAME_TAIL = re.compile(r"\s+(?:in|from|at|for)\s+.*$", re.DOTALL)
_BYLINE = re.compile(r"(?i:by)\s+(?P<rest>\S.*)")
_BYLINE_DESC = re.compile(
    r"(?i:writer|correspondent|reporter|editor|journalist|staff|bureau|press|news|agency|"
    r"contributor|analyst|columnist)"
)
_CREDIT_PAREN = re.compile(r"\((?P<inner>[^()\n]{4,600})\)\s*$")
_LABEL_LINE = re.compile(
    r"\[?\s*(?P<label>[A-Za-z][A-Za-z ]{1,40}?)\s*(?:•|:|\|)\s*(?P<names>.+?)\]?"
)
_LINE_END = re.compile(r"\n")


@dataclass(frozen=True)
class FoundCredit:
    role: CreditRole | None
    """None for a byline name."""
    start: int
    end: int


@dataclass(frozen=True)
class FoundTag:
    kind: TagKind
    number: int | None
    start: int
    end: int
    field: str
    """'title' or 'body'."""


@dataclass(frozen=True)
class FoundDateline:
    start: int
    end: int
    place: Interval
    region: Interval | None
    date: Interval | None
    agency: Interval | None


@dataclass
class FoundEnvelope:
    """Offsets into the body (``parts``, credits, dateline) or the title (tags with that field)."""

    parts: list[tuple[str, int, int]] = field(default_factory=list)
    dateline: FoundDateline | None = None
    authors: list[FoundCredit] = field(default_factory=list)
    credits: list[FoundCredit] = field(default_factory=list)
    tags: list[FoundTag] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.parts or self.tags)


def _lines(text: str) -> list[Interval]:
    """(start, end) of every non-empty line, trimmed of white space."""
    out = []
    start = 0
    for m in [*_LINE_END.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        if m is not None:
            start = m.end()
    return out


def find_envelope(
    text: str, title: str | None, is_place: Callable[[str], bool] | None = None
) -> FoundEnvelope | None:
    """The envelope of a body (normalised typography) and title; None when there is none."""
    lex = load_lexicon()
    found = FoundEnvelope()
    if title:
        found.tags.extend(_tags(title, 0, lex, "title"))
    lines = _lines(text)
    first_text = _head(text, lines, lex, found, is_place)
    _tail(text, lines[first_text:], lex, found)
    found.parts.sort(key=lambda p: (p[1], p[2]))
    return found if found else None


# --------------------------------------------------------------------------- head


def _head(
    text: str,
    lines: list[Interval],
    lex: EnvelopeLexicon,
    found: FoundEnvelope,
    is_place: Callable[[str], bool] | None,
) -> int:
    """Read the head into ``found``; the index of the first line that is (or starts) the text."""
    for i, (start, end) in enumerate(lines[:HEAD_LINES]):
        line = text[start:end]
        notice = _notice(line, lex, ("signoff",))
        if notice is not None:
            found.parts.append((notice, start, end))
            continue
        names = _byline(line, start)
        if names is not None:
            found.parts.append(("byline", start, end))
            found.authors.extend(FoundCredit(None, s, e) for s, e in names)
            continue
        tags = _tags(text, start, lex, "body", end)
        if tags:
            tag_end = _tags_end(text, tags[-1].end, end)
            found.tags.extend(tags)
            found.parts.append(("tags", start, tag_end))
            if tag_end >= end:
                continue
            start = tag_end
        dateline = _dateline(text, start, end, lex, is_place)
        if dateline is None and tags:
            continue  # a tagged headline ("EXCLUSIVE-Ministry plans ..."): the dateline may follow
        if dateline is not None:
            found.dateline = dateline
            found.parts.append(("dateline", dateline.start, dateline.end))
        return i + 1 if dateline is not None and dateline.end >= end else i
    return min(len(lines), HEAD_LINES)


def _notice(line: str, lex: EnvelopeLexicon, skip: tuple[str, ...] = ()) -> str | None:
    for notice in lex.notices:
        if notice.kind not in skip and notice.pattern.fullmatch(line):
            return notice.kind
    return None


def _names(text: str, start: int, end: int) -> list[Interval] | None:
    """Name intervals in ``text[start:end]`` ("A, B and C in Kyiv"); None when a part is no name."""
    out: list[Interval] = []
    pos = start
    chunk = text[start:end]
    for part in _NAME_SPLIT.split(chunk):
        at = text.find(part, pos, end) if part else -1
        if at < 0:
            continue
        pos = at + len(part)
        at += len(part) - len(part.lstrip())
        name = _NAME_TAIL.sub("", part.strip()).strip().rstrip(".")
        if not name:
            continue
        if not _NAME.fullmatch(name):
            return None
        out.append((at, at + len(name)))
    return out or None


def _byline(line: str, start: int) -> list[Interval] | None:
    """Author intervals of a byline ("By Jane Doe and John Roe, Associated Press"), else None."""
    m = _BYLINE.fullmatch(line)
    if m is None or len(line) > MAX_BYLINE_CHARS or line.rstrip()[-1:] in ("!", "?"):
        return None
    rest_start = start + m.start("rest")
    rest = m.group("rest")
    cut = len(rest)
    for sep in (",", "|", " - "):
        at = rest.find(sep)
        if at > 0 and _BYLINE_DESC.search(rest[at:]):
            cut = min(cut, at)
    padded = " " * rest_start + rest  # offsets into ``padded`` are offsets into the body
    return _names(padded, rest_start, rest_start + cut)


def _tags(
    text: str, start: int, lex: EnvelopeLexicon, where: str, end: int | None = None
) -> list[FoundTag]:
    """Version tags chained at ``text[start:]`` ("REFILE-UPDATE 2-"); empty when none."""
    stop = len(text) if end is None else end
    out: list[FoundTag] = []
    pos = start
    while pos < stop:
        best: FoundTag | None = None
        for tag in lex.tags:
            m = tag.pattern.match(text, pos, stop)
            if m is None or (best is not None and m.end() <= best.end):
                continue
            number = m.groupdict().get("n")
            best = FoundTag(tag.kind, int(number) if number else None, m.start(), m.end(), where)
        if best is None:
            break
        after = _tags_end(text, best.end, stop)
        if after < stop and text[after].islower():
            break  # "Feature-length", "Update: they ..." is a word, not a tag
        out.append(best)
        pos = after
    return out


def _tags_end(text: str, pos: int, stop: int) -> int:
    """The offset after a tag's separator and white space."""
    while pos < stop and (text[pos] in "-:" or text[pos].isspace()):
        pos += 1
    return pos


def _dateline(
    text: str, start: int, end: int, lex: EnvelopeLexicon, is_place: Callable[[str], bool] | None
) -> FoundDateline | None:
    for pattern in lex.datelines:
        m = pattern.match(text, start, end)
        if m is None:
            continue
        groups = m.groupdict()
        span = {g: m.span(g) for g in ("region", "date", "agency") if groups.get(g)}
        bare = not span.get("date") and not span.get("agency")
        if bare and (is_place is None or not is_place(m.group("place"))):
            continue
        return FoundDateline(
            start=m.start(),
            end=m.end(),
            place=m.span("place"),
            region=span.get("region"),
            date=span.get("date"),
            agency=span.get("agency"),
        )
    return None


# --------------------------------------------------------------------------- tail


def _tail(text: str, lines: list[Interval], lex: EnvelopeLexicon, found: FoundEnvelope) -> None:
    for start, end in reversed(lines[-TAIL_LINES:] if lines else []):
        line = text[start:end]
        notice = _notice(line, lex, ("slug",))
        if notice is not None:
            found.parts.append((notice, start, end))
            continue
        credits = _credit_line(text, start, end, lex)
        if credits is not None:
            found.parts.append(("credits", start, end))
            found.credits[:0] = credits
            continue
        paren = _CREDIT_PAREN.search(line)
        if paren is not None:
            p0 = start + paren.start()
            credits = _credit_list(text, p0 + 1, start + paren.end("inner"), lex)
            if credits:
                found.parts.append(("credits", p0, end))
                found.credits[:0] = credits
        return


def _credit_line(text: str, start: int, end: int, lex: EnvelopeLexicon) -> list[FoundCredit] | None:
    """Credits of a whole line: "(Reporting by ...)", "Editor: ...", an AP contributor line."""
    line = text[start:end]
    if line.startswith("(") and line.endswith(")"):
        return _credit_list(text, start + 1, end - 1, lex) or None
    for pattern in lex.contributors:
        m = pattern.fullmatch(line)
        if m is not None:
            names = _names(text, start + m.start("names"), start + m.end("names"))
            if names:
                return [FoundCredit("additional_reporting", s, e) for s, e in names]
    m = _LABEL_LINE.fullmatch(line)
    if m is not None:
        role = _label_role(m.group("label"), lex)
        if role is not None:
            names = _names(text, start + m.start("names"), start + m.end("names"))
            if names:
                return [FoundCredit(role, s, e) for s, e in names]
    return None


def _label_role(label: str, lex: EnvelopeLexicon) -> CreditRole | None:
    for role, pattern in lex.credit_labels:
        if pattern.fullmatch(label.strip()):
            return role
    return None


def _credit_list(text: str, start: int, end: int, lex: EnvelopeLexicon) -> list[FoundCredit]:
    """ "Reporting by A in X; Writing by B; Editing by C and D" → credits; [] unless every part
    starts with a credit label."""
    out: list[FoundCredit] = []
    pos = start
    for part in text[start:end].split(";"):
        p0 = pos
        pos += len(part) + 1
        lead = len(part) - len(part.lstrip())
        role: CreditRole | None = None
        label_end = 0
        for candidate, pattern in lex.credit_labels:
            m = pattern.match(part, lead)
            if m is not None:
                role, label_end = candidate, m.end()
                break
        if role is None:
            return []
        names = _names(text, p0 + label_end, p0 + len(part))
        if names is None:
            return []
        out.extend(FoundCredit(role, s, e) for s, e in names)
    return out
