"""The state of one partition key: its members, what was retracted, what was published.

:meth:`KeyState.apply` takes one :class:`IncidentMember` (an event to add or a retraction) and
returns the incident records to publish: every incident whose content changed, a last record
(``status: "merged"``, ``merged_into``) for an incident another absorbed (or whose article's
newer revision now lies in another), and a last record
(``status: "dissolved"``) for one whose members were all retracted.

The state is a set of members plus a set of retractions, and the incidents are a pure function of
the members (:func:`~.cluster.cluster`): adding a member twice, or replaying a retraction, changes
nothing, and a retracted event or article revision never comes back (a redelivered event after its
retraction stays out). That is what makes the stage correct under at-least-once delivery: a crash
replays messages, the replay lands on the same state, and the same incidents are published under
the same ids. A newer revision of an article replaces the members of its older revisions (the
extractor also publishes a retraction for them). Members older than ``horizon_days`` before the
key's newest member are forgotten (their incidents stay as last published).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from wirestream.core.incidents.cluster import cluster, newest_day
from wirestream.core.incidents.compat import DEFAULT_POLICY, Policy, member_day
from wirestream.core.incidents.reconcile import build_incident, final_record
from wirestream_contracts.incidents import IncidentMember, IncidentRecord

DEFAULT_HORIZON_DAYS = 30


def _digest(record: IncidentRecord) -> str:
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()[:16]


@dataclass
class KeyState:
    """One partition key's memory (serialised with :meth:`to_dict` into a changelogged table)."""

    members: dict[str, IncidentMember] = field(default_factory=dict)
    retracted_events: set[str] = field(default_factory=set)
    retracted_articles: set[str] = field(default_factory=set)
    """``article_id`` (every revision) or ``article_id\\x1frevision``."""
    revisions: dict[str, str] = field(default_factory=dict)
    """Latest revision seen per article id."""
    published: dict[str, IncidentRecord] = field(default_factory=dict)
    """The last active record published per incident id."""
    absorbed: dict[str, list[str]] = field(default_factory=dict)
    """Per surviving incident: the incidents it absorbed."""

    # --- changes ---------------------------------------------------------------------------

    def _is_retracted(self, m: IncidentMember) -> bool:
        return (
            (m.event_id or "") in self.retracted_events
            or m.article_id in self.retracted_articles
            or f"{m.article_id}\x1f{m.revision}" in self.retracted_articles
        )

    def _add(self, m: IncidentMember) -> None:
        if m.event_id is None or self._is_retracted(m):
            return
        latest = self.revisions.get(m.article_id)
        if m.revision is not None and latest is not None and latest != m.revision:
            self.retracted_articles.add(f"{m.article_id}\x1f{latest}")
            self._drop(lambda x: x.article_id == m.article_id and x.revision == latest)
        if m.revision is not None:
            self.revisions[m.article_id] = m.revision
        self.members[m.event_id] = m

    def _retract(self, m: IncidentMember) -> None:
        if m.record_ids:
            ids = set(m.record_ids)
            self.retracted_events |= ids
            self._drop(lambda x: x.event_id in ids)
            return
        tag = m.article_id if m.revision is None else f"{m.article_id}\x1f{m.revision}"
        self.retracted_articles.add(tag)
        self._drop(self._is_retracted)

    def remember(self, retraction: IncidentMember) -> None:
        """Take a retraction without publishing (one already applied to other keys, replayed
        here before a member of its article is added)."""
        self._retract(retraction)

    def _drop(self, gone: Any) -> None:
        for event_id in [k for k, v in self.members.items() if gone(v)]:
            del self.members[event_id]

    def _expire(self, horizon_days: int) -> None:
        newest = newest_day(self.members.values())
        if newest is None:
            return
        cutoff = newest - timedelta(days=horizon_days)
        old = {
            k for k, v in self.members.items() if (d := member_day(v)) is not None and d < cutoff
        }
        for event_id in old:
            del self.members[event_id]
        live = {v.event_id for v in self.members.values()}
        for incident_id in [i for i, r in self.published.items() if not set(r.event_ids) & live]:
            if set(self.published[incident_id].event_ids) & old:
                del self.published[incident_id]
                self.absorbed.pop(incident_id, None)

    # --- incidents -------------------------------------------------------------------------

    def apply(
        self,
        m: IncidentMember,
        policy: Policy = DEFAULT_POLICY,
        horizon_days: int = DEFAULT_HORIZON_DAYS,
    ) -> list[IncidentRecord]:
        """Take one member or retraction; the records to publish, in a deterministic order."""
        if m.op == "add":
            self._add(m)
        else:
            self._retract(m)
        self._expire(horizon_days)
        return self._publish(policy)

    def _publish(self, policy: Policy) -> list[IncidentRecord]:
        groups = cluster(list(self.members.values()), policy)
        owner = {m.event_id: iid for iid, group in groups.items() for m in group}
        # A newer revision's members carry on the incident its older revision's were in.
        article_owner = {
            m.article_id: iid for iid, group in sorted(groups.items(), reverse=True) for m in group
        }
        out: list[IncidentRecord] = []
        for old_id in sorted(set(self.published) - set(groups)):
            previous = self.published.pop(old_id)
            heirs = [owner[e] for e in previous.event_ids if e in owner] or [
                article_owner[a] for a in previous.sources.articles if a in article_owner
            ]
            survivor = min(set(heirs), key=lambda i: (-heirs.count(i), i)) if heirs else None
            if survivor is not None:
                self.absorbed.setdefault(survivor, []).append(old_id)
                self.absorbed[survivor].extend(self.absorbed.pop(old_id, []))
            else:
                self.absorbed.pop(old_id, None)
            out.append(final_record(previous, survivor))
        for incident_id, group in groups.items():
            record = build_incident(incident_id, group, self.absorbed.get(incident_id, []))
            last = self.published.get(incident_id)
            if last is None or _digest(last) != _digest(record):
                self.published[incident_id] = record
                out.append(record)
        return out

    # --- serialisation ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "members": [m.model_dump(mode="json") for m in self.members.values()],
            "retracted_events": sorted(self.retracted_events),
            "retracted_articles": sorted(self.retracted_articles),
            "revisions": dict(sorted(self.revisions.items())),
            "published": [r.model_dump(mode="json") for r in self.published.values()],
            "absorbed": {k: sorted(v) for k, v in sorted(self.absorbed.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> KeyState:
        if not data:
            return cls()
        members = [IncidentMember.model_validate(m) for m in data.get("members", [])]
        published = [IncidentRecord.model_validate(r) for r in data.get("published", [])]
        return cls(
            members={m.event_id or "": m for m in members},
            retracted_events=set(data.get("retracted_events", [])),
            retracted_articles=set(data.get("retracted_articles", [])),
            revisions=dict(data.get("revisions", {})),
            published={r.id: r for r in published},
            absorbed={k: list(v) for k, v in data.get("absorbed", {}).items()},
        )
