"""Cleaning: find what is not the article's text and normalise typography, moving no offset.

``clean(article)`` returns a :class:`CleanText` whose ``text`` has exactly the length of the body:
noise (boilerplate, repeated headlines, captions, credit lines) is blanked with spaces (newlines are
kept) and typography is normalised one character for one character (curly quotes to straight,
dashes to '-', non-breaking spaces to ' '). Every offset into ``text`` is an offset into the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wirestream.core.contracts import Article, NoiseSpan

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
    }
)


def normalise_typography(text: str) -> str:
    """Curly quotes, dashes and odd spaces to ASCII, one character for one (length unchanged)."""
    return text.translate(_TYPOGRAPHY)


@dataclass(frozen=True)
class CleanText:
    """The body prepared for analysis; same length as the body, so offsets carry over."""

    text: str
    noise: list[NoiseSpan] = field(default_factory=list)
    title: str | None = None


def clean(article: Article) -> CleanText:
    """Normalise the body's typography (noise detection is added by the cleaning rules)."""
    return CleanText(text=normalise_typography(article.body), noise=[], title=article.title)
