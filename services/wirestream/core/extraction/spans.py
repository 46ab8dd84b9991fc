"""Building :class:`Span` values that always satisfy ``text == body[start:end]``."""

from __future__ import annotations

from wirestream.core.contracts import Span


def body_span(body: str, start: int, end: int) -> Span:
    """A span of the body; ``start``/``end`` are clipped to the body and trimmed of white space."""
    start, end = max(0, start), min(len(body), end)
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=body[start:end])


def title_span(title: str, start: int, end: int) -> Span:
    """A span of the title (``field='title'``)."""
    return Span(start=start, end=end, text=title[start:end], field="title")
