"""Records for the live view's tests, made from the generated examples (schemas/examples/) with
the fields a test needs changed, and validated against the contracts before use."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from wirestream_contracts.base import ReadingModel
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
