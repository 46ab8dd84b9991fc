"""Clustering: the members of one partition key grouped into incidents, with deterministic ids.

Two members are linked when :func:`~.compat.compatible` says they can report one happening; an
incident is a connected group of links. Connected groups do not depend on the order members
arrived in, and an incident's id depends only on its key and its founding member (the earliest
report, then the smallest event id), so the same members always give the same incidents under the
same ids, whatever the order of arrival and however often a stream is replayed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date

from wirestream.core.incidents.compat import DEFAULT_POLICY, Policy, compatible, member_day
from wirestream_contracts.incidents import IncidentMember

ID_PREFIX = "inc_"


def founder(members: Iterable[IncidentMember]) -> IncidentMember:
    """The founding member: the earliest report, then the smallest event id."""
    return min(members, key=lambda m: (m.published_at or "", m.event_id or ""))


def incident_id(members: Iterable[IncidentMember]) -> str:
    """``inc_`` + 24 hex digits of sha256 over the partition key and the founder's event id."""
    first = founder(members)
    digest = hashlib.sha256(f"{first.partition_key}\x1f{first.event_id}".encode()).hexdigest()
    return ID_PREFIX + digest[:24]


class _Groups:
    """Union-find over member indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def cluster(
    members: Sequence[IncidentMember], policy: Policy = DEFAULT_POLICY
) -> dict[str, list[IncidentMember]]:
    """Incidents of ``members`` (one partition key, or several: keys never link), by id; each
    incident's members sorted by (publication, event id). Members are compared only with members
    whose day is within the policy's widest window, after sorting by day."""
    dated = sorted(
        ((day, m) for m in members if (day := member_day(m)) is not None),
        key=lambda dm: (dm[0], dm[1].event_id or ""),
    )
    groups = _Groups(len(dated))
    window = max(policy.event_days, policy.report_days)
    for i, (day_i, a) in enumerate(dated):
        for j in range(i + 1, len(dated)):
            day_j, b = dated[j]
            if (day_j - day_i).days > window:
                break
            if compatible(a, b, policy):
                groups.union(i, j)
    by_root: dict[int, list[IncidentMember]] = {}
    for i, (_, m) in enumerate(dated):
        by_root.setdefault(groups.find(i), []).append(m)
    out: dict[str, list[IncidentMember]] = {}
    for group in by_root.values():
        group.sort(key=lambda m: (m.published_at or "", m.event_id or ""))
        out[incident_id(group)] = group
    return dict(sorted(out.items()))


def newest_day(members: Iterable[IncidentMember]) -> date | None:
    days = [d for m in members if (d := member_day(m)) is not None]
    return max(days) if days else None
