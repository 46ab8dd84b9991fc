"""Records to Arrow tables and archive paths: the archive's layout, in one place.

Layout (Hive-style, so DuckDB and pyarrow see ``kind`` and ``date`` as columns)::

    kind=<article|entity|quote|event|retraction|copy|incident|rejected>/date=<YYYY-MM-DD|unknown>/
        part-<topic>-<partition>-<first offset>-<last offset>.parquet
        compact-<digest>.parquet

The date is the *publication* date where the record carries one (article records:
``published_at``, ``date=unknown`` when absent). Entity, quote and event records do not carry their
article's date, so they are filed by the date (UTC) of the Kafka message timestamp - the moment the
extractor published them. This keeps the file a record lands in a function of the message alone,
which a replay must reproduce; join with ``articles`` on ``article_id`` for the publication date.

Columns: every top-level field of the record. Scalars keep their type; nested values (spans, lists,
objects) are stored as canonical JSON strings (DuckDB: ``json_extract``, ``->>``). Fields the models
do not know yet (a newer producer's optional field) are archived too, typed from their values, so
``read_parquet(..., union_by_name=true)`` reads old and new files side by side. Every row also has
``_topic``, ``_partition``, ``_offset`` and ``_timestamp`` (ms): where it came from.

Messages that are not JSON objects of the topic's record kind are not dropped: they go to
``kind=rejected`` with the error and the original bytes (base64).
"""

from __future__ import annotations

import base64
import re
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Union, get_args, get_origin

import orjson
import pyarrow as pa
from pydantic import BaseModel

from wirestream.core import jsonio
from wirestream.core.contracts import ArticleRecord, EntityRecord, EventRecord, QuoteRecord
from wirestream_contracts.copies import CopyRecord
from wirestream_contracts.incidents import IncidentRecord
from wirestream_contracts.retractions import RetractionRecord

KINDS: dict[str, type[BaseModel]] = {
    "article": ArticleRecord,
    "entity": EntityRecord,
    "quote": QuoteRecord,
    "event": EventRecord,
    "retraction": RetractionRecord,
    "copy": CopyRecord,
    "incident": IncidentRecord,
}
IDENTITY: dict[str, str] = {"copy": "article_id"}
"""The field that identifies a record of a kind (``id`` when not listed): a copy marking is the
latest of its article."""
REJECTED = "rejected"
META_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("_topic", pa.string()),
    ("_partition", pa.int32()),
    ("_offset", pa.int64()),
    ("_timestamp", pa.int64()),
)
REJECTED_SCHEMA = pa.schema([*META_COLUMNS, ("error", pa.string()), ("original_b64", pa.string())])
_PART = re.compile(r"^part-(?P<topic>.+)-(?P<partition>\d+)-(?P<first>\d+)-(?P<last>\d+)\.parquet$")


@dataclass(frozen=True)
class Message:
    """One Kafka message as the archiver sees it."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    value: bytes | None


@dataclass(frozen=True)
class PartName:
    topic: str
    partition: int
    first: int
    last: int


def safe(text: str) -> str:
    """A topic name made safe for a file name (anything unusual becomes ``_``)."""
    return re.sub(r"[^A-Za-z0-9._]", "_", text)


def part_file(topic: str, partition: int, first: int, last: int) -> str:
    return f"part-{safe(topic)}-{partition}-{first}-{last}.parquet"


def parse_part(name: str) -> PartName | None:
    """The topic, partition and offset range in a ``part-...`` file name, or None."""
    m = _PART.match(name.rsplit("/", 1)[-1])
    if m is None:
        return None
    return PartName(m["topic"], int(m["partition"]), int(m["first"]), int(m["last"]))


def folder(kind: str, date: str) -> str:
    return f"kind={kind}/date={date}"


def _arrow_type(annotation: Any) -> pa.DataType:
    """Arrow type of a model field: scalars keep theirs, anything nested is a JSON string."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _arrow_type(args[0]) if len(args) == 1 else pa.string()
    if origin is Literal:
        values = get_args(annotation)
        if all(isinstance(v, bool) for v in values):
            return pa.bool_()
        if all(isinstance(v, int) for v in values):
            return pa.int64()
        return pa.string()
    if origin is typing.Annotated:
        return _arrow_type(get_args(annotation)[0])
    if annotation is bool:
        return pa.bool_()
    if annotation is int:
        return pa.int64()
    if annotation is float:
        return pa.float64()
    return pa.string()


def kind_schema(kind: str) -> pa.Schema:
    """The Arrow schema of a record kind's known columns (without the ``_`` metadata columns)."""
    model = KINDS[kind]
    return pa.schema([(name, _arrow_type(f.annotation)) for name, f in model.model_fields.items()])


def _infer(values: Sequence[Any]) -> pa.DataType:
    """Type of a column the models do not know: one scalar type, else JSON strings."""
    seen = {type(v) for v in values if v is not None}
    if seen == {bool}:
        return pa.bool_()
    if seen == {int}:
        return pa.int64()
    if seen <= {int, float} and seen:
        return pa.float64()
    return pa.string()


def _cell(value: Any, typ: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_string(typ):
        return value if isinstance(value, str) else jsonio.dumps(value).decode("utf-8")
    if pa.types.is_floating(typ) and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if pa.types.is_integer(typ) and isinstance(value, int) and not isinstance(value, bool):
        return value
    if pa.types.is_boolean(typ) and isinstance(value, bool):
        return value
    raise ValueError(f"value {value!r} does not fit column type {typ}")


@dataclass(frozen=True)
class Row:
    """One decoded message: its kind (or ``rejected``), date folder and fields."""

    kind: str
    date: str
    message: Message
    fields: dict[str, Any]


def decode(message: Message, expected_kind: str) -> Row:
    """Decode one message into a row of ``expected_kind``, or a ``rejected`` row saying why."""
    ts_date = (
        datetime.fromtimestamp(message.timestamp_ms / 1000, tz=UTC).date().isoformat()
        if message.timestamp_ms is not None and message.timestamp_ms >= 0
        else "unknown"
    )
    raw = message.value or b""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return _rejected(message, ts_date, f"not JSON: {exc}")
    if not isinstance(value, dict):
        return _rejected(message, ts_date, "not a JSON object")
    kind = value.get("kind")
    if kind != expected_kind:
        return _rejected(message, ts_date, f"kind {kind!r} on the {expected_kind} topic")
    identity = IDENTITY.get(kind, "id")
    if not isinstance(value.get(identity), str) or not value[identity]:
        return _rejected(message, ts_date, f"no string {identity!r}")
    date = _date_of(value.get("published_at")) if kind == "article" else ts_date
    return Row(kind=kind, date=date, message=message, fields=value)


def _date_of(published_at: Any) -> str:
    if not isinstance(published_at, str):
        return "unknown"
    try:
        return datetime.fromisoformat(published_at.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return "unknown"


def _rejected(message: Message, date: str, error: str) -> Row:
    original = base64.b64encode(message.value or b"").decode("ascii")
    return Row(REJECTED, date, message, {"error": error, "original_b64": original})


def build_table(rows: Iterable[Row]) -> pa.Table:
    """One Arrow table of rows of one kind, sorted by (topic, partition, offset)."""
    rows = sorted(rows, key=lambda r: (r.message.topic, r.message.partition, r.message.offset))
    if not rows:
        raise ValueError("no rows")
    kind = rows[0].kind
    if any(r.kind != kind for r in rows):
        raise ValueError("rows of several kinds in one table")
    columns: dict[str, list[Any]] = {
        "_topic": [r.message.topic for r in rows],
        "_partition": [r.message.partition for r in rows],
        "_offset": [r.message.offset for r in rows],
        "_timestamp": [r.message.timestamp_ms for r in rows],
    }
    if kind == REJECTED:
        known = pa.schema(list(REJECTED_SCHEMA)[len(META_COLUMNS) :])
    else:
        known = kind_schema(kind)
    fields: list[pa.Field] = [pa.field(n, t) for n, t in META_COLUMNS]
    names = list(known.names)
    extra = sorted({k for r in rows for k in r.fields} - set(names) - set(columns))
    for name in names + extra:
        values = [r.fields.get(name) for r in rows]
        typ = known.field(name).type if name in known.names else _infer(values)
        try:
            cells = [_cell(v, typ) for v in values]
        except ValueError:
            typ = pa.string()  # a newer producer changed a type: keep it, as JSON text
            cells = [_cell(v, typ) for v in values]
        columns[name] = cells
        fields.append(pa.field(name, typ))
    schema = pa.schema(fields, metadata={b"wirestream.kind": kind.encode()})
    return pa.Table.from_pydict(columns, schema=schema)
