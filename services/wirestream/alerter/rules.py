"""The alerter's rules file: YAML, validated at start-up with the line of every mistake.

Shape (see ``deploy/alerter/rules.yaml`` for a commented example)::

    rules:
      - name: assault-with-casualties        # unique; [a-z0-9-_.]
        description: free text               # optional
        severity: high                       # info | low | medium | high | critical
        match:                               # every condition given must hold
          kind: event                        # article | entity | quote | event
          event_type: [ASSAULT]              # event
          mode: [missile strike]             # event (case-insensitive)
          casualties_at_least: 1             # event: killed + injured
          killed_at_least: 1                 # event
          injured_at_least: 1                # event
          country: [UA]                      # event (any location) or entity (ISO alpha-2)
          place: [Odesa]                     # event (any location's name) or entity (a LOCATION)
          entities: [Wang Yi]                # entity name/alias; event actor/recipient; quote speaker
          speaker: [Dmitry Peskov]           # quote
          modality: [claimed, alleged]       # event claim
          keywords: [drone]                  # whole words in the record's text (case-insensitive)
          min_confidence: 0.5                # event, quote
        window:                              # optional: fire when `count` distinct records
          count: 3                           #   matched in the same group
          within: 1h                         #   within this long (s, m, h, d)
        group_by: place                      # record | article | country | place | region |
                                             # speaker | none (default: article)
        suppress_for: 6h                     # after firing, this group stays quiet (default 1h)
        webhooks: [https://hooks.example.org/wirestream]

Incident rules (``kind: incident``, the incident stage's records) match an incident's reconciled
figures and its sources, and fire **once per incident**, then again only when a further threshold
is newly crossed (``group_by`` is ``incident``; ``suppress_for`` and ``window`` do not apply)::

      - name: deadly-incident-confirmed
        severity: critical
        match:
          kind: incident
          event_type: [ASSAULT]              # the incident's type
          country: [UA]                      # the incident's place
          killed_at_least: [10, 50, 100]     # reconciled best figure; a list: each is a threshold
          independent_outlets_at_least: 2    # outlets that are not copies of another (a list too)
          within: 6h                         # while its reports span at most this long

A list of thresholds makes the rule fire when the lowest is reached and again when each higher
one is first reached (a retraction that lowers a figure does not fire; reaching it again does
not either). ``place``, ``entities`` (actors, recipients), ``casualties_at_least`` and
``injured_at_least`` apply too.

Event records with ``timeframe: background`` never match any rule. Errors name the file, the line
and the field (``rules.yaml:12: rules[0].match.speaker: applies to quote records, not event``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wirestream.errors import RulesError

Kind = Literal["article", "entity", "quote", "event", "incident"]
Severity = Literal["info", "low", "medium", "high", "critical"]
GroupBy = Literal["record", "article", "country", "place", "region", "speaker", "incident", "none"]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}

FIELD_KINDS: dict[str, frozenset[str]] = {
    "event_type": frozenset({"event", "incident"}),
    "mode": frozenset({"event"}),
    "casualties_at_least": frozenset({"event", "incident"}),
    "killed_at_least": frozenset({"event", "incident"}),
    "injured_at_least": frozenset({"event", "incident"}),
    "independent_outlets_at_least": frozenset({"incident"}),
    "within": frozenset({"incident"}),
    "country": frozenset({"event", "entity", "incident"}),
    "place": frozenset({"event", "entity", "incident"}),
    "entities": frozenset({"entity", "event", "quote", "incident"}),
    "speaker": frozenset({"quote"}),
    "modality": frozenset({"event"}),
    "keywords": frozenset({"article", "entity", "quote", "event"}),
    "min_confidence": frozenset({"event", "quote"}),
}
GROUP_KINDS: dict[str, frozenset[str]] = {
    "country": frozenset({"event", "entity"}),
    "place": frozenset({"event", "entity"}),
    "region": frozenset({"event"}),
    "speaker": frozenset({"quote"}),
    "incident": frozenset({"incident"}),
}
THRESHOLD_FIELDS = (
    "casualties_at_least",
    "killed_at_least",
    "injured_at_least",
    "independent_outlets_at_least",
)
"""The at-least conditions; on incident rules each may be a list of thresholds."""


def parse_duration(value: Any) -> float:
    """Seconds from ``90``, ``"90s"``, ``"30m"``, ``"1h"`` or ``"2d"``."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or text like 30m, 1h, 2d")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value))
        if m is None:
            raise ValueError(f"{value!r} is not a duration: write e.g. 90s, 30m, 1h or 2d")
        seconds = float(m[1]) * _UNITS[m[2]]
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Match(_Strict):
    """Conditions on one record; all that are given must hold."""

    kind: Kind
    event_type: list[str] | None = None
    mode: list[str] | None = None
    casualties_at_least: list[int] | None = None
    killed_at_least: list[int] | None = None
    injured_at_least: list[int] | None = None
    independent_outlets_at_least: list[int] | None = None
    within: float | None = Field(default=None, description="Seconds (the file may say 6h).")
    country: list[str] | None = None
    place: list[str] | None = None
    entities: list[str] | None = None
    speaker: list[str] | None = None
    modality: list[Literal["reported", "claimed", "alleged", "denied", "confirmed"]] | None = None
    keywords: list[str] | None = None
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    @field_validator(
        "event_type",
        "mode",
        "country",
        "place",
        "entities",
        "speaker",
        "modality",
        "keywords",
        mode="before",
    )
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _listify(value)

    @field_validator(*THRESHOLD_FIELDS, mode="before")
    @classmethod
    def _thresholds(cls, value: Any) -> Any:
        if value is None or isinstance(value, list):
            return value
        return [value]

    @field_validator(*THRESHOLD_FIELDS)
    @classmethod
    def _ascending(cls, value: list[int] | None) -> list[int] | None:
        if value is not None:
            if not value or any(v < 0 for v in value):
                raise ValueError("a threshold is a number of at least 0 (or a list of them)")
            if value != sorted(set(value)):
                raise ValueError("thresholds must be listed in ascending order, each once")
        return value

    @field_validator("within", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)

    @field_validator("event_type")
    @classmethod
    def _plover(cls, value: list[str] | None) -> list[str] | None:
        from wirestream.core.contracts import EventRecord

        allowed = EventRecord.model_fields["type"].annotation.__args__  # type: ignore[union-attr]
        for item in value or []:
            if item.upper() not in allowed:
                raise ValueError(f"{item!r} is not an event type; use one of {', '.join(allowed)}")
        return [v.upper() for v in value] if value else value

    @field_validator("country")
    @classmethod
    def _iso(cls, value: list[str] | None) -> list[str] | None:
        for item in value or []:
            if not re.fullmatch(r"[A-Za-z]{2}", item):
                raise ValueError(f"{item!r} is not an ISO 3166-1 alpha-2 code such as UA")
        return [v.upper() for v in value] if value else value

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Match:
        for name, kinds in FIELD_KINDS.items():
            if getattr(self, name) is not None and self.kind not in kinds:
                raise _FieldError(
                    name, f"applies to {' and '.join(sorted(kinds))} records, not {self.kind}"
                )
        if self.kind != "incident":
            for name in THRESHOLD_FIELDS:
                value = getattr(self, name)
                if value is not None and len(value) > 1:
                    raise _FieldError(name, "a list of thresholds applies to incident rules only")
        return self


class _FieldError(ValueError):
    """A model-level error that belongs to one field (so the line can be found)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Window(_Strict):
    count: int = Field(ge=2, description="Distinct matching records needed in one group.")
    within: float = Field(description="Seconds (the file may say 30m, 1h, 2d).")

    @field_validator("within", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return parse_duration(value)


class Rule(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
    description: str | None = None
    severity: Severity
    match: Match
    window: Window | None = None
    group_by: GroupBy = "article"
    suppress_for: float = Field(default=3600.0, description="Seconds; the file may say 1h.")
    webhooks: list[str] = Field(default_factory=list)

    @field_validator("suppress_for", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return parse_duration(value)

    @field_validator("webhooks", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _listify(value)

    @model_validator(mode="before")
    @classmethod
    def _incidents_by_incident(cls, data: Any) -> Any:
        match = data.get("match") if isinstance(data, dict) else None
        if isinstance(match, dict) and match.get("kind") == "incident":
            data = {**data}
            data.setdefault("group_by", "incident")
        return data

    @model_validator(mode="after")
    def _group_fits_kind(self) -> Rule:
        if self.match.kind == "incident":
            if self.group_by != "incident":
                raise _FieldError("group_by", "incident rules count per incident: 'incident'")
            if self.window is not None:
                raise _FieldError("window", "incident rules fire per incident, without a window")
        kinds = GROUP_KINDS.get(self.group_by)
        if kinds is not None and self.match.kind not in kinds:
            raise _FieldError(
                "group_by",
                f"{self.group_by!r} applies to {' and '.join(sorted(kinds))} records, "
                f"not {self.match.kind}",
            )
        return self


class RulesFile(_Strict):
    rules: list[Rule] = Field(min_length=1)


# --- loading with line numbers ---------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _marks(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, str(key.value))
            out[sub] = key.start_mark.line + 1
            _marks(value, sub, out)
            out[(*sub, "<value>")] = value.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _marks(item, (*path, i), out)


def _line(marks: dict[Path_, int], loc: Iterable[str | int]) -> int:
    path: Path_ = tuple(loc)
    while path:
        if path in marks:
            return marks[path]
        path = path[:-1]
    return marks.get((), 1)


def _where(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def load_rules(path: Path) -> list[Rule]:
    """Read and validate a rules file; raises :class:`RulesError` naming line and field."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise RulesError(
            f"cannot read the rules file {path}: {exc.strerror}; set "
            "WIRESTREAM_ALERTER_RULES_FILE to the YAML rules file"
        ) from exc
    return parse_rules(text, str(path))


def parse_rules(text: str, source: str = "rules.yaml") -> list[Rule]:
    """Validate rules given as YAML text (``source`` names it in errors)."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise RulesError(f"{source}:{line}: not valid YAML: {exc.problem or exc}") from exc
    if node is None:
        raise RulesError(f"{source}:1: the file is empty; it needs a 'rules:' list")
    marks: dict[Path_, int] = {}
    _marks(node, (), marks)
    try:
        parsed = RulesFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            ctx = err.get("ctx", {}).get("error")
            if isinstance(ctx, _FieldError):
                loc = [*loc, ctx.field]
                message = str(ctx)
            else:
                message = err["msg"].removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    message = "unknown field (check its spelling against the rules reference)"
            problems.append(f"{source}:{_line(marks, loc)}: {_where(loc)}: {message}")
        raise RulesError("; ".join(problems)) from exc
    seen: dict[str, int] = {}
    for i, rule in enumerate(parsed.rules):
        if rule.name in seen:
            line = _line(marks, ("rules", i, "name"))
            raise RulesError(
                f"{source}:{line}: rules[{i}].name: {rule.name!r} is already the name of "
                f"rules[{seen[rule.name]}]; rule names must be unique"
            )
        seen[rule.name] = i
    return parsed.rules


def check_webhooks(rules: list[Rule], text: str, source: str, check: Any) -> None:
    """Run ``check(url)`` on every webhook; its error is re-raised with the rule's line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    marks: dict[Path_, int] = {}
    if node is not None:
        _marks(node, (), marks)
    for i, rule in enumerate(rules):
        for j, url in enumerate(rule.webhooks):
            try:
                check(url)
            except Exception as exc:
                line = _line(marks, ("rules", i, "webhooks", j))
                raise RulesError(f"{source}:{line}: rules[{i}].webhooks[{j}]: {exc}") from exc
