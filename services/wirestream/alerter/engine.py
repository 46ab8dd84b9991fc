"""Rule evaluation, in two steps that the faust worker runs in two agents.

1. :class:`Matcher` (stateless, per record): which rules a record satisfies, and in which group
   (``group_by``). Each match is a :class:`Hit`. Background events never match.
2. :class:`Evaluator` (stateful, per rule+group): counts hits in a sliding window (``window``) and
   applies the suppression window, returning an :class:`AlertRecord` when a rule fires.

The state lives in two mappings keyed ``<rule>\\x1f<group>`` - plain dicts in tests, faust tables
in the worker (the hits are re-keyed by rule+group first, so one partition owns each key). Times
are the Kafka timestamps of the records (milliseconds), so a replay decides the same way; a record
seen twice in a window (published twice) counts once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from wirestream.alerter.rules import THRESHOLD_FIELDS, Rule
from wirestream.core.contracts import AlertRecord
from wirestream.core.ids import record_id

SEP = "\x1f"
SUMMARY_CHARS = 200


@dataclass(frozen=True)
class Hit:
    """One record satisfying one rule."""

    rule: str
    group: str
    record_id: str
    article_id: str
    timestamp_ms: int
    summary: str
    level: tuple[int, ...] | None = None
    """Incident rules: how many thresholds of each at-least condition the incident reached."""

    @property
    def key(self) -> str:
        return f"{self.rule}{SEP}{self.group}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hit:
        level = data.get("level")
        return cls(**{**data, "level": tuple(level) if level is not None else None})


def _fold(text: Any) -> str:
    return str(text).casefold().strip() if text is not None else ""


def _get(record: dict[str, Any], *path: str) -> Any:
    value: Any = record
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _locations(record: dict[str, Any]) -> list[dict[str, Any]]:
    out = [record["location"]] if isinstance(record.get("location"), dict) else []
    out += [loc for loc in record.get("locations") or [] if isinstance(loc, dict)]
    return out


def _names(record: dict[str, Any]) -> list[str]:
    kind = record.get("kind")
    if kind == "entity":
        return [record.get("name") or "", *(record.get("aliases") or [])]
    if kind == "event":
        people = (record.get("actors") or []) + (record.get("recipients") or [])
        return [p.get("name") or "" for p in people if isinstance(p, dict)]
    if kind == "quote":
        return [_get(record, "speaker", "name") or ""]
    if kind == "incident":
        return [str(n) for n in (record.get("actors") or []) + (record.get("recipients") or [])]
    return []


def _text(record: dict[str, Any]) -> str:
    kind = record.get("kind")
    if kind == "article":
        return f"{record.get('title') or ''}\n{record.get('body') or ''}"
    if kind == "entity":
        return "\n".join([record.get("name") or "", *(record.get("aliases") or [])])
    if kind == "quote":
        return str(record.get("text") or "")
    if kind == "event":
        return f"{_get(record, 'evidence', 'text') or ''}\n{_get(record, 'trigger', 'text') or ''}"
    return ""


def _count(record: dict[str, Any], which: str) -> int:
    if record.get("kind") == "incident":
        value = _get(record, "casualties", which, "best")
    else:
        value = _get(record, "casualties", which, "value")
    return value if isinstance(value, int) else 0


def _countries(record: dict[str, Any]) -> list[str]:
    if record.get("kind") == "entity":
        return [str(record.get("country") or "").upper()]
    if record.get("kind") == "incident":
        return [str(_get(record, "place", "country") or "").upper()]
    return [str(loc.get("country") or "").upper() for loc in _locations(record)]


def _places(record: dict[str, Any]) -> list[str]:
    if record.get("kind") == "entity":
        return [_fold(record.get("name"))] if record.get("type") == "LOCATION" else []
    if record.get("kind") == "incident":
        return [_fold(_get(record, "place", "name"))]
    return [_fold(loc.get("name")) for loc in _locations(record)]


def group_of(rule: Rule, record: dict[str, Any]) -> str | None:
    """The group a record counts in for ``rule`` (``group_by``), or None when it has none."""
    how = rule.group_by
    if how == "none":
        return "*"
    if how == "incident":
        return str(record.get("id") or "") or None
    if how == "record":
        return str(record.get("id") or "") or None
    if how == "article":
        return str(record.get("article_id") or "") or None
    if how == "speaker":
        return _get(record, "speaker", "name") or None
    if record.get("kind") == "entity":
        if how == "country":
            return record.get("country") or None
        return record.get("name") if record.get("type") == "LOCATION" else None
    locations = _locations(record)
    if how == "country":
        return next((loc["country"] for loc in locations if loc.get("country")), None)
    if how == "region":
        for loc in locations:
            if _get(loc, "geo", "feature") == "region" and loc.get("name"):
                return str(loc["name"])
        return next((loc["name"] for loc in locations if loc.get("name")), None) or next(
            (loc["country"] for loc in locations if loc.get("country")), None
        )
    return next((loc["name"] for loc in locations if loc.get("name")), None)


def _independent_outlets(record: dict[str, Any]) -> int:
    outlets = _get(record, "sources", "independent_outlets")
    return len(outlets) if isinstance(outlets, list) else 0


def _span_seconds(record: dict[str, Any]) -> float | None:
    first, last = record.get("first_reported"), record.get("last_reported")
    try:
        start = datetime.fromisoformat(str(first).replace("Z", "+00:00"))
        end = datetime.fromisoformat(str(last).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (end - start).total_seconds()


def _measures(record: dict[str, Any]) -> dict[str, int]:
    """The figures the at-least conditions compare (THRESHOLD_FIELDS order)."""
    killed, injured = _count(record, "killed"), _count(record, "injured")
    return {
        "casualties_at_least": killed + injured,
        "killed_at_least": killed,
        "injured_at_least": injured,
        "independent_outlets_at_least": _independent_outlets(record),
    }


def level_of(rule: Rule, record: dict[str, Any]) -> tuple[int, ...]:
    """Per at-least condition of ``rule``: how many of its thresholds ``record`` reaches."""
    measures = _measures(record)
    out = []
    for name in THRESHOLD_FIELDS:
        thresholds = getattr(rule.match, name)
        if thresholds is not None:
            out.append(sum(measures[name] >= t for t in thresholds))
    return tuple(out)


def matches(rule: Rule, record: dict[str, Any]) -> bool:
    """True when ``record`` satisfies every condition of ``rule.match``."""
    m = rule.match
    if record.get("kind") != m.kind:
        return False
    if m.kind == "event" and record.get("timeframe") == "background":
        return False
    if m.kind == "incident" and record.get("status") != "active":
        return False
    checks: list[bool] = []
    if m.event_type is not None:
        checks.append(record.get("type") in m.event_type)
    if m.mode is not None:
        checks.append(_fold(record.get("mode")) in {_fold(x) for x in m.mode})
    measures = _measures(record)
    for name in THRESHOLD_FIELDS:
        thresholds = getattr(m, name)
        if thresholds is not None:
            checks.append(measures[name] >= thresholds[0])
    if m.within is not None:
        span = _span_seconds(record)
        checks.append(span is not None and span <= m.within)
    if m.country is not None:
        checks.append(bool(set(_countries(record)) & set(m.country)))
    if m.place is not None:
        checks.append(bool(set(_places(record)) & {_fold(x) for x in m.place}))
    if m.entities is not None:
        checks.append(bool({_fold(n) for n in _names(record)} & {_fold(x) for x in m.entities}))
    if m.speaker is not None:
        checks.append(_fold(_get(record, "speaker", "name")) in {_fold(x) for x in m.speaker})
    if m.modality is not None:
        checks.append(_get(record, "claim", "modality") in m.modality)
    if m.keywords is not None:
        text = _text(record)
        checks.append(any(_keyword(k).search(text) for k in m.keywords))
    if m.min_confidence is not None:
        conf = record.get("confidence")
        checks.append(isinstance(conf, int | float) and conf >= m.min_confidence)
    return all(checks)


_KEYWORDS: dict[str, re.Pattern[str]] = {}


def _keyword(word: str) -> re.Pattern[str]:
    pattern = _KEYWORDS.get(word)
    if pattern is None:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        _KEYWORDS[word] = pattern
    return pattern


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def describe(record: dict[str, Any]) -> str:
    """One line saying what a record is, for alert summaries."""
    kind = record.get("kind")
    if kind == "event":
        parts = [str(record.get("type"))]
        if record.get("mode"):
            parts.append(f"({record['mode']})")
        place = next((loc.get("name") for loc in _locations(record) if loc.get("name")), None)
        if place:
            parts.append(f"in {place}")
        killed, injured = _count(record, "killed"), _count(record, "injured")
        if killed or injured:
            parts.append(f"- killed {killed}, injured {injured}")
        evidence = _get(record, "evidence", "text")
        head = " ".join(parts)
        return f"{head}: “{_clip(evidence)}”" if evidence else head
    if kind == "quote":
        who = _get(record, "speaker", "name") or "unattributed"
        return f"{who}: “{_clip(str(record.get('text') or ''))}”"
    if kind == "entity":
        return f"{record.get('type', 'entity')} {record.get('name')} mentioned"
    if kind == "incident":
        place = _get(record, "place", "name")
        killed, injured = _count(record, "killed"), _count(record, "injured")
        outlets = _independent_outlets(record)
        where = f" in {place}" if place else ""
        return (
            f"{record.get('type')} incident{where}: killed {killed}, injured {injured}, "
            f"{outlets} independent outlet(s), {len(_get(record, 'sources', 'articles') or [])} "
            f"article(s)"
        )
    return f"article “{_clip(str(record.get('title') or record.get('id') or ''))}”"


def _article_of(record: dict[str, Any]) -> str:
    """The record's article; an incident's first (sorted) member article."""
    if record.get("kind") == "incident":
        articles = _get(record, "sources", "articles") or [""]
        return str(articles[0])
    return str(record.get("article_id"))


class Matcher:
    """Step 1: the hits of one record."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)

    def hits(self, record: dict[str, Any], timestamp_ms: int) -> list[Hit]:
        out = []
        for rule in self.rules:
            if not matches(rule, record):
                continue
            group = group_of(rule, record)
            if group is None:
                if rule.window is not None:
                    continue  # nothing to count it with
                group = "unknown"
            out.append(
                Hit(
                    rule=rule.name,
                    group=str(group),
                    record_id=str(record.get("id")),
                    article_id=_article_of(record),
                    timestamp_ms=timestamp_ms,
                    summary=describe(record),
                    level=level_of(rule, record) if rule.match.kind == "incident" else None,
                )
            )
        return out


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


class Evaluator:
    """Step 2: windows and suppression; returns the alert a hit fires, if any."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = {r.name: r for r in rules}

    def on_hit(
        self,
        hit: Hit,
        windows: MutableMapping[str, Any],
        suppressed: MutableMapping[str, Any],
    ) -> AlertRecord | None:
        rule = self.rules.get(hit.rule)
        if rule is None:
            return None  # a rule removed since the hit was produced
        key = hit.key
        if rule.match.kind == "incident":
            return self._on_incident(rule, hit, suppressed)
        until = suppressed.get(key)
        if until is not None and hit.timestamp_ms < int(until):
            return None
        if rule.window is None:
            fired = [[hit.timestamp_ms, hit.record_id, hit.article_id, hit.summary]]
        else:
            horizon = hit.timestamp_ms - int(rule.window.within * 1000)
            entries = [list(e) for e in windows.get(key) or [] if int(e[0]) >= horizon]
            if all(e[1] != hit.record_id for e in entries):
                entries.append([hit.timestamp_ms, hit.record_id, hit.article_id, hit.summary])
            if len(entries) < rule.window.count:
                windows[key] = entries
                return None
            fired = sorted(entries)
            windows[key] = []
        suppressed[key] = hit.timestamp_ms + int(rule.suppress_for * 1000)
        return self._alert(rule, hit, fired)

    def _on_incident(
        self, rule: Rule, hit: Hit, reached: MutableMapping[str, Any]
    ) -> AlertRecord | None:
        """Once per incident, then again only when a further threshold is first reached: the
        highest level fired per rule+incident is kept (in the suppression table)."""
        level = tuple(hit.level or ())
        before = reached.get(hit.key)
        if before is not None:
            before = tuple(int(x) for x in before)
            if all(now <= then for now, then in zip(level, before, strict=False)):
                return None
            level = tuple(max(a, b) for a, b in zip(level, before, strict=False))
        reached[hit.key] = list(level)
        return AlertRecord(
            id=record_id("alert", rule.name, hit.record_id, *map(str, level)),
            rule=rule.name,
            severity=rule.severity,
            summary=f"[{rule.severity}] {rule.name}: {hit.summary}",
            record_ids=[hit.record_id],
            article_ids=[hit.article_id],
            window_key=hit.group,
            fired_at=_iso(hit.timestamp_ms),
        )

    def _alert(self, rule: Rule, hit: Hit, fired: list[list[Any]]) -> AlertRecord:
        record_ids = [str(e[1]) for e in fired]
        article_ids = sorted({str(e[2]) for e in fired})
        if rule.window is None:
            summary = f"[{rule.severity}] {rule.name}: {hit.summary}"
        else:
            shown = "; ".join(str(e[3]) for e in fired[:3])
            more = f" (and {len(fired) - 3} more)" if len(fired) > 3 else ""
            summary = (
                f"[{rule.severity}] {rule.name}: {len(fired)} matching {rule.match.kind} records "
                f"in {rule.group_by} {hit.group} within {_span(rule.window.within)}: {shown}{more}"
            )
        return AlertRecord(
            id=record_id("alert", rule.name, *record_ids),
            rule=rule.name,
            severity=rule.severity,
            summary=summary,
            record_ids=record_ids,
            article_ids=article_ids,
            window_key=hit.group if rule.window is not None or rule.group_by != "article" else None,
            fired_at=_iso(hit.timestamp_ms),
        )
