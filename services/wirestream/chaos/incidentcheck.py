"""The incidents a run left against what the member stream must give (pure).

The input is the latest record per key of the incidents topic as a ``read_committed`` consumer
sees it. Only ``active`` records count (``merged`` and ``dissolved`` ones are history). Checked:

- **lost**: a standing (not retracted) member in no active incident;
- **in two**: a member in more than one active incident;
- **resurrected**: a retracted (or unknown) member in an active incident;
- **wrong**: an active incident whose id the pure clustering of the standing members
  (:meth:`~wirestream.chaos.members.MemberStream.expected`) does not make, or makes with other
  event ids; **missing**: an incident it makes that is not active;
- **duplicate**: a happening whose members sit in more than one active incident.

A replay of the same stream under a new group compares by :func:`replay_differences`: the same
active ids with the same contents (``merged_from`` left out: what a run absorbed on its way).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wirestream.chaos.members import MemberStream
from wirestream_contracts.incidents import IncidentRecord


@dataclass(frozen=True)
class IncidentCheck:
    """The outcome for one run (see the module docstring); tuples of event or incident ids,
    ``duplicate`` of happening numbers."""

    published: int
    standing: int
    expected: int
    active: int
    lost: tuple[str, ...]
    in_two: tuple[str, ...]
    resurrected: tuple[str, ...]
    wrong: tuple[str, ...]
    missing: tuple[str, ...]
    duplicate: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.in_two
            or self.resurrected
            or self.wrong
            or self.missing
            or self.duplicate
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "members_published": self.published,
            "standing_members": self.standing,
            "expected_incidents": self.expected,
            "active_incidents": self.active,
            "lost_members": list(self.lost),
            "members_in_two_incidents": list(self.in_two),
            "resurrected_members": list(self.resurrected),
            "wrong_incidents": list(self.wrong),
            "missing_incidents": list(self.missing),
            "duplicate_incidents_for_happenings": list(self.duplicate),
        }


def active(latest: Mapping[str, IncidentRecord]) -> dict[str, IncidentRecord]:
    return {key: r for key, r in latest.items() if r.status == "active"}


def check_incidents(stream: MemberStream, latest: Mapping[str, IncidentRecord]) -> IncidentCheck:
    """Check the incidents a run left (see the module docstring)."""
    expected = stream.expected()
    standing = {m.event_id or "" for m in stream.standing()}
    records = active(latest)
    holders: dict[str, list[str]] = defaultdict(list)
    places: dict[int, set[str]] = defaultdict(set)
    for incident_id, record in records.items():
        for event_id in record.event_ids:
            holders[event_id].append(incident_id)
            happening = stream.happening_of(event_id)
            if happening is not None:
                places[happening].add(incident_id)
    wrong = [
        i for i, r in records.items() if r.id != i or expected.get(i) != tuple(sorted(r.event_ids))
    ]
    return IncidentCheck(
        published=len(stream.order),
        standing=len(standing),
        expected=len(expected),
        active=len(records),
        lost=tuple(sorted(standing - set(holders))),
        in_two=tuple(sorted(e for e, ids in holders.items() if len(ids) > 1)),
        resurrected=tuple(sorted(set(holders) - standing)),
        wrong=tuple(sorted(wrong)),
        missing=tuple(sorted(set(expected) - set(records))),
        duplicate=tuple(sorted(h for h, ids in places.items() if len(ids) > 1)),
    )


def contents(latest: Mapping[str, IncidentRecord]) -> dict[str, Any]:
    """The active incidents as JSON data, without ``merged_from``."""
    return {
        key: record.model_dump(mode="json", exclude={"merged_from"})
        for key, record in active(latest).items()
    }


def replay_differences(
    run: Mapping[str, IncidentRecord], replay: Mapping[str, IncidentRecord]
) -> list[str]:
    """What differs between a run's active incidents and a replay's: ids only in one of them,
    and ids whose contents differ (named with the differing fields). Empty: the same."""
    first, second = contents(run), contents(replay)
    out = [f"only in the run: {i}" for i in sorted(set(first) - set(second))]
    out.extend(f"only in the replay: {i}" for i in sorted(set(second) - set(first)))
    for incident_id in sorted(set(first) & set(second)):
        a, b = first[incident_id], second[incident_id]
        fields = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        if fields:
            out.append(f"differs: {incident_id} ({', '.join(fields)})")
    return out
