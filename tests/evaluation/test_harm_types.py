"""The scorers treat DISASTER (harm nobody intended) like ASSAULT where the data sets do."""

from __future__ import annotations

from wirestream.core.contracts import Casualties, Count, EventRecord, Span
from wirestream.evaluation.tasks import SCORED_AS, article_casualties


def _event(etype: str, killed: int | None, injured: int | None, timeframe: str) -> EventRecord:
    span = Span(start=0, end=6, text="killed")

    def count(value: int | None) -> Count | None:
        return None if value is None else Count(value=value, qualifier="exact", span=span)

    return EventRecord.model_validate(
        {
            "id": f"evt_{etype}",
            "article_id": "a",
            "type": etype,
            "mode": None,
            "trigger": span,
            "evidence": span,
            "actors": [],
            "recipients": [],
            "location": None,
            "date": None,
            "quantities": [],
            "casualties": Casualties(killed=count(killed), injured=count(injured)),
            "claim": None,
            "timeframe": timeframe,
            "confidence": 0.5,
        }
    )


def test_disaster_casualties_count_like_assault() -> None:
    events = [_event("DISASTER", 12, 3, "current"), _event("ASSAULT", 2, 5, "current")]
    assert article_casualties(events) == (12, 5)


def test_background_and_other_types_do_not_count() -> None:
    events = [_event("DISASTER", 40, None, "background"), _event("PROTEST", 9, 9, "current")]
    assert article_casualties(events) == (0, 0)


def test_disaster_is_scored_as_assault() -> None:
    assert SCORED_AS == {"DISASTER": "ASSAULT"}
