"""The incident campaign's pure parts: the member stream, the plan, the check and the report."""

from __future__ import annotations

import itertools
import shlex
from pathlib import Path

import pytest

from wirestream.chaos import incidentreport
from wirestream.chaos.incidentcheck import check_incidents, replay_differences
from wirestream.chaos.incidentplan import RESTART_GAP, plan_incident_run
from wirestream.chaos.members import MemberStream, member_stream
from wirestream.chaos.plan import FAULT_WINDOW, INCIDENT_FAULT_KINDS, ChaosConfig, replay_command
from wirestream.chaos.results import FaultOutcome, IncidentRunResult
from wirestream.core.incidents import build_incident, cluster
from wirestream.errors import ConfigurationError
from wirestream.incidents.agents import ALL_KEYS
from wirestream_contracts.incidents import IncidentRecord

INCIDENTS = ChaosConfig(stage="incidents", fault_kinds=INCIDENT_FAULT_KINDS, faults=4)


def records_of(stream: MemberStream) -> dict[str, IncidentRecord]:
    """What a correct worker leaves: the clustering of the standing members, built as records."""
    return {
        incident_id: build_incident(incident_id, group)
        for incident_id, group in cluster(stream.standing()).items()
    }


def test_the_stream_is_one_member_per_report_shuffled_by_the_seed() -> None:
    stream = member_stream(5, happenings=12, reports=3, retractions=4)
    assert len(stream.members) == 36 and len(stream.order) == 40
    assert sorted(m.event_id or "" for m in stream.members) == sorted(
        f"e{i:03d}-{j}" for i in range(12) for j in range(3)
    )
    assert [m.article_id for m in stream.order if m.op == "retract"] != []
    assert all(m.partition_key == ALL_KEYS for m in stream.order if m.op == "retract")
    assert len(set(stream.retracted)) == 4
    assert member_stream(5, 12, 3, 4) == stream and member_stream(6, 12, 3, 4) != stream


def test_the_pure_clustering_makes_one_incident_per_standing_happening() -> None:
    stream = member_stream(9, happenings=40, reports=2, retractions=6)
    expected = stream.expected()
    standing = {stream.happening_of(m.event_id or "") for m in stream.standing()}
    assert len(expected) == len(standing)
    for event_ids in expected.values():
        assert len({stream.happening_of(e) for e in event_ids}) == 1


def test_given_retractions_come_after_every_member_in_order() -> None:
    stream = member_stream(16, happenings=48, reports=4, retractions=("a005-1", "a017-0"))
    assert [m.article_id for m in stream.order[-2:]] == ["a005-1", "a017-0"]
    assert all(m.op == "add" for m in stream.order[:-2])


def test_out_of_range_streams_are_refused() -> None:
    with pytest.raises(ConfigurationError):
        member_stream(1, happenings=101)
    with pytest.raises(ConfigurationError):
        ChaosConfig(stage="incidents", fault_kinds=("poison",)).check()


def test_a_correct_outcome_checks_clean_and_the_replay_is_the_same() -> None:
    stream = member_stream(3, happenings=10, reports=3, retractions=2)
    records = records_of(stream)
    check = check_incidents(stream, records)
    assert check.ok, check
    assert (
        check.expected
        == check.active
        == 10
        - sum(1 for h in range(10) if all(f"a{h:03d}-{j}" in stream.retracted for j in range(3)))
    )
    assert replay_differences(records, dict(records)) == []


def test_every_kind_of_wrong_outcome_is_named() -> None:
    stream = member_stream(4, happenings=6, reports=3, retractions=("a001-0",))
    records = records_of(stream)
    by_happening = {stream.happening_of(r.event_ids[0]): k for k, r in records.items()}
    # lost: happening 2's incident is gone; retracted back and in two: a001-0's event joins 3's.
    lost_id = by_happening[2]
    del records[lost_id]
    other = records[by_happening[3]]
    records[by_happening[3]] = other.model_copy(
        update={"event_ids": sorted([*other.event_ids, "e001-0", "e004-1"])}
    )
    check = check_incidents(stream, records)
    assert not check.ok
    assert check.lost == ("e002-0", "e002-1", "e002-2")
    assert check.missing == (lost_id,)
    assert check.resurrected == ("e001-0",)
    assert check.in_two == ("e004-1",)
    assert check.wrong == (by_happening[3],)
    assert check.duplicate == (1, 4)


def test_a_merged_record_does_not_count_and_a_differing_replay_is_named() -> None:
    stream = member_stream(2, happenings=4, reports=2, retractions=0)
    records = records_of(stream)
    first = sorted(records)[0]
    gone = dict(records)
    gone[first] = records[first].model_copy(update={"status": "merged", "merged_into": "x"})
    assert check_incidents(stream, gone).missing == (first,)
    changed = dict(records)
    changed[first] = records[first].model_copy(update={"actors": ["Other"]})
    assert replay_differences(records, changed) == [f"differs: {first} (actors)"]
    assert replay_differences(records, gone) == [f"only in the run: {first}"]


@pytest.mark.parametrize("seed", range(30))
def test_faults_are_sorted_in_the_window_one_worker_down_at_a_time(seed: int) -> None:
    plan = plan_incident_run(seed, INCIDENTS)
    assert plan == plan_incident_run(seed, INCIDENTS)
    times = [f.at for f in plan.faults]
    assert times == sorted(times) and len(times) == INCIDENTS.faults
    assert times[0] >= FAULT_WINDOW[0] * plan.publish_seconds
    worker_faults = [f for f in plan.faults if f.kind in ("sigkill", "sigterm")]
    for before, after in itertools.pairwise(worker_faults):
        assert after.at >= before.at + (before.delay or 0.0) + RESTART_GAP
    assert all(f.delay is not None for f in plan.faults), "every worker is started again"
    assert {f.kind for f in plan.faults} <= set(INCIDENT_FAULT_KINDS)


def test_the_replay_command_names_the_stage_and_its_stream() -> None:
    config = ChaosConfig(stage="incidents", fault_kinds=("sigkill",), happenings=20, reports=3)
    args = shlex.split(replay_command(config, 77))
    assert args[args.index("--stage") + 1] == "incidents"
    assert args[args.index("--happenings") + 1] == "20"
    assert args[args.index("--reports") + 1] == "3"
    assert args[args.index("--seed") + 1] == "77"
    assert "--articles" not in args


def test_the_report_says_what_failed(tmp_path: Path) -> None:
    stream = member_stream(1, happenings=4, reports=2, retractions=0)
    records = records_of(stream)
    lost = sorted(records)[0]
    del records[lost]
    plan = plan_incident_run(1, ChaosConfig(stage="incidents", fault_kinds=("sigkill",), faults=1))
    result = IncidentRunResult(
        number=1,
        seed=1,
        prefix="p.",
        work_dir=tmp_path,
        replay="wirestream chaos ...",
        check=check_incidents(stream, records),
        faults=[FaultOutcome(plan.faults[0], started=3.0, effective=3.1, restarted=9.0)],
        publish_seconds=10.0,
        last_fault_end=9.0,
        converged_at=None,
        health={},
        stall=(None, 0.0),
        shutdown={"worker-0": 0},
        replay_check=check_incidents(stream, records_of(stream)),
    )
    text = incidentreport.render([result])
    assert "run 1: FAIL" in text and "lost member: " in text and f"missing incident: {lost}" in text
    assert "| 1 | 1 | sigkill |" in text and "never" in text
    document = incidentreport.to_json([result], command="c")
    assert document["failed"] and document["runs"][0]["missing_incidents"] == [lost]
