"""Finding and reading the labelled data sets into plain gold structures.

Layout: ``--data DIR`` is a folder that holds one folder per data set, named as in
``../shared/data`` (see :data:`LAYOUT`), e.g. ``DIR/conll2003/dev.jsonl``. A user's own labelled
articles in the same JSON-lines shape work the same way. With ``--only TASK``, ``DIR`` may also be a
data-set folder itself (``DIR/dev.jsonl``).

The default ``DIR`` is ``$WIRESTREAM_EVAL_DATA`` when set, else ``../shared/data`` beside the
repository. Nothing here copies the data anywhere: it is read at run time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from wirestream.core import jsonio
from wirestream.errors import InputError, LexiconError, WirestreamError
from wirestream.evaluation.scoring import EventItem, GoldQuote, Interval

Task = Literal["entities", "quotes", "casualties", "events", "incidents"]
TASKS: tuple[Task, ...] = ("entities", "quotes", "casualties", "events", "incidents")

LAYOUT: dict[Task, tuple[tuple[str, str, str], ...]] = {
    "entities": (("conll2003", "conll2003", "dev.jsonl"),),
    "quotes": (("quotes_ggt", "quotes_ggt", "articles.jsonl"),),
    "casualties": (("casualties_gva", "casualties_gva", "articles.jsonl"),),
    "incidents": (("casualties_gva", "casualties_gva", "articles.jsonl"),),
    "events": (
        ("wikievents", "events_wikievents", "dev.jsonl"),
        ("m2e2", "events_m2e2", "docs.jsonl"),
    ),
}
"""Per task: ``(data-set name, folder, file)`` for every data set the task reads."""

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_ENV = "WIRESTREAM_EVAL_DATA"
MAPPINGS = Path(__file__).resolve().parent / "mappings"
EVENTS_MAP = MAPPINGS / "events_type_map.json"
"""How the event data sets' types and roles map to Wirestream's (evaluation only: the extractor
never reads it); see ``mappings/README.md``."""


class DataNotFoundError(WirestreamError):
    """The labelled data a command needs is not where it looked."""


def default_data_dir() -> Path:
    """``$WIRESTREAM_EVAL_DATA`` when set, else ``../shared/data`` relative to the repository."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def resolve_data_dir(given: str | None) -> Path:
    """The folder to read from; a clear error when it does not exist."""
    path = Path(given) if given else default_data_dir()
    if not path.is_dir():
        how = (
            f"--data {given!r} is not a folder"
            if given
            else f"no evaluation data at {path} (the default: ../shared/data beside the repository, "
            f"or ${DATA_ENV})"
        )
        raise DataNotFoundError(
            f"{how}: pass --data DIR, a folder with one folder per data set "
            "(conll2003/dev.jsonl, quotes_ggt/articles.jsonl, casualties_gva/articles.jsonl, "
            "events_wikievents/dev.jsonl, events_m2e2/docs.jsonl, load/*.jsonl)"
        )
    return path


def find_files(root: Path, task: Task, *, direct: bool) -> dict[str, Path]:
    """The task's data-set files under ``root``: ``{data-set name: path}``. ``direct`` also accepts
    the file right in ``root`` (``root`` is a data-set folder)."""
    found: dict[str, Path] = {}
    for name, folder, filename in LAYOUT[task]:
        for candidate in (root / folder / filename, root / filename if direct else None):
            if candidate is not None and candidate.is_file():
                found[name] = candidate
                break
    return found


def expected_files(task: Task) -> str:
    return ", ".join(f"{folder}/{file}" for _, folder, file in LAYOUT[task])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` per non-blank line; a bad line raises InputError naming it."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = jsonio.loads(line)
            except ValueError as exc:
                raise InputError(
                    f"not JSON: {exc}", stage="decode", location=f"{path}:{number}"
                ) from exc
            if not isinstance(value, dict):
                raise InputError("expected a JSON object", location=f"{path}:{number}")
            yield number, value


# --- gold documents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One labelled text. ``gold`` is None when the document has no usable gold (it is skipped
    and counted); ``skip_reason`` says why."""

    id: str
    text: str
    published: str | None = None
    skip_reason: str | None = None


@dataclass(frozen=True)
class EntityDoc(Document):
    gold: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class QuoteDoc(Document):
    gold: list[GoldQuote] = field(default_factory=list)
    unlocated: int = 0
    """Gold quotes whose offsets the data set could not place (left out of the score)."""


@dataclass(frozen=True)
class CasualtyDoc(Document):
    killed: int = 0
    injured: int = 0


@dataclass(frozen=True)
class EventDoc(Document):
    gold: list[EventItem] = field(default_factory=list)
    unmapped: int = 0
    """Gold events of types the mapping leaves out."""


CONLL_TYPES = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOCATION"}
"""CoNLL-2003 types to ours; MISC has no counterpart and is dropped."""


def _text(obj: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str):
            return value
    return ""


def _id(obj: dict[str, Any], number: int, *keys: str) -> str:
    for key in keys:
        value = obj.get(key)
        if value is not None:
            return str(value)
    return f"line-{number}"


def read_entities(path: Path) -> Iterator[EntityDoc]:
    """``{id, body, entities: [{type: PER/ORG/LOC/MISC, start, end}]}`` per line."""
    for number, obj in read_jsonl(path):
        text = _text(obj, "body", "text")
        gold = [
            (int(e["start"]), int(e["end"]), CONLL_TYPES[e["type"]])
            for e in obj.get("entities") or []
            if e.get("type") in CONLL_TYPES
        ]
        reason = None if text.strip() else "empty text"
        if reason is None and "entities" not in obj:
            reason = "no 'entities' field"
        yield EntityDoc(id=_id(obj, number, "id"), text=text, gold=gold, skip_reason=reason)


def read_quotes(path: Path) -> Iterator[QuoteDoc]:
    """Gender Gap Tracker layout: ``raw_text`` and ``quotes[]`` with ``raw_quote_start/end``,
    ``raw_speaker_start/end`` and ``reference``."""
    for number, obj in read_jsonl(path):
        text = _text(obj, "raw_text", "text", "body")
        gold: list[GoldQuote] = []
        unlocated = 0
        for q in obj.get("quotes") or []:
            start, end = q.get("raw_quote_start"), q.get("raw_quote_end")
            if start is None or end is None or end <= start:
                unlocated += 1
                continue
            s_start, s_end = q.get("raw_speaker_start"), q.get("raw_speaker_end")
            speaker = (int(s_start), int(s_end)) if s_start is not None and s_end else None
            gold.append(GoldQuote((int(start), int(end)), speaker, q.get("reference") or None))
        reason = None
        if not text.strip():
            reason = "empty text"
        elif not gold:
            reason = "no located gold quotes"
        yield QuoteDoc(
            id=_id(obj, number, "id"),
            text=text,
            gold=gold,
            unlocated=unlocated,
            skip_reason=reason,
        )


def read_casualties(path: Path) -> Iterator[CasualtyDoc]:
    """Gun Violence Archive layout: ``text``, ``n_killed``, ``n_injured``, ``publish_date``; only
    records flagged ``likely_single_incident_clean`` are scored (a missing flag counts as clean)."""
    for number, obj in read_jsonl(path):
        text = _text(obj, "text", "body")
        reason = None
        if not text.strip():
            reason = "empty text"
        elif obj.get("likely_single_incident_clean") is False:
            reason = "not in the clean subset"
        elif not isinstance(obj.get("n_killed"), int) or not isinstance(obj.get("n_injured"), int):
            reason = "no gold counts"
        yield CasualtyDoc(
            id=_id(obj, number, "id"),
            text=text,
            published=obj.get("publish_date") or None,
            killed=int(obj.get("n_killed") or 0),
            injured=int(obj.get("n_injured") or 0),
            skip_reason=reason,
        )


# --- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventMapping:
    """One data set's mapping to PLOVER (see ``mappings/README.md``). A type mapped to None is
    out of scope, like a type with no key."""

    types: dict[str, str | None]
    roles: dict[str, list[str]]
    symmetric_types: frozenset[str]
    source: Path

    def map_type(self, source_type: str) -> str | None:
        best: tuple[int, str | None] | None = None
        for key, target in self.types.items():
            covers = source_type == key or (
                source_type.startswith(key) and source_type[len(key)] in ".:"
            )
            if covers and (best is None or len(key) > best[0]):
                best = (len(key), target)
        return best[1] if best else None

    def role_class(self, role: str) -> str | None:
        for cls, names in self.roles.items():
            if role in names:
                return cls
        return None

    @property
    def targets(self) -> list[str]:
        return sorted({t for t in self.types.values() if t is not None})


def _read_mapping_file(path: Path) -> dict[str, Any]:
    try:
        value = jsonio.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise LexiconError(f"{path}: cannot read the event type mapping ({exc})") from exc
    if not isinstance(value, dict):
        raise LexiconError(f"{path}: expected a JSON object of data sets")
    return value


def _types_of(entry: Any) -> dict[str, str | None] | None:
    """A data set's ``types``: ``{source type: PLOVER type or null}``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("types"), dict):
        return None
    return {
        str(k): (str(v) if v is not None else None)
        for k, v in entry["types"].items()
        if not str(k).startswith("_")
    }


def load_event_mapping(dataset: str, path: Path | None = None) -> EventMapping:
    """The mapping for ``dataset`` ('wikievents', 'm2e2') from ``path`` (default
    :data:`EVENTS_MAP`, ``evaluation/mappings/events_type_map.json``): its types, argument roles
    and symmetric types."""
    source = path if path is not None else EVENTS_MAP
    mapping = _read_mapping_file(source)
    entry = mapping.get(dataset)
    types = _types_of(entry)
    if not isinstance(entry, dict) or not types:
        raise LexiconError(f"{source}: no event type mapping for data set {dataset!r}")
    roles = entry.get("roles") or {}
    return EventMapping(
        types=types,
        roles={str(k): [str(r) for r in v] for k, v in roles.items()},
        symmetric_types=frozenset(mapping.get("symmetric_types") or ()),
        source=source,
    )


def _wikievents_token_offsets(obj: dict[str, Any]) -> list[Interval]:
    """Character offsets of every token in ``text``. The ``sentences`` table's offsets assume a
    separator between sentences that ``text`` lacks, so each sentence is found in ``text`` and its
    tokens shifted (every token is checked against the text)."""
    text: str = obj["text"]
    offsets: list[Interval] = []
    cursor = 0
    for tokens, sentence in obj["sentences"]:
        pos = text.find(sentence, cursor)
        if pos < 0 or not tokens:
            raise InputError(f"sentence not found in text: {sentence[:40]!r}")
        shift = pos - int(tokens[0][1])
        for token, start, end in tokens:
            s, e = int(start) + shift, int(end) + shift
            if text[s:e] != token:
                raise InputError(f"token {token!r} not at {s}:{e}")
            offsets.append((s, e))
        cursor = pos + len(sentence)
    return offsets


def _span(item: dict[str, Any]) -> Interval:
    """A ``start``/``end`` pair given in characters."""
    return (int(item["start"]), int(item["end"]))


def _token_span(tokens: list[Interval], item: dict[str, Any]) -> Interval:
    """A ``start``/``end`` pair given in tokens, in characters."""
    return (tokens[item["start"]][0], tokens[item["end"] - 1][1])


def _entity_span(entities: dict[str, Interval], arg: dict[str, Any]) -> Interval | None:
    """The character span of the entity mention an argument names, if it has one."""
    return entities.get(arg.get("entity_id"))  # type: ignore[arg-type]


def _gold_events(
    obj: dict[str, Any],
    mapping: EventMapping,
    *,
    trigger: Callable[[dict[str, Any]], Interval],
    argument: Callable[[dict[str, Any]], Interval | None],
) -> tuple[list[EventItem], int]:
    """The mapped events of a document's ``event_mentions`` (``trigger`` and ``argument`` give
    the character spans) and how many mentions had a type the mapping leaves out."""
    gold: list[EventItem] = []
    unmapped = 0
    for ev in obj.get("event_mentions") or []:
        etype = mapping.map_type(ev["event_type"])
        if etype is None:
            unmapped += 1
            continue
        args: dict[str, list[Interval]] = {}
        for arg in ev.get("arguments") or []:
            cls = mapping.role_class(arg["role"])
            span = argument(arg) if cls is not None else None
            if cls is not None and span is not None:
                args.setdefault(cls, []).append(span)
        gold.append(EventItem(etype, trigger(ev["trigger"]), args))
    return gold, unmapped


def read_wikievents(path: Path, mapping: EventMapping) -> Iterator[EventDoc]:
    """WikiEvents (KAIROS): token offsets, converted to characters via the ``sentences`` table."""
    for number, obj in read_jsonl(path):
        doc_id = _id(obj, number, "doc_id", "id")
        text = _text(obj, "text")
        try:
            tokens = _wikievents_token_offsets(obj)
        except (InputError, KeyError, TypeError, ValueError) as exc:
            yield EventDoc(id=doc_id, text=text, skip_reason=f"offsets unusable: {exc}")
            continue
        entities = {
            m["id"]: (tokens[m["start"]][0], tokens[m["end"] - 1][1])
            for m in obj.get("entity_mentions") or []
        }
        gold, unmapped = _gold_events(
            obj,
            mapping,
            trigger=partial(_token_span, tokens),
            argument=partial(_entity_span, entities),
        )
        yield EventDoc(
            id=doc_id,
            text=text,
            gold=gold,
            unmapped=unmapped,
            skip_reason=None if text.strip() else "empty text",
        )


def read_m2e2(path: Path, mapping: EventMapping) -> Iterator[EventDoc]:
    """M2E2 (ACE types): character offsets already. Documents with no event annotation at all are
    kept (an extractor should find nothing in them)."""
    for number, obj in read_jsonl(path):
        doc_id = _id(obj, number, "doc_id", "id")
        text = _text(obj, "text")
        gold, unmapped = _gold_events(obj, mapping, trigger=_span, argument=_span)
        reason = None
        if not text.strip():
            reason = "empty text"
        elif "event_mentions" not in obj:
            reason = "no 'event_mentions' field"
        yield EventDoc(id=doc_id, text=text, gold=gold, unmapped=unmapped, skip_reason=reason)
