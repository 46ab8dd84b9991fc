"""The live view's pure parts: feed items, filters, the rings and article index, the strip."""

from __future__ import annotations

from typing import Any

import pytest

from liveview_records import XSS_BODY, XSS_NAME, article, entity, event, incident
from wirestream.errors import InputError
from wirestream.web.feed import event_item, incident_item, quote_item
from wirestream.web.filters import FeedFilter
from wirestream.web.stats import RateMeter, dead_letters, partition_lag
from wirestream.web.store import LiveStore, Ring


def test_an_event_item_carries_place_counts_and_participants() -> None:
    item = event_item(event("a1", type_="ASSAULT", actor="Russia"), 1000)
    assert item["kind"] == "event" and item["type"] == "ASSAULT" and item["time"] == 1000
    assert item["place"] == {"name": "Lyon", "country": "FR", "lat": 45.75, "lon": 4.85}
    assert item["actors"] == ["Russia"] and item["recipients"] == []
    # the example's casualties: at least two people injured
    assert {"label": "injured", "value": 2, "qualifier": "at_least", "of": "people"} in item[
        "counts"
    ]
    assert [c["label"] for c in item["counts"]].count("injured") == 1


def test_a_quote_item_groups_by_the_resolved_speaker() -> None:
    quote: dict[str, Any] = {
        "id": "q",
        "article_id": "a",
        "text": "t",
        "speaker": {"name": "X", "entity_id": "e1"},
    }
    assert quote_item(quote, 5)["speaker_key"] == "e1"
    quote["speaker"] = {"name": "X", "entity_id": None}
    assert quote_item(quote, 5)["speaker_key"] == "name:X"
    quote["speaker"] = None
    assert quote_item(quote, 5)["speaker_key"] == "unattributed"


def test_filters_apply_to_events_only() -> None:
    assault = event_item(event("a", type_="ASSAULT", actor="Russian army"), 2000)
    protest = event_item(event("b", type_="PROTEST", place=("Kyiv", "UA", 50.4, 30.5)), 3000)
    quote = {"kind": "quote", "id": "q", "time": 1}
    by_type = FeedFilter.from_query({"type": "assault, aid"})
    assert by_type.types == {"ASSAULT", "AID"}
    assert by_type.matches(assault) and not by_type.matches(protest) and by_type.matches(quote)
    by_country = FeedFilter.from_query({"country": "ua"})
    assert by_country.matches(protest) and not by_country.matches(assault)
    by_entity = FeedFilter.from_query({"entity": "RUSSIAN"})
    assert by_entity.matches(assault) and not by_entity.matches(protest)
    assert FeedFilter.from_query({"entity": "kyiv"}).matches(protest)  # a place name counts
    in_time = FeedFilter.from_query({"since": "2500", "until": "3000"})
    assert in_time.matches(protest) and not in_time.matches(assault)
    assert not FeedFilter().active and FeedFilter().matches(assault)


@pytest.mark.parametrize(
    "query",
    [{"type": "<script>"}, {"country": "Ukraine"}, {"since": "yesterday"}, {"until": "-1"}],
)
def test_a_malformed_filter_is_an_input_error(query: dict[str, str]) -> None:
    with pytest.raises(InputError):
        FeedFilter.from_query(query)


def test_a_ring_keeps_the_newest_and_each_id_once() -> None:
    ring = Ring(3)
    assert [ring.add({"id": i}) for i in (1, 2, 1, 3, 4)] == [True, True, False, True, True]
    assert [item["id"] for item in ring] == [2, 3, 4]


def test_the_store_streams_new_items_and_keeps_articles_for_the_article_view() -> None:
    store = LiveStore(backlog=2, articles=2)
    assert store.add("entity", entity("x", XSS_NAME, XSS_BODY), 1) is None  # kept, not streamed
    first = store.add("event", event("x"), 2)
    assert first is not None and first["article_id"] == "x"
    assert store.add("event", event("x"), 3) is None  # a replay is not sent again
    assert store.add("article", article("x", title="T", body=XSS_BODY), 4) is not None
    view = store.article_view("x")
    assert view is not None and view["article"]["title"] == "T"
    assert [e["name"] for e in view["entities"]] == [XSS_NAME]
    assert [e["id"] for e in view["events"]] == ["evt-x-0"]
    assert store.record("entity", "ent-x-0")["name"] == XSS_NAME
    for other in ("y", "z"):
        store.add("event", event(other), 5)
    assert store.article_view("x") is None  # the oldest article went first
    snapshot = [(i["kind"], i["article_id"]) for i in store.snapshot(FeedFilter())]
    assert snapshot == [("article", "x"), ("event", "y"), ("event", "z")]  # 2 events kept


def test_the_snapshot_is_filtered_and_oldest_first() -> None:
    store = LiveStore(backlog=10, articles=10)
    store.add("event", event("b", type_="AID"), 20)
    store.add("event", event("a", type_="ASSAULT"), 10)
    store.add("article", article("a", title="A", body="Lyon"), 15)
    everything = store.snapshot(FeedFilter())
    assert [(i["kind"], i["time"]) for i in everything] == [
        ("event", 10),
        ("article", 15),
        ("event", 20),
    ]
    only_aid = store.snapshot(FeedFilter(types=frozenset({"AID"})))
    assert [(i["kind"], i["article_id"]) for i in only_aid] == [("article", "a"), ("event", "b")]


def test_the_article_view_shows_the_current_revision_only() -> None:
    store = LiveStore(backlog=10, articles=10)
    old = dict(event("r"), revision="old", id="evt-old")
    new = dict(event("r"), revision="new", id="evt-new")
    store.add("event", old, 1)
    store.add("event", new, 2)
    before = store.article_view("r")
    assert before is not None and {e["id"] for e in before["events"]} == {"evt-old", "evt-new"}
    store.add("article", dict(article("r", title="R", body="b"), revision="new"), 3)
    after = store.article_view("r")
    assert after is not None and [e["id"] for e in after["events"]] == ["evt-new"]


def test_the_strip_numbers() -> None:
    now = [100.0]
    meter = RateMeter(window=10, clock=lambda: now[0])
    now[0] = 110.0
    meter.add("event", 20)
    meter.add("quote", 5)
    assert meter.rates() == {"event": 2.0, "quote": 0.5}
    now[0] = 121.0
    assert meter.rates() == {}
    assert partition_lag({0: 10, 1: 5}, {0: 7}) == [
        {"partition": 0, "end": 10, "committed": 7, "lag": 3},
        {"partition": 1, "end": 5, "committed": None, "lag": 5},
    ]
    assert dead_letters({0: 2}, {0: 9}) == 7


async def test_a_page_that_reads_too_slowly_is_closed_not_buffered() -> None:
    from wirestream.web.hub import QUEUE_MESSAGES, Hub

    drops: list[int] = []
    hub = Hub(on_drop=lambda: drops.append(1))
    slow = hub.subscribe(FeedFilter())
    picky = hub.subscribe(FeedFilter(types=frozenset({"AID"})))
    item = event_item(event("s", type_="ASSAULT"), 1)
    for _ in range(QUEUE_MESSAGES + 1):
        hub.publish([item])
    assert drops == [1] and slow not in hub.pages and picky in hub.pages
    assert slow.queue.get_nowait() is None  # its stream ends; the browser reconnects
    assert picky.queue.empty()  # its filter let nothing through


def test_a_kind_revised_in_place_replaces_its_item_and_is_sent_again() -> None:
    ring = Ring(3)
    assert ring.add({"id": "i", "v": 1}, replace=True)
    assert ring.add({"id": "j", "v": 1}, replace=True)
    assert ring.add({"id": "i", "v": 2}, replace=True)  # revised: newest now
    assert [(item["id"], item["v"]) for item in ring] == [("j", 1), ("i", 2)]


def test_an_incident_item_has_the_event_shape_with_reconciled_counts_and_sources() -> None:
    record = incident("odesa")
    item = incident_item(record, 7)
    assert item["kind"] == "incident" and item["id"] == record["id"] and item["time"] == 7
    assert item["article_id"] is None and item["status"] == "active"
    assert item["type"] == "ASSAULT"
    assert item["place"] == {"name": "Odesa", "country": "UA", "lat": 46.48, "lon": 30.72}
    assert item["actors"] == ["Russia"] and item["recipients"] == []
    # at least 4, then 5 and 5: best 5, bounded 5..5
    assert item["counts"] == [
        {
            "label": "killed",
            "value": 5,
            "qualifier": "exact",
            "of": None,
            "low": 5,
            "high": 5,
            "reports": 3,
        }
    ]
    assert item["sources"] == {
        "articles": 3,
        "outlets": ["AP", "Local Post", "Reuters"],
        "independent_outlets": ["AP", "Reuters"],  # Local Post's article copies AP's
    }
    assert item["first_reported"] < item["last_reported"]
    only_at_least = incident("x", outlets=("AP",), killed=((4, "at_least"),))
    (count,) = incident_item(only_at_least, 1)["counts"]
    assert (count["value"], count["qualifier"], count["high"]) == (4, "at_least", None)


def test_filters_apply_to_incidents() -> None:
    item = incident_item(incident("odesa"), 1000)
    assert FeedFilter(types=frozenset({"ASSAULT"})).matches(item)
    assert not FeedFilter(types=frozenset({"PROTEST"})).matches(item)
    assert FeedFilter(country="UA").matches(item)
    assert not FeedFilter(country="FR").matches(item)
    assert FeedFilter(entity="russ").matches(item) and FeedFilter(entity="odes").matches(item)
    assert not FeedFilter(entity="kuleba").matches(item)
    assert not FeedFilter(since_ms=2000).matches(item)


def test_incidents_are_revised_in_place_and_leave_when_merged() -> None:
    store = LiveStore(backlog=10, articles=10)
    record = incident("odesa")
    first = store.add("incident", record, 1)
    assert first is not None and first["id"] == record["id"]
    assert store.add("incident", record, 2) is None  # a replay: nothing new to send
    revised = {**record, "last_reported": "2024-07-24T23:00:00+00:00"}
    assert store.add("incident", revised, 3) is not None
    assert [i["last_reported"] for i in store.snapshot(FeedFilter())] == [revised["last_reported"]]
    # looked up by incident id (no article id)
    assert store.record("incident", record["id"]) == revised
    merged = {**revised, "status": "merged", "merged_into": "inc_other"}
    gone = store.add("incident", merged, 4)
    assert gone is not None and gone["status"] == "merged"  # sent, so pages drop it
    assert store.snapshot(FeedFilter()) == []  # not shown to pages that open later
    assert store.record("incident", record["id"])["merged_into"] == "inc_other"
    assert store.record("incident", "inc_unknown") is None
