"""The pure incident clustering: compatibility, reconciled counts, ids, merges, retractions."""

from __future__ import annotations

import itertools
from typing import Any

from fixtures.incidents import KEY, member
from wirestream.core.incidents import KeyState, build_incident, cluster, compatible, reconcile
from wirestream.core.incidents.compat import explain
from wirestream.core.incidents.routing import member_partition
from wirestream.core.incidents.state import Changes
from wirestream_contracts.incidents import CountReport, IncidentMember, MemberCount


def killed(value: int, qualifier: str = "exact") -> MemberCount:
    return MemberCount(value=value, qualifier=qualifier)


def report(value: int, qualifier: str, at: str, official: bool = False) -> CountReport:
    return CountReport(
        event_id=f"e-{at}",
        article_id=f"a-{at}",
        outlet=None,
        value=value,
        qualifier=qualifier,
        official=official,
        reported_at=f"2024-07-24T{at}:00:00+00:00",
    )


def test_same_city_same_day_same_actor_is_one_happening() -> None:
    assert compatible(member("e1", "a1"), member("e2", "a2"))


def test_a_coarse_place_alone_is_not_enough() -> None:
    a = member("e1", "a1", actors=[])
    b = member("e2", "a2", actors=["Police"], killed=None)
    assert not compatible(a, b)


def test_different_days_countries_and_distant_places_are_not() -> None:
    a = member("e1", "a1")
    assert not compatible(a, member("e2", "a2", event_date="2024-07-27"))
    kyiv = member("e3", "a3", place_name="Kyiv", lat=50.45, lon=30.52)
    assert not compatible(a, kyiv)
    assert not compatible(a, member("e4", "a4", partition_key="RU|ASSAULT", country="RU"))


def test_contradicting_counts_keep_reports_apart() -> None:
    early = member("e1", "a1", killed=killed(10, "at_least"))
    later = member("e2", "a2", killed=killed(3), published_at="2024-07-24T12:00:00+00:00")
    assert not compatible(early, later)
    rising = member("e3", "a3", killed=killed(12), published_at="2024-07-24T12:00:00+00:00")
    assert compatible(early, rising)


def test_an_address_named_alike_is_a_fine_match_without_people() -> None:
    street = {"place_name": "2700 block of Verbena Street", "lat": None, "lon": None}
    a = member("e1", "a1", actors=[], feature=None, **street)
    b = member("e2", "a2", actors=[], feature=None, event_date=None, **street)
    assert compatible(a, b)
    area = {"place_name": "Castor section of Philadelphia", "lat": None, "lon": None}
    c = member("e3", "a3", actors=[], feature=None, **area)
    d = member("e4", "a4", actors=[], feature=None, **area)
    assert not compatible(c, d)
    assert not compatible(
        member("e5", "a5", place_name="home"), member("e6", "a6", place_name="home")
    )


def test_a_telephone_number_is_not_a_place() -> None:
    # Two appeals for tips giving one police line are not one scene: the extractor took the
    # line for a place, and a name with a telephone number in it names no place.
    for line in ("410-396-2221 or Metro Crime Stoppers", "Crimestoppers at (504) 822-1111"):
        tip: dict[str, Any] = {
            "place_name": line,
            "lat": None,
            "lon": None,
            "feature": None,
            "actors": [],
        }
        a = member("e1", "a1", type="REQUEST", **tip)
        b = member("e2", "a2", type="REQUEST", event_date=None, **tip)
        assert not compatible(a, b)
    # Street numbers and ranges are addresses, not telephone numbers.
    for street in ("3000-3100 block of Main Street", "1814 Ennis Joslin Road", "Highway 101"):
        spot: dict[str, Any] = {
            "place_name": street,
            "lat": None,
            "lon": None,
            "feature": None,
            "actors": [],
        }
        assert compatible(member("e3", "a3", **spot), member("e4", "a4", **spot))


def test_explain_names_what_linked_two_reports_and_what_did_not() -> None:
    why = explain(member("e1", "a1"), member("e2", "a2", killed=None))
    assert why["linked"] and why["time"] and why["place"] == "coarse"
    assert why["shared_names"] == ["russia"] and why["corroborated"]
    assert not why["counts_agree"] and not why["counts_contradict"]
    alone = explain(member("e1", "a1", actors=[]), member("e2", "a2", actors=["Police"]))
    assert not alone["linked"] and alone["place"] == "coarse" and not alone["corroborated"]
    later = explain(member("e1", "a1"), member("e2", "a2", event_date="2024-07-27"))
    assert not later["linked"] and not later["time"]


def test_reconcile_at_least_and_exact() -> None:
    best = reconcile([report(4, "at_least", "09"), report(5, "exact", "10")])
    assert best is not None and (best.best, best.low, best.high) == (5, 5, 5)


def test_a_later_official_figure_supersedes_estimates() -> None:
    best = reconcile(
        [report(10, "about", "09"), report(12, "exact", "10"), report(8, "exact", "11", True)]
    )
    assert best is not None and best.best == 8
    assert [r.value for r in best.reports] == [10, 12, 8]


def test_up_to_alone_gives_its_bound() -> None:
    best = reconcile([report(3, "up_to", "09")])
    assert best is not None and (best.best, best.low, best.high) == (3, 0, 3)


def test_cluster_ids_do_not_depend_on_arrival_order() -> None:
    members = [
        member("e1", "a1", published_at="2024-07-24T09:00:00+00:00"),
        member("e2", "a2"),
        member("e3", "a3", published_at="2024-07-24T11:00:00+00:00"),
        member("e4", "a4", place_name="Kharkiv", lat=49.99, lon=36.23),
    ]
    results = {tuple(sorted(cluster(list(order)))) for order in itertools.permutations(members)}
    assert len(results) == 1
    incidents = cluster(members)
    assert sorted(len(g) for g in incidents.values()) == [1, 3]


def test_state_orders_converge_and_replays_change_nothing() -> None:
    members = [
        member(f"e{i}", f"a{i}", killed=killed(i + 1), published_at=f"2024-07-24T1{i}:00:00Z")
        for i in range(4)
    ] + [member("e9", "a9", place_name="Kharkiv", lat=49.99, lon=36.23)]
    finals = set()
    for order in itertools.permutations(members):
        state = KeyState()
        for m in order:
            state.apply(m)
        assert all(state.apply(m) == [] for m in order)  # a replay publishes nothing new
        finals.add(tuple(sorted((r.id, tuple(r.event_ids)) for r in state.published.values())))
    assert len(finals) == 1
    assert sorted(len(ids) for _, ids in finals.pop()) == [1, 4]


def test_a_bridging_report_merges_two_incidents_visibly() -> None:
    state = KeyState()
    # Two places 11 km apart (each reaching 5 km), then a report of the city between them.
    west = member("e1", "a1", place_name="Port", lon=30.55, feature="place")
    east = member(
        "e2",
        "a2",
        place_name="Airfield",
        lon=30.70,
        feature="place",
        published_at="2024-07-24T11:00:00Z",
    )
    first = state.apply(west)
    second = state.apply(east)
    assert len(first) == len(second) == 1 and first[0].id != second[0].id
    bridge = member("e3", "a3", lon=30.625, published_at="2024-07-24T12:00:00Z")
    out = state.apply(bridge)
    merged = [r for r in out if r.status == "merged"]
    active = [r for r in out if r.status == "active"]
    assert len(merged) == 1 and len(active) == 1
    assert merged[0].id == second[0].id and merged[0].merged_into == first[0].id
    assert active[0].merged_from == [second[0].id]
    assert active[0].event_ids == ["e1", "e2", "e3"]


def test_retractions_remove_members_and_dissolve() -> None:
    state = KeyState()
    state.apply(member("e1", "a1", killed=killed(2)))
    [both] = state.apply(member("e2", "a2", killed=killed(3), published_at="2024-07-24T11:00Z"))
    assert both.sources.articles == ["a1", "a2"]
    out = state.apply(
        IncidentMember(op="retract", partition_key="*", article_id="a2", record_ids=["e2"])
    )
    assert [r.event_ids for r in out] == [["e1"]]
    assert out[0].casualties.killed is not None and out[0].casualties.killed.best == 2
    late = member("e2", "a2", killed=killed(3), published_at="2024-07-24T11:00Z")
    assert state.apply(late) == []  # a late replay stays out
    [gone] = state.apply(IncidentMember(op="retract", partition_key="*", article_id="a1"))
    assert gone.status == "dissolved" and gone.id == both.id and gone.event_ids == []


def test_a_new_revision_replaces_the_older_members() -> None:
    state = KeyState()
    state.apply(member("e1", "a1", killed=killed(2)))
    [old] = state.apply(member("e1", "a1", killed=killed(2)))[:0] or list(state.published.values())
    out = state.apply(member("e1b", "a1", revision="r2", killed=killed(3)))
    assert set(state.members) == {"e1b"}
    merged = [r for r in out if r.status == "merged"]
    [new] = [r for r in out if r.status == "active"]
    assert new.event_ids == ["e1b"] and new.merged_from == [old.id]
    assert [r.merged_into for r in merged] == [new.id]
    # The older revision's events stay out when replayed.
    assert state.apply(member("e1", "a1", killed=killed(2))) == []


def test_independent_outlets_leave_copies_out() -> None:
    a = member("e1", "a1", outlet="AP")
    b = member("e2", "a2", outlet="Local Post", duplicate_of="a1")
    record = build_incident("inc_x", [a, b])
    assert record.sources.outlets == ["AP", "Local Post"]
    assert record.sources.independent_outlets == ["AP"]
    assert record.sources.independent_articles == 1


def test_member_partition_is_stable() -> None:
    assert member_partition(KEY, 4) == member_partition(KEY, 4)
    assert {member_partition(f"{c}|ASSAULT", 4) for c in ("UA", "US", "RU", "FR", "DE")} != {0}


def test_incremental_state_equals_a_full_clustering_in_any_order() -> None:
    import random

    rng = random.Random(7)
    places = [("Odesa", 46.48, 30.72), ("Mykolaiv", 46.97, 31.99), ("Kherson", 46.64, 32.61)]
    members = []
    for i in range(40):
        name, lat, lon = rng.choice(places)
        day = 10 + rng.randrange(8)
        members.append(
            member(
                f"e{i:02d}",
                f"a{i:02d}",
                place_name=name,
                lat=lat,
                lon=lon,
                event_date=f"2024-07-{day}",
                published_at=f"2024-07-{day}T{rng.randrange(10, 23)}:00:00+00:00",
                actors=[rng.choice(["Russia", "Ukraine", "Police"])],
                killed=killed(rng.randrange(1, 6), rng.choice(["exact", "at_least"])),
            )
        )
    expected = {i: sorted(m.event_id or "" for m in g) for i, g in cluster(members).items()}
    assert len(expected) < 40  # some reports do merge
    for seed in range(5):
        order = members[:]
        random.Random(seed).shuffle(order)
        state = KeyState()
        for m in order:
            state.apply(m)
        got = {i: r.event_ids for i, r in state.published.items()}
        assert got == expected
        assert state.consistent()
        # Removing a member re-clusters only its incident, to what a full clustering gives.
        gone = order[0]
        state.apply(
            IncidentMember(
                op="retract", partition_key="*", article_id=gone.article_id, record_ids=[]
            )
        )
        rest = [m for m in members if m.event_id != gone.event_id]
        expected_rest = {i: sorted(m.event_id or "" for m in g) for i, g in cluster(rest).items()}
        assert {i: r.event_ids for i, r in state.published.items()} == expected_rest


def test_every_applied_state_is_consistent_and_a_torn_one_is_repaired() -> None:
    state = KeyState()
    west = member("e1", "a1", place_name="Port", lon=30.55, feature="place")
    east = member("e2", "a2", place_name="Airfield", lon=30.70, feature="place")
    bridge = member("e3", "a3", lon=30.625, published_at="2024-07-24T12:00:00Z")
    for m in (west, east, bridge):
        state.apply(m)
        assert state.consistent()
        assert state.repair() == [] and state.changed == Changes()
    [incident] = state.published.values()
    # The member bridging the two places restored without the incident that holds it: the
    # full clustering of the members is published again, the absorbed incident's last record
    # names its heir.
    torn = KeyState.from_parts(
        [m.model_dump(mode="json") for m in (west, east, bridge)],
        [state.published[incident.id].model_copy(update={"event_ids": ["e1"]}).model_dump()],
        None,
    )
    assert not torn.consistent()
    [record] = torn.repair()
    assert record.id == incident.id and record.event_ids == ["e1", "e2", "e3"]
    assert torn.consistent() and torn.changed.incidents == {incident.id}
    # A member whose retraction was restored without its removal is removed.
    state.apply(IncidentMember(op="retract", partition_key="*", article_id="a3"))
    marks = state.marks()
    torn = KeyState.from_parts(
        [m.model_dump(mode="json") for m in (west, east, bridge)],
        [r.model_dump() for r in state.published.values()],
        marks,
    )
    assert not torn.consistent()
    torn.repair()
    assert torn.consistent() and set(torn.members) == {"e1", "e2"}
    assert torn.published == state.published
