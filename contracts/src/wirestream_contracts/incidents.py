"""Incidents: one record per real-world happening, gathered from every article that reports it.

The incident stage (``wirestream worker incidents``) groups event records of different articles
that describe the same happening (compatible type, place, time, actors and counts) and publishes
an :class:`IncidentRecord` to the compacted ``incidents`` topic, keyed by the incident id. Ids are
deterministic: the incident's founding member (its earliest report, then the smallest event id)
and its partition key decide it, so a replay of the same stream gives the same ids.

An incident changes as reports, new story versions and retractions arrive: each change publishes
the whole incident again under the same key (consumers keep the latest per key). When two
incidents turn out to be one, the absorbed one gets a last record with ``status: "merged"`` and
``merged_into`` (the survivor's id) and the survivor lists it in ``merged_from``; an incident whose
every member was retracted gets a last record with ``status: "dissolved"``. See
``docs/CONSUMERS.md`` ("Incidents").

:class:`IncidentMember` is the internal repartition record (``incidents.members``): one event,
summarised for clustering, or one retraction, routed to the partition that owns its candidates.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wirestream_contracts.base import ReadingModel
from wirestream_contracts.records import EventType, Qualifier

IncidentStatus = Literal["active", "merged", "dissolved"]
"""``active``: the incident stands; ``merged``: absorbed into ``merged_into`` (its last record);
``dissolved``: every member was retracted (its last record)."""


class IncidentPlace(ReadingModel):
    """Where the incident happened: the most precise place its members agree on."""

    name: str
    country: str | None = Field(description="ISO 3166-1 alpha-2, when known.")
    lat: float | None = None
    lon: float | None = None
    feature: Literal["country", "region", "city", "place"] | None = None
    gazetteer_id: str | None = None


class IncidentDate(ReadingModel):
    """When it happened: one day, or the range the reports span (ISO dates, ``start <= end``)."""

    start: str
    end: str
    basis: Literal["event_date", "published"] = Field(
        description="'event_date' when a member's text gives the date, 'published' when only "
        "publication times date it."
    )


class CountReport(ReadingModel):
    """One source's figure, as its text gives it."""

    event_id: str
    article_id: str
    outlet: str | None
    value: int
    qualifier: Qualifier
    official: bool = Field(description="Attributed to an authority (police, ministry, ...).")
    reported_at: str | None = Field(description="The article's publication time (RFC 3339).")


class ReconciledCount(ReadingModel):
    """One count (killed or injured) reconciled across the incident's reports."""

    best: int = Field(
        description="The best current figure: the latest official figure when there is one, "
        "else the largest figure some report gives as at least true ('at least 4' and '5' give 5)."
    )
    low: int = Field(description="The largest lower bound any report gives.")
    high: int | None = Field(
        description="The smallest upper bound no lower bound exceeds (exact, 'up to', 'less than' "
        "figures), or null when no report bounds it from above."
    )
    reports: list[CountReport] = Field(description="Every report's figure, oldest first.")


class IncidentCasualties(ReadingModel):
    killed: ReconciledCount | None = None
    injured: ReconciledCount | None = None


class IncidentSources(ReadingModel):
    """Who reports it: articles, outlets, and outlets that are not copies of each other."""

    articles: list[str] = Field(description="Article ids of every member, sorted.")
    outlets: list[str] = Field(description="Distinct outlets (article 'source'), sorted.")
    independent_outlets: list[str] = Field(
        description="Outlets with at least one member article that is not a copy of another "
        "member article, sorted. Copies are as the copies stage marks them (the copies topic, "
        "across all workers); without a marking yet, the article record's duplicate_of."
    )
    independent_articles: int = Field(
        description="Member articles that are not copies of another member article."
    )


class IncidentRecord(ReadingModel):
    """One real-world happening, with every report of it and its counts reconciled."""

    kind: Literal["incident"] = "incident"
    schema_version: Literal[1] = 1
    id: str = Field(description="Deterministic: partition key and founding member ('inc_...').")
    partition_key: str = Field(description="The coarse key its candidates were grouped under.")
    status: IncidentStatus
    merged_into: str | None = Field(
        default=None, description="With status 'merged': the incident that absorbed this one."
    )
    merged_from: list[str] = Field(
        default_factory=list, description="Incidents this one absorbed (their last records say so)."
    )
    type: EventType | None = Field(description="The members' event type (null once dissolved).")
    mode: str | None = None
    place: IncidentPlace | None
    date: IncidentDate | None
    actors: list[str] = Field(description="Actor names the members give, most reported first.")
    recipients: list[str] = Field(description="Recipient names, most reported first.")
    casualties: IncidentCasualties
    sources: IncidentSources
    first_reported: str | None = Field(description="Earliest member publication (RFC 3339).")
    last_reported: str | None = Field(description="Latest member publication (RFC 3339).")
    event_ids: list[str] = Field(description="Member event record ids, sorted.")


class MemberCount(ReadingModel):
    value: int
    qualifier: Qualifier


class IncidentMember(ReadingModel):
    """Internal: one event summarised for clustering (``op: "add"``), one retraction
    (``op: "retract"``), or one article's copy marking from the copies topic (``op: "copy"``:
    ``article_id`` and ``duplicate_of``), on the incident stage's repartition topic."""

    kind: Literal["incident_member"] = "incident_member"
    schema_version: Literal[1] = 1
    op: Literal["add", "retract", "copy"]
    partition_key: str = Field(description="Coarse key: country (or 'ZZ') and event type.")
    article_id: str
    revision: str | None = None
    event_id: str | None = Field(default=None, description="With op 'add': the event record id.")
    record_ids: list[str] = Field(
        default_factory=list,
        description="With op 'retract': the retracted record ids (empty: all of article_id "
        "[and revision]).",
    )
    type: EventType | None = None
    mode: str | None = None
    outlet: str | None = None
    duplicate_of: str | None = Field(
        default=None,
        description="The article this one is a copy of: with op 'copy', the copies stage's "
        "marking (null: an original); with op 'add', the marking when known, else the article "
        "record's per-worker duplicate_of.",
    )
    published_at: str | None = None
    event_date: str | None = Field(default=None, description="Resolved day (YYYY-MM-DD), if any.")
    place_name: str | None = None
    place_source: Literal["text", "dateline", "article"] = Field(
        default="text",
        description="'text': the event's sentence names the place; 'dateline': the article's "
        "dateline; 'article': the place the article names for other events of its type.",
    )
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: Literal["country", "region", "city", "place"] | None = None
    gazetteer_id: str | None = None
    actors: list[str] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    killed: MemberCount | None = None
    injured: MemberCount | None = None
    official: bool = False
