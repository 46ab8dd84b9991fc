"""Records for the live view's tests, made from the generated examples (schemas/examples/) with
the fields a test needs changed, and validated against the contracts before use."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from wirestream.core.incidents import build_incident, cluster
from wirestream_contracts.base import ReadingModel
from wirestream_contracts.incidents import IncidentMember, MemberCount
from wirestream_contracts.records import ArticleRecord, EntityRecord, EventRecord, QuoteRecord

EXAMPLES = Path(__file__).resolve().parents[1] / "schemas" / "examples"
MODELS: dict[str, type[ReadingModel]] = {
    "articles": ArticleRecord,
    "entities": EntityRecord,
    "quotes": QuoteRecord,
    "events": EventRecord,
}
XSS_TITLE = '<script>window.__xss = "title"</script> Minister <img src=x onerror="window.__xss=1">'
XSS_NAME = '<img src=x onerror="window.__xss=2">'
XSS_BODY = f'{XSS_NAME} met <script>window.__xss = "body"</script> officials in Lyon.'


def example(topic: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{topic}.json").read_text("utf-8"))
    return data


def checked(topic: str, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` after validation by its contract model (as JSON a producer would send)."""
    model = MODELS[topic].model_validate(record)
    dumped: dict[str, Any] = json.loads(model.model_dump_json())
    return dumped


def article(article_id: str, *, title: str, body: str, source: str = "Test Wire") -> dict[str, Any]:
    record = copy.deepcopy(example("articles"))
    record.update(
        id=f"art-{article_id}",
        article_id=article_id,
        revision=None,
        title=title,
        body=body,
        source=source,
        noise=[],
        envelope=None,
    )
    return checked("articles", record)


def entity(article_id: str, name: str, body: str, *, index: int = 0) -> dict[str, Any]:
    start = body.index(name)
    record = copy.deepcopy(example("entities"))
    record.update(
        id=f"ent-{article_id}-{index}",
        article_id=article_id,
        revision=None,
        name=name,
        type="PERSON",
        mentions=[{"start": start, "end": start + len(name), "text": name, "field": "body"}],
        country=None,
        geo=None,
    )
    return checked("entities", record)


def event(
    article_id: str,
    *,
    index: int = 0,
    type_: str = "PROTEST",
    actor: str = "Dock workers",
    place: tuple[str, str, float, float] = ("Lyon", "FR", 45.75, 4.85),
) -> dict[str, Any]:
    """An event record at ``place`` (name, country, lat, lon) with one actor and no recipient."""
    record = copy.deepcopy(example("events"))
    name, country, lat, lon = place
    span = {"start": 0, "end": len(name), "text": name, "field": "body"}
    record.update(
        id=f"evt-{article_id}-{index}",
        article_id=article_id,
        revision=None,
        type=type_,
        actors=[{"entity_id": None, "name": actor, "span": span}],
        recipients=[],
        locations=[],
        location={
            "entity_id": None,
            "name": name,
            "country": country,
            "geo": {"lat": lat, "lon": lon, "gazetteer_id": "test:1", "feature": "city"},
            "span": span,
        },
    )
    return checked("events", record)


def incident(
    tag: str,
    *,
    actor: str = "Russia",
    place: tuple[str, str, float, float] = ("Odesa", "UA", 46.48, 30.72),
    outlets: tuple[str, ...] = ("AP", "Reuters", "Local Post"),
    killed: tuple[tuple[int, str], ...] = ((4, "at_least"), (5, "exact"), (5, "exact")),
) -> dict[str, Any]:
    """An incident record as the incident stage makes it: one report per outlet, grouped by the
    pure clustering and built by its :func:`build_incident` (the last outlet a copy of the first).
    """
    name, country, lat, lon = place
    members = [
        IncidentMember(
            op="add",
            partition_key=f"{country}|ASSAULT",
            article_id=f"{tag}-a{i}",
            event_id=f"{tag}-e{i}",
            type="ASSAULT",
            outlet=outlet,
            duplicate_of=f"{tag}-a0" if i == len(outlets) - 1 and i > 0 else None,
            published_at=f"2024-07-24T1{i}:00:00+00:00",
            event_date="2024-07-24",
            place_name=name,
            country=country,
            lat=lat,
            lon=lon,
            feature="city",
            actors=[actor],
            killed=MemberCount(value=value, qualifier=qualifier),
        )
        for i, (outlet, (value, qualifier)) in enumerate(zip(outlets, killed, strict=True))
    ]
    ((incident_id, group),) = cluster(members).items()
    dumped: dict[str, Any] = json.loads(build_incident(incident_id, group).model_dump_json())
    return dumped
