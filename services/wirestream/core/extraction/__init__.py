"""Extraction: plain functions over a loaded spaCy pipeline and an :class:`Article`.

``Extractor`` (in :mod:`.pipeline`) runs the stages in order: cleaning → spaCy → entities →
quotes → events, and builds the records. Nothing here imports faust or Kafka.
"""

from wirestream.core.extraction.pipeline import ArticleResult, Extractor

__all__ = ["ArticleResult", "Extractor"]
