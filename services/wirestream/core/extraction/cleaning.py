"""Cleaning: find what is not the article's text and normalise typography, moving no offset.

``clean(article)`` returns a :class:`CleanText` whose ``text`` has exactly the length of the body:
noise is blanked with spaces (newlines are kept) and typography is normalised one character for one
character (curly quotes to straight, dashes to '-', non-breaking spaces to ' '). Every offset into
``text`` is an offset into the body.

Noise, as :class:`NoiseSpan` records (sorted by offset):

- ``boilerplate``: whole lines of user-interface text ("Oops! Something went wrong. Please try
  again later.", "Advertisement", "Read more: ..."), one span per block (a bullet starts a new
  block). The patterns are data: ``lexicons/cleaning/boilerplate.txt``.
- ``repeated_headline``: a line of the body that repeats the title (typically the first one).
- ``caption``: a photo caption, recognised as a line printed twice in a row (the second copy often
  followed by a credit), or a line that ends in a photo credit (" - Lu Hanxin/Xinhua via AP").
- ``credit``: a photo credit ("Lu Hanxin/Xinhua via AP", "(Photo: Reuters)", "AP Photo/Efrem
  Lukatsky", "REUTERS/Gleb Garanich"), alone on its line, in parentheses, or after a caption.

- the wire **envelope** (dateline, byline, credit trailer, version tags, embargo and advisory
  lines, separators, the "Reuter" sign-off; see :mod:`wirestream.core.extraction.envelope`): found
  after the noise above is blanked, blanked too, and kept in ``CleanText.envelope`` rather than in
  ``noise`` (the article record carries it as ``envelope``). Names in credits and bylines are not
  read back as entities; the dateline's place is resolved separately.

Decision about captions: they are blanked whole, so no quote, event *or entity mention* comes from a
caption (captions repeat what the story says and would double-count mentions). Credits are blanked
too, but the entity layer reads the agencies and photographers named in them back from the body
(``entities.credits``), so Xinhua and AP remain entities with mentions inside the credit span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from wirestream.core.contracts import Article, NoiseSpan
from wirestream.core.extraction.envelope import FoundEnvelope, find_envelope, is_known_place
from wirestream.core.extraction.spans import body_span
from wirestream.core.lexicon import LEXICONS, read_table

BOILERPLATE_FILE = LEXICONS / "cleaning" / "boilerplate.txt"

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u200b": " ",
        "\ufeff": " ",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)

_BULLET = re.compile(r"^[\s•·*▪►●◦‣-]*")
_BULLET_START = re.compile(r"^\s*[•·*▪►●◦‣]")

# Agencies and photo services whose names make a short "A/B" or "via X" line a credit. Kept in the
# regex (not the entity lexicon) so cleaning works without the entity layer.
_AGENCY = (
    r"(?:AP|Associated Press|Reuters|REUTERS|AFP|Agence France-Presse|Getty Images|Getty|EPA|"
    r"EPA-EFE|EFE|Xinhua|XINHUA|Anadolu(?: Agency)?|TASS|Tass|RIA Novosti|Sputnik|Ukrinform|"
    r"Kyodo|Yonhap|Bloomberg|dpa|DPA|ANSA|Shutterstock|Alamy|Pool|POOL|Sipa|SIPA|NurPhoto|"
    r"Imago|IMAGO|ZUMA(?: Press)?|Abaca|ABACA|Euronews|AP Photo|Handout|HANDOUT|UPI|"
    r"Pacific Press|LightRocket|SOPA Images|Bloomberg via Getty Images|Ukrainian Presidential "
    r"Press Office|Presidential Press Service|Kremlin Pool|Sputnik Pool)"
)
_CREDIT_BODY = (
    rf"(?:(?:Photo(?:graph)?|Picture|Image|Credit|Foto)s?\s*(?:by|:)\s*[^\n]{{1,80}}"
    rf"|©\s*[^\n]{{1,80}}"
    rf"|[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){{0,3}}\s*/\s*{_AGENCY}(?:\s+(?:via|for)\s+{_AGENCY})?"
    rf"|{_AGENCY}\s*/\s*[^\n/]{{1,60}}"
    rf"|[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){{0,3}}\s+(?:via|for)\s+{_AGENCY})"
)
_CREDIT_LINE = re.compile(rf"^\s*[-|]?\s*\(?\s*(?P<credit>{_CREDIT_BODY})\s*\)?\s*\.?\s*$")
_CREDIT_TAIL = re.compile(rf"\s[-|]\s+(?P<credit>{_CREDIT_BODY}|{_AGENCY})\s*\.?\s*$")
_CREDIT_PAREN = re.compile(
    rf"\(\s*(?P<credit>(?:Photo(?:graph)?|Picture|Image|Credit)s?\s*(?:by|:)\s*[^()\n]{{1,80}}"
    rf"|{_AGENCY}\s*(?:Photo)?\s*/\s*[^()\n]{{1,60}}|AP Photo[^()\n]{{0,60}})\s*\)"
)
_WORDS = re.compile(r"\w+")


def normalise_typography(text: str) -> str:
    """Curly quotes, dashes and odd spaces to ASCII, one character for one (length unchanged)."""
    return text.translate(_TYPOGRAPHY)


@dataclass(frozen=True)
class CleanText:
    """The body prepared for analysis; same length as the body, so offsets carry over.

    ``noise`` lists the spans set aside (sorted by start); ``text`` has them blanked.
    """

    text: str
    noise: list[NoiseSpan] = field(default_factory=list)
    title: str | None = None
    envelope: FoundEnvelope | None = None
    """The wire envelope (None when the article has none); its parts are blanked in ``text``."""

    def noise_at(self, start: int, end: int) -> NoiseSpan | None:
        """The first noise span overlapping ``[start, end)`` of the body, if any."""
        for noise in self.noise:
            if noise.span.start < end and start < noise.span.end:
                return noise
        return None

    def set_aside(self) -> list[tuple[int, int]]:
        """Every body stretch extraction does not read, noise and envelope, sorted."""
        spans = [(n.span.start, n.span.end) for n in self.noise if n.span.field == "body"]
        if self.envelope is not None:
            spans.extend((s, e) for _, s, e in self.envelope.parts)
        return sorted(spans)

    def spans(self, reason: str) -> list[NoiseSpan]:
        """Noise spans of one ``reason`` ('credit', 'caption', ...)."""
        return [n for n in self.noise if n.reason == reason]


@cache
def boilerplate_pattern(path: Path = BOILERPLATE_FILE) -> re.Pattern[str]:
    """One compiled alternation of the boilerplate lines (loaded once per process)."""
    alternatives = []
    for row in read_table(path, 1):
        try:
            re.compile(row.cells[0])
        except re.error as exc:
            raise row.error(f"bad regular expression {row.cells[0]!r}: {exc}") from exc
        alternatives.append(f"(?:{row.cells[0]})")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    start = 0
    for match in re.finditer("\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def clean(article: Article) -> CleanText:
    """Normalise the body's typography and blank boilerplate, repeated headlines, captions, credits.

    The returned text has the body's length; see the module docstring for what counts as noise.
    """
    body = article.body
    text = normalise_typography(body)
    found: list[tuple[int, int, str]] = []  # (start, end, reason) in the body
    lines = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    title_key = _key(normalise_typography(article.title)) if article.title else ""
    pattern = boilerplate_pattern()
    block_open = False
    previous_end = -2
    for start, end in lines:
        line = text[start:end]
        content = _BULLET.sub("", line).strip()
        contiguous = text[previous_end:start].count("\n") <= 1 if previous_end >= 0 else False
        previous_end = end
        if content and pattern.fullmatch(content):
            if block_open and contiguous and not _BULLET_START.match(line) and found:
                s0, _, reason = found[-1]
                found[-1] = (s0, end, reason)
            else:
                found.append((start, end, "boilerplate"))
            block_open = True
            continue
        block_open = False
        if title_key and len(title_key) > 10 and _key(line) == title_key:
            found.append((start, end, "repeated_headline"))
    found.extend(_captions_and_credits(text, lines))
    found.extend(_parenthetical_credits(text))
    noise = _merge(body, found)
    ranges = [(n.span.start, n.span.end) for n in noise]
    ranges += [(s, e) for s, e, reason in found if reason == "_blank"]
    text = _blank(text, ranges)
    title = normalise_typography(article.title) if article.title else None
    envelope = find_envelope(text, title, is_known_place)
    if envelope is not None:
        text = _blank(text, [(s, e) for _, s, e in envelope.parts])
    return CleanText(text=text, noise=noise, title=article.title, envelope=envelope)


def _blank(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with every range blanked by spaces (newlines kept)."""
    if not ranges:
        return text
    chars = list(text)
    for start, end in ranges:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _captions_and_credits(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    caption_lines: set[int] = set()
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        stripped = line.strip()
        tail = _CREDIT_TAIL.search(line)
        if _CREDIT_LINE.match(line) and len(_WORDS.findall(stripped)) <= 12:
            out.append((start, end, "credit"))
            continue
        if i + 1 < len(lines) and len(_WORDS.findall(stripped)) >= 3:
            n_start, n_end = lines[i + 1]
            following = text[n_start:n_end]
            adjacent = text[end:n_start].count("\n") <= 2
            if adjacent and following.strip().startswith(stripped):
                rest = following.strip()[len(stripped) :]
                rest_tail = _CREDIT_TAIL.search(" " + rest) if rest.strip() else None
                if not rest.strip() or rest_tail:
                    caption_lines.add(i)
                    caption_lines.add(i + 1)
        if tail and len(_WORDS.findall(line[: tail.start()])) >= 2:
            caption_lines.add(i)
    for i in sorted(caption_lines):
        start, end = lines[i]
        line = text[start:end]
        tail = _CREDIT_TAIL.search(line)
        if tail:
            out.append((start, start + tail.start(), "caption"))
            out.append((start + tail.start("credit"), start + tail.end("credit"), "credit"))
            # the separator between caption and credit is blanked with the caption
            out.append((start + tail.start(), start + tail.start("credit"), "_blank"))
        else:
            out.append((start, end, "caption"))
    return out


def _parenthetical_credits(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "credit") for m in _CREDIT_PAREN.finditer(text)]


def _merge(body: str, found: list[tuple[int, int, str]]) -> list[NoiseSpan]:
    """Noise spans sorted by start; overlapping ones keep the earlier (larger) span."""
    spans: list[NoiseSpan] = []
    covered: list[tuple[int, int]] = []
    for start, end, reason in sorted(found, key=lambda f: (f[0], -f[1])):
        if reason == "_blank":  # separators between caption and credit: blanked, not recorded
            continue
        if any(s <= start and end <= e for s, e in covered):
            continue
        span = body_span(body, start, end)
        if span.start >= span.end:
            continue
        covered.append((span.start, span.end))
        spans.append(NoiseSpan(reason=reason, span=span))
    spans.sort(key=lambda n: (n.span.start, n.span.end))
    return spans
