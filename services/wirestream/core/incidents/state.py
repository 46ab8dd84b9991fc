"""The state of one partition key: its members, what was retracted, what was published.

:meth:`KeyState.apply` takes one :class:`IncidentMember` (an event to add, a retraction, or an
article's copy marking from the copies stage) and returns the incident records to publish: every incident whose content changed, a last record
(``status: "merged"``, ``merged_into``) for an incident another absorbed (or whose article's
newer revision now lies in another), and a last record (``status: "dissolved"``) for one whose
members were all retracted.

The incidents are the connected groups of compatible members (:func:`~.cluster.cluster`), kept
incrementally: an added member joins (and so merges) the groups of the compatible members within
the time window - looked up in a per-day index, so the cost of a member does not grow with the
key's size - and a removal re-clusters only the group it leaves. The groups are exactly those a
full :func:`~.cluster.cluster` of the members gives, so the state is a function of the set of
members, retractions and copy markings (a member's ``duplicate_of`` is its article's marking
when one was seen, whether before or after the member, else the article record's per-worker
hint; a marking changes an incident's sources, never its members): adding a member twice or replaying a retraction changes nothing, and a
retracted event or article revision never comes back. That is what makes the stage correct under
at-least-once delivery. A newer revision of an article replaces the members of its older
revisions (the extractor also publishes a retraction for them). Incidents whose newest member is
more than ``horizon_days`` older than the key's newest member are forgotten (they stay as last
published), a member already that old when it arrives is ignored, and a retraction or copy marking
is forgotten once every member it concerned is that old (its day: the key's newest day when it was
noted, raised to the day of every member it removed, kept out or marked), so a key's memory stays
bounded by the horizon.

The service persists the state in parts (:meth:`KeyState.changes` says which members, incidents
and marks changed), so a message costs a few small changelog writes, not the whole key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from wirestream.core.incidents.cluster import cluster, incident_id
from wirestream.core.incidents.compat import DEFAULT_POLICY, Policy, compatible, member_day
from wirestream.core.incidents.reconcile import build_incident, final_record
from wirestream_contracts.incidents import IncidentMember, IncidentRecord

DEFAULT_HORIZON_DAYS = 30


@dataclass
class Changes:
    """What one :meth:`KeyState.apply` changed, for the service to persist."""

    members: set[str] = field(default_factory=set)
    incidents: set[str] = field(default_factory=set)
    marks: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.members | other.members,
            self.incidents | other.incidents,
            self.marks or other.marks,
        )


@dataclass
class KeyState:
    """One partition key's memory."""

    members: dict[str, IncidentMember] = field(default_factory=dict)
    retracted_events: set[str] = field(default_factory=set)
    retracted_articles: set[str] = field(default_factory=set)
    """``article_id`` (every revision) or ``article_id\\x1frevision``."""
    copies: dict[str, str | None] = field(default_factory=dict)
    """Per article id: the copies stage's marking (``duplicate_of``; None: an original)."""
    published: dict[str, IncidentRecord] = field(default_factory=dict)
    """The last active record published per incident id (its ``event_ids`` are its members)."""
    noted: dict[str, date] = field(default_factory=dict)
    """Per mark (:func:`_mark`): the newest day of what it concerns; forgotten past the horizon."""
    newest: date | None = None
    by_day: dict[date, set[str]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    changed: Changes = field(default_factory=Changes)

    def __post_init__(self) -> None:
        for m in self.members.values():
            self._index(m)
        for record in self.published.values():
            for event_id in record.event_ids:
                self.owner[event_id] = record.id

    # --- members -----------------------------------------------------------------------------

    def _index(self, m: IncidentMember) -> None:
        day = member_day(m)
        if day is not None and m.event_id:
            self.by_day.setdefault(day, set()).add(m.event_id)
            self.newest = day if self.newest is None else max(self.newest, day)

    def _remove(self, event_id: str) -> None:
        m = self.members.pop(event_id)
        day = member_day(m)
        if day is not None:
            self.by_day.get(day, set()).discard(event_id)
        self.changed.members.add(event_id)

    def _is_retracted(self, m: IncidentMember) -> bool:
        return (
            (m.event_id or "") in self.retracted_events
            or m.article_id in self.retracted_articles
            or f"{m.article_id}\x1f{m.revision}" in self.retracted_articles
        )

    def _retracting(self, m: IncidentMember) -> list[str]:
        """The marks (:func:`_mark`) that keep ``m`` out."""
        marks = (
            [_mark("e", m.event_id or "")] if (m.event_id or "") in self.retracted_events else []
        )
        for tag in (m.article_id, f"{m.article_id}\x1f{m.revision}"):
            if tag in self.retracted_articles:
                marks.append(_mark("a", tag))
        return marks

    def _touch(self, marks: Iterable[str], day: date | None) -> None:
        """Raise the day of ``marks`` to ``day`` (unknown days are set at the next expiry)."""
        for mark in marks:
            noted = self.noted.get(mark)
            if day is not None and (noted is None or noted < day):
                self.noted[mark] = day
                self.changed.marks = True

    def remember(self, retraction: IncidentMember) -> None:
        """Note a retraction without publishing (one already applied elsewhere, replayed here
        before a member of its article is added)."""
        if retraction.record_ids:
            self.retracted_events |= set(retraction.record_ids)
            marks = [_mark("e", e) for e in retraction.record_ids]
        elif retraction.revision is None:
            self.retracted_articles.add(retraction.article_id)
            marks = [_mark("a", retraction.article_id)]
        else:
            tag = f"{retraction.article_id}\x1f{retraction.revision}"
            self.retracted_articles.add(tag)
            marks = [_mark("a", tag)]
        self._touch(marks, self.newest)
        self.changed.marks = True

    def note_copy(self, mark: IncidentMember) -> None:
        """Note a copy marking without publishing (one seen before a member of its article)."""
        self.copies[mark.article_id] = mark.duplicate_of
        self._touch([_mark("c", mark.article_id)], self.newest)
        self.changed.marks = True

    def _marked(self, m: IncidentMember) -> IncidentMember:
        """``m`` with its article's copy marking, when there is one."""
        if m.article_id not in self.copies:
            return m
        self._touch([_mark("c", m.article_id)], member_day(m))
        if self.copies[m.article_id] == m.duplicate_of:
            return m
        return m.model_copy(update={"duplicate_of": self.copies[m.article_id]})

    def _copy(self, mark: IncidentMember) -> list[IncidentRecord]:
        """Apply a copy marking: the article's members take it and the incidents holding them
        are built again (their sources change; their members do not)."""
        self.note_copy(mark)
        touched: set[str] = set()
        for event_id, m in sorted(self.members.items()):
            if m.article_id == mark.article_id and m.duplicate_of != mark.duplicate_of:
                self.members[event_id] = self._marked(m)
                self.changed.members.add(event_id)
                if event_id in self.owner:
                    touched.add(self.owner[event_id])
        out: list[IncidentRecord] = []
        for iid in sorted(touched):
            before = self.published[iid]
            members = [self.members[e] for e in before.event_ids if e in self.members]
            record = build_incident(iid, members, before.merged_from)
            if record != before:
                self.published[iid] = record
                self.changed.incidents.add(iid)
                out.append(record)
        return out

    def _gone(self, m: IncidentMember) -> list[str]:
        """Members an add or a retraction removes."""
        if m.op == "retract":
            self.remember(m)
            return sorted(k for k, v in self.members.items() if self._is_retracted(v))
        older = {
            v.revision
            for v in self.members.values()
            if v.article_id == m.article_id and m.revision is not None and v.revision != m.revision
        }
        for revision in sorted(r for r in older if r is not None):
            self.retracted_articles.add(f"{m.article_id}\x1f{revision}")
            self._touch([_mark("a", f"{m.article_id}\x1f{revision}")], self.newest)
            self.changed.marks = True
        return sorted(k for k, v in self.members.items() if self._is_retracted(v))

    # --- incidents ---------------------------------------------------------------------------

    def apply(
        self,
        m: IncidentMember,
        policy: Policy = DEFAULT_POLICY,
        horizon_days: int = DEFAULT_HORIZON_DAYS,
    ) -> list[IncidentRecord]:
        """Take one member, retraction or copy marking; the records to publish, in a
        deterministic order."""
        self.changed = Changes()
        if m.op == "copy":
            return self._copy(m)
        m = self._marked(m)
        if m.op == "add" and (m.event_id is None or self._too_old(m, horizon_days)):
            return []
        if m.op == "add" and self._is_retracted(m):
            self._touch(self._retracting(m), member_day(m))
            return []
        if m.op == "add" and m.event_id in self.members and self.members[m.event_id] == m:
            return []
        gone = self._gone(m)
        touched = {self.owner[e] for e in gone if e in self.owner}
        for event_id in gone:
            self._touch(
                self._retracting(self.members[event_id]), member_day(self.members[event_id])
            )
            self._remove(event_id)
        groups: list[set[str]] = []
        for old in sorted(touched):
            rest = [self.members[e] for e in self.published[old].event_ids if e in self.members]
            groups.extend({x.event_id or "" for x in g} for g in cluster(rest, policy).values())
        if m.op == "add" and m.event_id is not None:
            groups = self._join(m, groups, touched, policy)
        out = self._publish(groups, touched)
        self._expire(horizon_days)
        return out

    def _join(
        self, m: IncidentMember, groups: list[set[str]], touched: set[str], policy: Policy
    ) -> list[set[str]]:
        """Add ``m``: its group is itself plus every group holding a compatible member."""
        event_id = m.event_id or ""
        self.members[event_id] = m
        self.changed.members.add(event_id)
        self._index(m)
        day = member_day(m)
        joined = {event_id}
        if day is not None:
            window = max(policy.event_days, policy.report_days)
            for offset in range(-window, window + 1):
                for other in sorted(self.by_day.get(day + timedelta(days=offset), ())):
                    if other != event_id and compatible(m, self.members[other], policy):
                        joined.add(other)
        merged: set[str] = set(joined)
        kept = []
        for group in groups:
            if group & joined:
                merged |= group
            else:
                kept.append(group)
        for other in sorted(joined - {event_id}):
            old = self.owner.get(other)
            if old is not None and old not in touched and old in self.published:
                touched.add(old)
                merged |= set(self.published[old].event_ids)
        return [*kept, merged]

    def _publish(self, groups: list[set[str]], touched: set[str]) -> list[IncidentRecord]:
        """Records for the groups that replace the ``touched`` incidents."""
        new: dict[str, list[IncidentMember]] = {}
        for group in groups:
            members = [self.members[e] for e in sorted(group) if e in self.members]
            if members:
                new[incident_id(members)] = members
        heir = {e: iid for iid, ms in new.items() for m in ms if (e := m.event_id)}
        by_article = {
            m.article_id: iid for iid, ms in sorted(new.items(), reverse=True) for m in ms
        }
        out: list[IncidentRecord] = []
        absorbed: dict[str, list[str]] = {}
        for old in sorted(touched - set(new)):
            previous = self.published.pop(old)
            heirs = [heir[e] for e in previous.event_ids if e in heir] or [
                by_article[a] for a in previous.sources.articles if a in by_article
            ]
            survivor = min(set(heirs), key=lambda i: (-heirs.count(i), i)) if heirs else None
            if survivor is not None:
                absorbed.setdefault(survivor, []).extend([old, *previous.merged_from])
            out.append(final_record(previous, survivor))
            self.changed.incidents.add(old)
        for iid, members in sorted(new.items()):
            before = self.published.get(iid)
            merged_from = [*(before.merged_from if before else []), *absorbed.get(iid, [])]
            record = build_incident(iid, members, merged_from)
            for m in members:
                self.owner[m.event_id or ""] = iid
            if before != record:
                self.published[iid] = record
                self.changed.incidents.add(iid)
                out.append(record)
        for event_id in [e for e, i in self.owner.items() if e not in self.members]:
            del self.owner[event_id]
        return out

    def _too_old(self, m: IncidentMember, horizon_days: int) -> bool:
        """Whether ``m`` is dated before the horizon (it would be forgotten at once)."""
        day = member_day(m)
        return (
            day is not None
            and self.newest is not None
            and (day < self.newest - timedelta(days=horizon_days))
        )

    def _expire(self, horizon_days: int) -> None:
        """Forget incidents whose newest member is older than the horizon (no record), then the
        marks (:meth:`_expire_marks`)."""
        if self.newest is None:
            return
        cutoff = self.newest - timedelta(days=horizon_days)
        for iid, record in sorted(self.published.items()):
            days = [member_day(self.members[e]) for e in record.event_ids if e in self.members]
            if days and all(d is not None and d < cutoff for d in days):
                for event_id in record.event_ids:
                    if event_id in self.members:
                        self._remove(event_id)
                    self.owner.pop(event_id, None)
                del self.published[iid]
                self.changed.incidents.add(iid)
        for day in [d for d in self.by_day if d < cutoff and not self.by_day[d]]:
            del self.by_day[day]
        self._expire_marks(cutoff)

    def _expire_marks(self, cutoff: date) -> None:
        """Give marks without a day the newest day; forget those dated before ``cutoff`` (every
        member they concerned is older than the horizon, so one coming again is ignored), except
        a copy marking of an article with a member still held."""
        held = {m.article_id for m in self.members.values()}
        for kind, names in (("e", self.retracted_events), ("a", self.retracted_articles)):
            for name in sorted(names):
                if self._expired(_mark(kind, name), cutoff):
                    names.discard(name)
        for article in sorted(self.copies):
            if article not in held and self._expired(_mark("c", article), cutoff):
                del self.copies[article]

    def _expired(self, mark: str, cutoff: date) -> bool:
        """Whether ``mark`` is dated before ``cutoff``; dates it (the newest day) when undated.
        An expired mark is dropped from :attr:`noted` (the caller drops the mark)."""
        day = self.noted.get(mark)
        if day is None and self.newest is not None:
            self.noted[mark] = self.newest
            self.changed.marks = True
        elif day is not None and day < cutoff:
            del self.noted[mark]
            self.changed.marks = True
            return True
        return False

    # --- repair ------------------------------------------------------------------------------

    def consistent(self) -> bool:
        """Whether the published incidents are exactly what the members make: no member
        retracted, every member in one incident, every incident's members present, its id and
        record theirs. True of every state :meth:`apply` leaves; a crash between one message's
        table writes (each changelog a topic of its own) can restore parts of different
        moments."""
        if any(self._is_retracted(m) for m in self.members.values()):
            return False
        seen: set[str] = set()
        for iid, record in self.published.items():
            ids = set(record.event_ids)
            if not ids or ids & seen or not ids <= self.members.keys():
                return False
            seen |= ids
            members = [self.members[e] for e in record.event_ids]
            if incident_id(members) != iid or build_incident(iid, members, record.merged_from) != (
                record
            ):
                return False
        return seen == self.members.keys()

    def repair(self, policy: Policy = DEFAULT_POLICY) -> list[IncidentRecord]:
        """When not :meth:`consistent`: the retracted members removed and the published
        incidents replaced by a full clustering of the rest (the last records of those that go,
        the new records of those that change), which :attr:`changed` names for the service to
        persist; else nothing."""
        self.changed = Changes()
        if self.consistent():
            return []
        for event_id in [e for e, m in sorted(self.members.items()) if self._is_retracted(m)]:
            self._remove(event_id)
        members = list(self.members.values())
        groups = [{m.event_id or "" for m in g} for g in cluster(members, policy).values()]
        groups += [{m.event_id or ""} for m in members if member_day(m) is None]
        return self._publish(groups, set(self.published))

    # --- persistence -------------------------------------------------------------------------

    def marks(self) -> dict[str, Any]:
        return {
            "retracted_events": sorted(self.retracted_events),
            "retracted_articles": sorted(self.retracted_articles),
            "copies": dict(sorted(self.copies.items())),
            "noted": {k: v.isoformat() for k, v in sorted(self.noted.items())},
            "newest": self.newest.isoformat() if self.newest else None,
        }

    @classmethod
    def from_parts(
        cls,
        members: Iterable[dict[str, Any]],
        published: Iterable[dict[str, Any]],
        marks: dict[str, Any] | None,
    ) -> KeyState:
        """The state from its persisted parts (as :meth:`changes` named them)."""
        loaded = [IncidentMember.model_validate(m) for m in members]
        marks = marks or {}
        newest = marks.get("newest")
        state = cls(
            members={m.event_id or "": m for m in loaded},
            retracted_events=set(marks.get("retracted_events", [])),
            retracted_articles=set(marks.get("retracted_articles", [])),
            copies=dict(marks.get("copies", {})),
            noted={k: date.fromisoformat(v) for k, v in marks.get("noted", {}).items()},
            published={r.id: r for r in (IncidentRecord.model_validate(p) for p in published)},
        )
        if newest is not None:  # the clock never goes back, whatever was retracted since
            day = date.fromisoformat(newest)
            state.newest = day if state.newest is None else max(state.newest, day)
        return state


def _mark(kind: str, name: str) -> str:
    """The name of a mark in :attr:`KeyState.noted`: ``e`` a retracted event, ``a`` a retracted
    article (or revision), ``c`` a copy marking."""
    return f"{kind}:{name}"


__all__ = ["DEFAULT_HORIZON_DAYS", "Changes", "KeyState"]
