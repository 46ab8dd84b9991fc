"""Find events in an analysed article (first version: none yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from spacy.tokens import Doc

from wirestream.core.contracts import EventRecord, QuoteRecord
from wirestream.core.extraction.cleaning import CleanText
from wirestream.core.extraction.entities import EntityIndex


@dataclass(frozen=True)
class EventsFound:
    events: list[EventRecord]
    quote_event_ids: dict[str, list[str]] = field(default_factory=dict)
    """quote id -> ids of the events that quote comments on."""


def find_events(
    doc: Doc,
    body: str,
    clean: CleanText,
    entities: EntityIndex,
    quotes: list[QuoteRecord],
    article_id: str,
    published_at: datetime | None,
) -> EventsFound:
    """Every event in the article, in text order."""
    return EventsFound(events=[])
