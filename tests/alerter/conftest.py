"""Alerter test helpers: records of the seed article, and hand-made events."""

from __future__ import annotations

import json
from typing import Any

import pytest

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor


@pytest.fixture(scope="session")
def seed_records(extractor: Extractor, seed_article: Article) -> list[dict[str, Any]]:
    """Every record the extractor makes of the seed article, as the alerter receives them."""
    out = []
    for result in extractor.extract_many([seed_article]):
        out += [json.loads(jsonio.dumps(r)) for r in result.records]
    return out


def event(
    n: int,
    *,
    place: str | None = "Kharkiv",
    timeframe: str = "current",
    killed: int | None = None,
    type_: str = "ASSAULT",
) -> dict[str, Any]:
    """A minimal event record (as JSON) in ``place``; ``n`` makes its ids unique."""
    span = {"start": 0, "end": 6, "text": "struck", "field": "body"}
    location = (
        {"entity_id": None, "name": place, "country": "UA", "geo": None, "span": span}
        if place
        else None
    )
    casualties: dict[str, Any] = {"killed": None, "injured": None}
    if killed is not None:
        casualties["killed"] = {"value": killed, "qualifier": "exact", "of": None, "span": span}
    return {
        "kind": "event",
        "schema_version": 1,
        "id": f"evt_{n}",
        "article_id": f"art_{n}",
        "type": type_,
        "mode": None,
        "trigger": span,
        "evidence": {**span, "text": f"Shelling struck {place} (report {n})."},
        "actors": [],
        "recipients": [],
        "location": location,
        "locations": [location] if location else [],
        "date": None,
        "quantities": [],
        "casualties": casualties,
        "weapons": [],
        "claim": None,
        "timeframe": timeframe,
        "confidence": 0.8,
    }
