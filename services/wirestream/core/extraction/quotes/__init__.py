"""Quotes: direct, indirect and mixed speech, attributed to resolved speakers."""

from wirestream.core.extraction.quotes.find import find_quotes

__all__ = ["find_quotes"]
