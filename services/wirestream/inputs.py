"""Reading articles from files: ``.txt``, ``.json``, ``.jsonl`` and standard input (``-``).

- ``.txt``: the first non-empty line is the title, the rest the body (the body keeps its own
  offsets: it starts right after the title line's newline).
- ``.json``: one article object.
- ``.jsonl``: one article object per line; blank lines are skipped.
- ``-``: standard input, read as JSON lines (or as one JSON object when it starts with ``{`` and
  is not one object per line).

Each input yields either an :class:`Article` or an :class:`InputError` naming file and line, so one
bad line never stops the others.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.errors import InputError


@dataclass(frozen=True)
class ReadResult:
    location: str
    article: Article | None = None
    error: InputError | None = None


def validation_message(exc: ValidationError) -> str:
    """One line per problem, naming the field: "body: String should have at least 1 character"."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(article)"
        msg = (
            "unknown field, not part of the article contract"
            if err["type"] == "extra_forbidden"
            else err["msg"]
        )
        parts.append(f"{field}: {msg}")
    return "; ".join(parts)


def parse_article(data: Any, location: str) -> Article:
    """Validate a decoded JSON value as an article; raises InputError naming the field."""
    if not isinstance(data, dict):
        raise InputError(
            f"expected a JSON object with at least 'body', got {type(data).__name__}",
            stage="validate",
            location=location,
        )
    try:
        return Article.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_message(exc), stage="validate", location=location) from exc


def decode_article(raw: bytes, location: str) -> Article:
    """Bytes (UTF-8 JSON) to an article; raises InputError with stage 'decode' or 'validate'.

    The bytes are parsed as they are (orjson checks the UTF-8 itself); only bytes that fail are
    decoded step by step, to say whether the UTF-8 or the JSON is wrong."""
    try:
        data = jsonio.loads(raw)
    except ValueError:
        data = _decode_failure(raw, location)
    return parse_article(data, location)


def _decode_failure(raw: bytes, location: str) -> Any:
    """Why ``raw`` is not a JSON value: InputError (stage ``decode``) naming the bad UTF-8 or JSON."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 ({exc.reason} at byte {exc.start}): send articles as UTF-8 JSON",
            stage="decode",
            location=location,
        ) from exc
    try:
        return jsonio.loads(text)
    except ValueError as exc:
        raise InputError(f"not JSON: {exc}", stage="decode", location=location) from exc


def _from_text(text: str, location: str, stem: str) -> Article:
    lines = text.split("\n")
    offset = 0
    for line in lines:
        if line.strip():
            title = line.strip()
            body = text[offset + len(line) + 1 :]
            return parse_article({"id": stem, "title": title, "body": body}, location)
        offset += len(line) + 1
    raise InputError(
        "the file is empty: a .txt article needs a title line and a body", location=location
    )


def _jsonl(lines: Iterable[str], name: str) -> Iterator[ReadResult]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        location = f"{name}:{number}"
        try:
            yield ReadResult(location, article=decode_article(line.encode("utf-8"), location))
        except InputError as exc:
            yield ReadResult(location, error=exc)


def read_path(path: str) -> Iterator[ReadResult]:
    """Articles from one path (or ``-`` for standard input)."""
    if path == "-":
        yield from _jsonl(sys.stdin, "<stdin>")
        return
    file = Path(path)
    try:
        if file.suffix == ".jsonl":
            with file.open(encoding="utf-8", errors="surrogateescape") as handle:
                yield from _jsonl(handle, path)
            return
        raw = file.read_bytes()
    except OSError as exc:
        yield ReadResult(
            path, error=InputError(f"cannot read: {exc.strerror}", stage="decode", location=path)
        )
        return
    try:
        if file.suffix == ".json":
            yield ReadResult(path, article=decode_article(raw, path))
        elif file.suffix == ".txt":
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError("not UTF-8 text", stage="decode", location=path) from exc
            yield ReadResult(path, article=_from_text(text, path, file.stem))
        else:
            raise InputError(
                f"unknown file type {file.suffix!r}: use .txt, .json or .jsonl",
                stage="decode",
                location=path,
            )
    except InputError as exc:
        yield ReadResult(path, error=exc)


def read_paths(paths: Iterable[str]) -> Iterator[ReadResult]:
    for path in paths:
        yield from read_path(path)
