"""Schema compatibility: can a reader with one JSON Schema read what a writer with another wrote?

The policy (``docs/CONSUMERS.md``), in Confluent Schema Registry's terms, between every published
version of one major version (``schemas/history/<Model>/<major>.<minor>.json``) and the current one:

- record topics (everything Wirestream writes): ``FULL_TRANSITIVE`` - BACKWARD (a new reader reads
  data written under every earlier version) *and* FORWARD (every earlier reader reads new data);
- the raw input (Wirestream reads it): ``BACKWARD_TRANSITIVE``.

On top of that, no field is ever removed or renamed within a major (Wirestream promises every
declared field stays), even an optional one that a pure FULL check would let go.

Enums are open: a minor version may add values to an enum (a new event type, a new mode), and
readers must accept a value they do not know (treat it as "other"; a reader validating with JSON
Schema takes the latest minor of its major, ``schemas/json/<Model>.v<major>.json``). So the FORWARD
check lets an enum grow; a ``const`` (``kind``, ``schema_version``) never changes.

In practice, within a major only these changes pass: adding an optional field, adding an enum
value, changing descriptions and examples, loosening a constraint in BACKWARD-only schemas. A
removed or renamed field, a changed type, a narrowed enum, a new required field or a tightened
constraint fails: bump the major (a new schema file ``<Model>.v<major+1>.json``).

:func:`problems` works on the subset of JSON Schema pydantic generates: ``$ref``/``$defs``,
``type``, ``anyOf``, ``enum``/``const``, ``properties``/``required``/``additionalProperties``,
``items``/``prefixItems`` and numeric/length bounds.
"""

from __future__ import annotations

from typing import Any, Literal

Mode = Literal["BACKWARD", "FORWARD", "FULL"]

_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_EXACT = ("pattern", "format", "multipleOf")

Schema = dict[str, Any]


def mode_of(compatibility: str) -> Mode:
    """``FULL_TRANSITIVE`` → ``FULL`` (transitivity: the check runs against every version)."""
    mode = compatibility.replace("_TRANSITIVE", "")
    if mode not in ("BACKWARD", "FORWARD", "FULL"):
        raise ValueError(f"unknown compatibility mode {compatibility!r}")
    return mode  # type: ignore[return-value]


def problems(old: Schema, new: Schema, mode: Mode) -> list[str]:
    """Every incompatibility of ``new`` with ``old`` under ``mode``, plus removed fields;
    an empty list means compatible."""
    found: list[str] = []
    if mode in ("BACKWARD", "FULL"):
        found += [f"BACKWARD: {p}" for p in _Check(reader=new, writer=old).run()]
    if mode in ("FORWARD", "FULL"):
        forward = _Check(reader=old, writer=new, open_enums=True)
        found += [f"FORWARD: {p}" for p in forward.run()]
    found += [f"removed or renamed: {p}" for p in _removed(old, new)]
    return sorted(set(found))


def _resolve(root: Schema, schema: Schema) -> Schema:
    seen = 0
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        schema = root["$defs"][ref[len("#/$defs/") :]]
        seen += 1
        if seen > 64:
            raise ValueError("$ref cycle")
    return schema


def _branches(root: Schema, schema: Schema) -> list[Schema]:
    schema = _resolve(root, schema)
    if "anyOf" in schema or "oneOf" in schema:
        out: list[Schema] = []
        for branch in schema.get("anyOf") or schema.get("oneOf") or []:
            out += _branches(root, branch)
        return out
    types = schema.get("type")
    if isinstance(types, list):
        return [{**schema, "type": t} for t in types]
    return [schema]


def _kind(schema: Schema) -> str:
    if "type" in schema:
        return str(schema["type"])
    values = schema.get("enum", [schema["const"]] if "const" in schema else None)
    if values:
        kinds = {_json_type(v) for v in values}
        return kinds.pop() if len(kinds) == 1 else "mixed"
    if "properties" in schema:
        return "object"
    return "any"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _values(schema: Schema) -> set[Any] | None:
    if "const" in schema:
        return {schema["const"]}
    if "enum" in schema:
        return set(schema["enum"])
    return None


class _Check:
    """Does every document the writer's schema describes validate against the reader's?"""

    def __init__(self, reader: Schema, writer: Schema, *, open_enums: bool = False) -> None:
        self.reader_root = reader
        self.writer_root = writer
        self.open_enums = open_enums
        """Accept enum values the reader does not list (enums are open; ``const`` is not)."""
        self.found: list[str] = []
        self.seen: set[tuple[int, int]] = set()

    def run(self) -> list[str]:
        self.accepts(self.reader_root, self.writer_root, "$")
        return self.found

    def accepts(self, reader: Schema, writer: Schema, path: str) -> None:
        pair = (id(_resolve(self.reader_root, reader)), id(_resolve(self.writer_root, writer)))
        if pair in self.seen:
            return
        self.seen.add(pair)
        readers = _branches(self.reader_root, reader)
        for branch in _branches(self.writer_root, writer):
            kind = _kind(branch)
            match = [r for r in readers if _kind(r) in (kind, "any")]
            if kind == "integer" and not match:
                match = [r for r in readers if _kind(r) == "number"]
            if not match:
                have = sorted({_kind(r) for r in readers})
                self.found.append(f"{path}: type {kind} written, reader takes {have}")
                continue
            self.same(match[0], branch, path)

    def same(self, reader: Schema, writer: Schema, path: str) -> None:
        wanted, given = _values(reader), _values(writer)
        if wanted is not None:
            if given is None:
                self.found.append(f"{path}: reader takes only {sorted(wanted, key=str)}")
            elif not given <= wanted and not (self.open_enums and "enum" in reader):
                extra = sorted(given - wanted, key=str)
                self.found.append(f"{path}: values {extra} written, not in the reader's enum")
        for key in _LOWER:
            if key in reader and (key not in writer or writer[key] < reader[key]):
                self.found.append(f"{path}: {key} {reader[key]} in the reader only/tighter")
        for key in _UPPER:
            if key in reader and (key not in writer or writer[key] > reader[key]):
                self.found.append(f"{path}: {key} {reader[key]} in the reader only/tighter")
        for key in _EXACT:
            if key in reader and reader.get(key) != writer.get(key):
                self.found.append(f"{path}: {key} {reader[key]!r} differs")
        if _kind(writer) == "object":
            self.objects(reader, writer, path)
        if _kind(writer) == "array":
            if "items" in reader and "items" in writer:
                self.accepts(reader["items"], writer["items"], f"{path}[]")
            for i, (r, w) in enumerate(
                zip(reader.get("prefixItems", []), writer.get("prefixItems", []), strict=False)
            ):
                self.accepts(r, w, f"{path}[{i}]")

    def objects(self, reader: Schema, writer: Schema, path: str) -> None:
        r_props: Schema = reader.get("properties", {})
        w_props: Schema = writer.get("properties", {})
        w_required = set(writer.get("required", []))
        for name in reader.get("required", []):
            if name not in w_required:
                self.found.append(f"{path}.{name}: required by the reader, optional for the writer")
        for name, w_schema in w_props.items():
            if name in r_props:
                self.accepts(r_props[name], w_schema, f"{path}.{name}")
                continue
            extra = reader.get("additionalProperties", True)
            if extra is False:
                self.found.append(f"{path}.{name}: written, but the reader is closed to it")
            elif isinstance(extra, dict):
                self.accepts(extra, w_schema, f"{path}.{name}")
        r_extra = reader.get("additionalProperties", True)
        w_extra = writer.get("additionalProperties", True)
        if isinstance(r_extra, dict) and isinstance(w_extra, dict):
            self.accepts(r_extra, w_extra, f"{path}.*")
        elif r_extra is not True and w_extra is True:
            self.found.append(f"{path}.*: the writer's free-form entries are limited by the reader")


def _removed(old: Schema, new: Schema) -> list[str]:
    """Fields of ``old``'s objects missing from the same object of ``new`` (by path)."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()

    def walk(o: Schema, n: Schema, path: str) -> None:
        o, n = _resolve(old, o), _resolve(new, n)
        if (id(o), id(n)) in seen:
            return
        seen.add((id(o), id(n)))
        o_branches = {_kind(b): b for b in _branches(old, o)}
        n_branches = {_kind(b): b for b in _branches(new, n)}
        for kind, o_b in o_branches.items():
            n_b = n_branches.get(kind)
            if n_b is None:
                continue  # a type change: the FULL/BACKWARD check reports it
            o_props, n_props = o_b.get("properties", {}), n_b.get("properties", {})
            for name, o_schema in o_props.items():
                if name not in n_props:
                    found.append(f"{path}.{name}")
                else:
                    walk(o_schema, n_props[name], f"{path}.{name}")
            if "items" in o_b and "items" in n_b:
                walk(o_b["items"], n_b["items"], f"{path}[]")

    walk(old, new, "$")
    return found
