"""The reference article and two other reports of its drone attack on the Odesa region (written
for this test: tests/data/odesa_drone_reports.jsonl) become one incident with three sources."""

from __future__ import annotations

from pathlib import Path

from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.core.incidents import KeyState, cluster, members_of_article
from wirestream.core.incidents.reconcile import build_incident

REPORTS = Path(__file__).resolve().parents[1] / "data" / "odesa_drone_reports.jsonl"


def _members(extractor: Extractor, articles: list[Article]) -> list:  # type: ignore[type-arg]
    out = []
    for article in articles:
        result = extractor.extract(article)
        out.extend(members_of_article(result.article, result.events))
    return out


def test_three_reports_one_incident(extractor: Extractor, seed_article: Article) -> None:
    others = [Article.model_validate_json(line) for line in REPORTS.read_text().splitlines()]
    members = _members(extractor, [seed_article, *others])
    incidents = cluster(members)
    wide = [
        build_incident(i, g) for i, g in incidents.items() if len({m.article_id for m in g}) > 1
    ]
    assert len(wide) == 1, [(r.id, r.sources.articles) for r in wide]
    [incident] = wide
    assert incident.sources.articles == sorted([seed_article.id, *(a.id for a in others)])
    assert len(incident.sources.independent_outlets) == 3
    assert incident.type == "ASSAULT" and "Russia" in incident.actors
    assert incident.place is not None and "Odesa" in incident.place.name
    assert incident.place.country == "UA" and incident.place.lat is not None
    assert incident.date is not None and incident.date.start == "2024-07-24"
    killed = incident.casualties.killed
    assert killed is not None
    # "at least four" (the seed and the Kyiv report) and "five" (the Odesa report) give 5.
    assert (killed.best, killed.low, killed.high) == (5, 5, 5)
    assert sorted((r.value, r.qualifier) for r in killed.reports)[-1] == (5, "exact")
    assert incident.first_reported == "2024-07-24T15:00:00+00:00"

    # Any order of arrival gives the same incident under the same id.
    for order in (members, members[::-1]):
        state = KeyState()
        for m in order:
            state.apply(m)
        assert incident.id in state.published
        assert state.published[incident.id].event_ids == incident.event_ids


def test_pending_waits_for_the_article_and_all_its_events(
    extractor: Extractor, seed_article: Article
) -> None:
    from wirestream.core import jsonio
    from wirestream.core.incidents.routing import Pending

    result = extractor.extract(seed_article)
    events = [jsonio.loads(jsonio.dumps(e)) for e in result.events]
    article = jsonio.loads(jsonio.dumps(result.article))
    pending = Pending()
    for event in events[:-1]:
        pending.add(event)
    pending.add(article)
    assert pending.complete() is None  # one event still missing
    pending.add(events[-1])
    pending.add(events[0])  # a replayed event changes nothing
    done = Pending.from_dict(pending.to_dict()).complete()
    assert done is not None
    record, got = done
    assert record.article_id == seed_article.id
    assert sorted(e.id for e in got) == sorted(e.id for e in result.events)
