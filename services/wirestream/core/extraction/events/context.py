"""What the event stage's steps share: the article as one frozen :class:`EventContext`, the
:class:`Draft` of an event that the steps fill in, and the result, :class:`EventsFound`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from wirestream.core.contracts import (
    Claim,
    Count,
    EventDate,
    EventLocation,
    EventRecord,
    Participant,
    Quantity,
    QuoteRecord,
    Span,
)
from wirestream.core.extraction.entities import EntityIndex
from wirestream.core.extraction.events.dates import DateMention
from wirestream.core.extraction.events.lexicon import EventLexicon
from wirestream_contracts.records import EventType


@dataclass(frozen=True)
class EventsFound:
    events: list[EventRecord]
    quote_event_ids: dict[str, list[str]] = field(default_factory=dict)
    """quote id -> ids of the events that quote comments on."""


@dataclass(frozen=True)
class EventContext:
    """One analysed article as every step of the event stage reads it (built once per article by
    :func:`~wirestream.core.extraction.events.find_events`)."""

    doc: Doc
    body: str
    article_id: str
    revision: str
    entities: EntityIndex
    quotes: list[QuoteRecord]
    lex: EventLexicon
    published: date | None
    """The publication date: the reference for relative dates and for background events."""
    dates: list[DateMention]
    dateline: EventLocation | None = None
    """The place the article was filed from (default None): the place of a current event whose
    sentence names none."""
    envelope: tuple[tuple[int, int], ...] = ()
    """(start, end) of the wire envelope's parts in the body (default none)."""


@dataclass(frozen=True)
class PlacePhrase:
    """A place the text names around an event, with the text's own wording and a rank.

    ``rank``: 0 a city or smaller place, 1 a region (or a phrase that narrows a place down),
    2 a country; lower is more specific.
    """

    location: EventLocation
    rank: int


@dataclass
class Draft:
    """An event as the steps find it: one per type per segment, merged across segments later."""

    type: EventType
    mode: str | None
    trigger: Token
    triggers: list[Token]
    segment_index: int
    segment: SpacySpan
    casualty_only: bool
    actors: list[Participant] = field(default_factory=list)
    recipients: list[Participant] = field(default_factory=list)
    places: list[PlacePhrase] = field(default_factory=list)
    date: EventDate | None = None
    quantities: list[Quantity] = field(default_factory=list)
    killed: Count | None = None
    injured: Count | None = None
    weapons: list[Span] = field(default_factory=list)
    claim: Claim | None = None
    background: bool = False
    anaphoric: bool = False
    unstated_survival: set[tuple[int, int]] = field(default_factory=set)
    """Spans of injured counts that do not say whether the victims lived ("two people were shot")."""
    confidence: float = 0.5
