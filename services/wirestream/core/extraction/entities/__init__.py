"""Entity resolution on top of spaCy's NER: one entity per real-world thing per article."""

from wirestream.core.extraction.entities.index import EntityIndex
from wirestream.core.extraction.entities.resolve import resolve_entities

__all__ = ["EntityIndex", "resolve_entities"]
