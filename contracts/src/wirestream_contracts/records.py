"""The output contract, version 1: article, entity, quote and event records.

Every record carries ``kind``, ``schema_version``, ``id`` and ``article_id``. A :class:`Span` is
``{start, end, text, field}`` with ``text == body[start:end]`` (offsets in Unicode code points:
Python string indices, not UTF-16 code units; end exclusive; ``field`` is ``"title"`` for spans in the title, else ``"body"``). Ids are deterministic:
the same article through the same version gives byte-identical records (see ``wirestream.core.ids``).

Revisions: every record also carries ``revision``, a digest of the article content extraction
reads (title, body, published_at, language), and its id is derived from (article id, revision,
...). An article id seen again with the same content is an idempotent replay: the same records
under the same ids (consumers upsert by record ``id``). With new content it is a new revision:
new record ids, the new ``revision``. The compacted ``articles`` topic keeps the latest article
record per article id; entity, quote and event records of an older revision are told apart by a
``revision`` different from that article record's, and a consumer that wants an article's current
records drops them. ``revision`` is optional for readers (records written before it was added
have none).

Adding an optional field is a compatible change; anything else bumps ``SCHEMA_VERSION`` (the
major version): see :mod:`wirestream_contracts.compat` and ``docs/CONSUMERS.md``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from wirestream_contracts.base import ReadingModel

SCHEMA_VERSION: Literal[1] = 1

EntityType = Literal["PERSON", "ORGANIZATION", "LOCATION", "GROUP"]
EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "DISASTER",
]
"""The PLOVER event types (PLOVER 0.8 manual), then ``DISASTER``, Wirestream's own type (not
PLOVER) for harm nobody intended: natural hazards, accidents, disease. A DISASTER has no actors;
its ``mode`` is the hazard's kind (``natural``, ``accident``, ``disease``) and it carries casualty
counts, place and date like an ASSAULT (added in schema version 1, optional for consumers that
read PLOVER types only)."""
Qualifier = Literal["exact", "at_least", "about", "up_to", "more_than", "less_than"]


OFFSET_UNIT = "unicode-code-point"
"""The unit of every span offset: Unicode code points (Python ``str`` indices), not UTF-16 code
units (JavaScript, Java, C#) and not UTF-8 bytes. Stated in every span schema as ``x-offset-unit``."""

_OFFSET_NOTE = (
    " Offsets count Unicode code points (Python str indices), not UTF-16 code units and not "
    "bytes: in JavaScript slice Array.from(text) (or a code-point iterator), in Java use "
    "offsetByCodePoints."
)


class Span(ReadingModel):
    """A stretch of the article's text: ``text == body[start:end]`` (or ``title[...]``), offsets
    in Unicode code points (:data:`OFFSET_UNIT`)."""

    model_config = ConfigDict(json_schema_extra={"x-offset-unit": OFFSET_UNIT})

    start: int = Field(ge=0, description="First code point of the stretch." + _OFFSET_NOTE)
    end: int = Field(ge=0, description="Code point after the stretch (end exclusive).")
    text: str = Field(description="The stretch itself: body[start:end] in code points.")
    field: Literal["body", "title"] = Field(
        default="body", description="Which text the offsets point into: the body or the title."
    )


class NoiseSpan(ReadingModel):
    """A stretch that cleaning set aside: extraction does not read it."""

    reason: Literal["boilerplate", "repeated_headline", "caption", "credit"]
    span: Span


class Geo(ReadingModel):
    """Where a place is, and which gazetteer entry says so (``geonames:2172797``, ``ws:odesa-oblast``)."""

    lat: float
    lon: float
    gazetteer_id: str
    feature: Literal["country", "region", "city", "place"]


class Role(ReadingModel):
    """A title or function the text gives an entity ("Foreign Minister", "press secretary")."""

    title: str
    span: Span
    of: str | None = Field(
        default=None, description="Whom the role is held for, when stated ('Vladimir Putin')."
    )


def _omit_none(value: object) -> bool:
    return value is None


def _omit_false(value: object) -> bool:
    return value is False


def _omit_text(value: object) -> bool:
    return value == "text"


class EntityRecord(ReadingModel):
    """One real-world thing mentioned in one article, all its mentions merged."""

    kind: Literal["entity"] = "entity"
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    article_id: str
    revision: str | None = Field(
        default=None,
        description="Revision of the article content the record was extracted from (16 hex "
        "digits of sha256 over title, body, published_at, language); absent in older records.",
    )
    name: str = Field(description="Canonical name ('Volodymyr Zelenskyy', 'Kyiv').")
    type: EntityType
    mentions: list[Span]
    aliases: list[str] = Field(description="Other surface forms seen in the article, sorted.")
    roles: list[Role]
    country: str | None = Field(description="ISO 3166-1 alpha-2, when known.")
    geo: Geo | None
    salience: float = Field(ge=0.0, le=1.0)


class Speaker(ReadingModel):
    name: str = Field(description="Canonical name, even when the text says 'he' or 'the minister'.")
    entity_id: str | None
    span: Span | None = Field(description="Where the speaker is written (may be the pronoun).")


class Cue(ReadingModel):
    text: str
    lemma: str
    span: Span


class QuoteRecord(ReadingModel):
    """Who said what: direct, indirect or mixed speech."""

    kind: Literal["quote"] = "quote"
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    article_id: str
    revision: str | None = Field(
        default=None,
        description="Revision of the article content the record was extracted from (16 hex "
        "digits of sha256 over title, body, published_at, language); absent in older records.",
    )
    text: str
    span: Span = Field(description="The quoted content, without the quote marks.")
    type: Literal["direct", "indirect", "mixed"]
    speaker: Speaker | None
    cue: Cue | None
    confidence: float = Field(ge=0.0, le=1.0)
    event_ids: list[str] = Field(default_factory=list)


class Participant(ReadingModel):
    entity_id: str | None
    name: str
    span: Span


class EventLocation(ReadingModel):
    entity_id: str | None
    name: str
    country: str | None
    geo: Geo | None
    span: Span = Field(description="The text's own wording ('south of the Odesa region').")
    place_source: Literal["text", "dateline"] = Field(
        default="text",
        exclude_if=_omit_text,
        description=(
            "'text' (the default, then absent from the message) when the event's text names the "
            "place; 'dateline' when the event's sentence names no place and the place is the "
            "article's dateline (inferred, the span points at the dateline)."
        ),
    )


class EventDate(ReadingModel):
    value: str = Field(description="ISO date: YYYY-MM-DD, YYYY-MM or YYYY by precision.")
    precision: Literal["day", "month", "year"]
    span: Span
    relative: bool = Field(description="True when resolved against published_at.")


class Count(ReadingModel):
    value: int
    qualifier: Qualifier
    of: str | None = Field(default=None, description="What is counted ('civilians').")
    span: Span


class Quantity(ReadingModel):
    value: int
    qualifier: Qualifier
    counts: str = Field(description="What the number counts ('Shahed drone').")
    role: str = Field(description="launched, intercepted, killed, injured, arrested, size, ...")
    span: Span


class Casualties(ReadingModel):
    killed: Count | None = None
    injured: Count | None = None


class Claim(ReadingModel):
    source: Participant | None
    modality: Literal["reported", "claimed", "alleged", "denied", "confirmed"]
    cue: Span


class EventRecord(ReadingModel):
    """Who did what to whom, where, when, how many, and who says so (PLOVER types)."""

    kind: Literal["event"] = "event"
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    article_id: str
    revision: str | None = Field(
        default=None,
        description="Revision of the article content the record was extracted from (16 hex "
        "digits of sha256 over title, body, published_at, language); absent in older records.",
    )
    type: EventType
    mode: str | None
    trigger: Span
    mentions: list[Span] = Field(
        default_factory=list,
        description="Every word that expresses this event, in text order, the trigger "
        "included ('attacked' and 'killing' of 'A bomber attacked the market, killing 12'): each "
        "passed the same checks as the trigger (type, sense, negation, irrealis). Mostly in the "
        "evidence sentence; an event continued in the next sentences (merged) also has the "
        "words of those. Empty in records written before this field (read the trigger then).",
    )
    evidence: Span = Field(description="The sentence the event was read from.")
    actors: list[Participant]
    recipients: list[Participant]
    location: EventLocation | None
    locations: list[EventLocation] = Field(default_factory=list, description="Every place named.")
    date: EventDate | None
    quantities: list[Quantity]
    casualties: Casualties
    weapons: list[Span] = Field(default_factory=list)
    claim: Claim | None
    timeframe: Literal["current", "background"]
    confidence: float = Field(ge=0.0, le=1.0)


class Credit(ReadingModel):
    """A person (or, for ``sources``, an agency) the wire envelope credits, with its role."""

    role: Literal[
        "author", "reporting", "additional_reporting", "writing", "editing", "sources", "other"
    ] = Field(
        description=(
            "'author' for a byline; 'reporting', 'additional_reporting' (also AP's 'contributed "
            "to this report'), 'writing', 'editing' from trailers; 'sources' for agencies a story "
            "is based on (Euronews' 'Additional sources'); 'other' for graphics, video, photos."
        )
    )
    name: str
    span: Span


class VersionTag(ReadingModel):
    """A version or genre tag of the title or the body's first line ("UPDATE 2-", "REFILE-")."""

    kind: Literal[
        "update",
        "refile",
        "correction",
        "exclusive",
        "repeat",
        "urgent",
        "breaking",
        "flash",
        "wrapup",
        "analysis",
        "factbox",
        "insight",
        "feature",
        "interview",
        "roundup",
        "lead",
        "kill",
    ]
    number: int | None = Field(
        default=None, description="The update number ('UPDATE 2-' → 2; AP '3rd Ld' → 3)."
    )
    span: Span


class EnvelopePart(ReadingModel):
    """A stretch of the body that belongs to the wire envelope; extraction does not read it."""

    kind: Literal[
        "byline",
        "dateline",
        "tags",
        "embargo",
        "advisory",
        "correction",
        "slug",
        "separator",
        "credits",
        "signoff",
    ]
    span: Span


class Dateline(ReadingModel):
    """Where and when the story was filed: ``TBILISI, April 14 (Reuters) -``."""

    span: Span = Field(description="The whole dateline, its separator included.")
    place: EventLocation = Field(
        description=(
            "The place as written (span), resolved like other places: name, ISO country and "
            "geo from the gazetteer when known; entity_id when the text names it too."
        )
    )
    date_span: Span | None = Field(default=None, description="The date as written ('April 14').")
    date: EventDate | None = Field(
        default=None, description="The date resolved against published_at (None without it)."
    )
    agency: str | None = Field(default=None, description="Canonical agency name ('Reuters').")
    agency_span: Span | None = None


class Envelope(ReadingModel):
    """The wire envelope of an article: metadata around the news, not news."""

    parts: list[EnvelopePart] = Field(
        description="Every envelope stretch of the body, sorted; entities, quotes and events "
        "never come from them."
    )
    dateline: Dateline | None = None
    authors: list[Credit] = Field(default_factory=list, description="Byline names (role 'author').")
    credits: list[Credit] = Field(default_factory=list, description="Trailer credits by role.")
    tags: list[VersionTag] = Field(
        default_factory=list, description="Version tags of the title (field 'title') or body."
    )


class ArticleCounts(ReadingModel):
    characters: int
    sentences: int
    tokens: int
    entities: int
    quotes: int
    events: int


class ArticleRecord(ReadingModel):
    """The normalised article: metadata, language, what cleaning set aside, counts."""

    kind: Literal["article"] = "article"
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    article_id: str
    revision: str | None = Field(
        default=None,
        description="Revision of the article content the record was extracted from (16 hex "
        "digits of sha256 over title, body, published_at, language); absent in older records.",
    )
    title: str | None
    body: str
    source: str | None
    url: str | None
    published_at: str | None = Field(description="RFC 3339, as normalised from the input.")
    language: str = Field(
        description="The given language, or as detected: 'en', the tag of another language the "
        "text is confidently in ('fr'), or 'und' (no words, or not in Latin script)."
    )
    language_detected: bool = Field(description="True when the language was not given but guessed.")
    language_assumed: bool = Field(
        default=False,
        exclude_if=_omit_false,
        description="True when the language was not given and the text (Latin script, not "
        "confidently another language: results tables, standings) was taken for English and "
        "extracted as such; absent when false (optional, added in schema version 1).",
    )
    extracted: bool = Field(description="False when extraction did not run (non-English for now).")
    authors: list[str]
    metadata: dict[str, object]
    noise: list[NoiseSpan]
    counts: ArticleCounts
    fingerprint: str = Field(description="64-bit SimHash of the cleaned text, 16 hex digits.")
    duplicate_of: str | None = Field(
        default=None,
        description="Article id of an earlier near-identical article that the worker which "
        "extracted this one had seen (streaming only; a per-worker hint, see docs/CONSUMERS.md: "
        "the copies topic has the marking that holds across workers and replays).",
    )
    duplicate_similarity: float | None = None
    extractor_version: str
    story_id: str | None = Field(
        default=None,
        exclude_if=_omit_none,
        description="The story this article is a version of (the input's story_id), when it is "
        "not the article id; absent: the article id is the story id (streaming only, optional, "
        "added in schema version 1).",
    )
    story_version: int | None = Field(
        default=None,
        exclude_if=_omit_none,
        description="The version within the story (the input's version, else from the wire "
        "version tag: 'UPDATE 2-' gives 3) when it is not 1; absent: version 1 (streaming "
        "only, optional).",
    )
    envelope: Envelope | None = Field(
        default=None,
        exclude_if=_omit_none,
        description=(
            "The wire envelope (dateline, byline, credits, version tags, notices, sign-off); "
            "absent when the article has none (optional, added in schema version 1)."
        ),
    )


Record = Annotated[
    ArticleRecord | EntityRecord | QuoteRecord | EventRecord, Field(discriminator="kind")
]
