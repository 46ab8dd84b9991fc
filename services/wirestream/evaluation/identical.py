"""Byte-identical check: the records of a fixed set of articles against a reference file.

A refactoring of the core must not change a single record. This module extracts the same inputs
``wirestream extract`` would be given and compares its output, byte for byte, with a reference
written before the change:

- the first ``--limit`` articles (default 2,000) of the load corpus, in file order: the
  ``*.jsonl`` files of ``DATA/load`` sorted by name (``bbc.jsonl`` first), line by line;
- the seed article, ``tests/data/seed_article.json``.

Write the reference before changing anything, then check after::

    python -m wirestream.evaluation.identical --write /tmp/before.jsonl
    python -m wirestream.evaluation.identical --before /tmp/before.jsonl

(``make identical`` does the second; ``REF=`` names the reference, default
``/tmp/wirestream-identical.jsonl``.) The same reference comes from ``wirestream extract
FIRST.jsonl tests/data/seed_article.json`` where ``FIRST.jsonl`` holds those first lines. The
check prints the first record that differs (line number, article id, record kind and the first
differing field) and exits 1, or prints the record count and exits 0 (2 when the data is
missing). ``DATA`` is ``--data``, else ``$WIRESTREAM_EVAL_DATA``, else ``../shared/data`` beside the
repository; the load corpus is evaluation data and is never copied here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.evaluation.data import DataNotFoundError, default_data_dir
from wirestream.inputs import read_path

DEFAULT_LIMIT = 2000
SEED = Path(__file__).resolve().parents[3] / "tests" / "data" / "seed_article.json"
"""The seed article of the repository's tests (present in a source checkout)."""


def inputs(data: Path, limit: int, seed: Path = SEED) -> Iterator[Article]:
    """The first ``limit`` valid articles of ``data/load/*.jsonl`` (file order), then the seed."""
    folder = data / "load" if (data / "load").is_dir() else data
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise DataNotFoundError(f"no load corpus: expected *.jsonl files in {folder}")
    if not seed.is_file():
        raise DataNotFoundError(f"no seed article at {seed} (run from a source checkout)")
    loaded = (r.article for path in files for r in read_path(str(path)) if r.article is not None)
    yield from islice(loaded, limit)
    yield from (r.article for r in read_path(str(seed)) if r.article is not None)


def records(data: Path, limit: int, batch_size: int = 8) -> Iterator[bytes]:
    """Every record of :func:`inputs` as ``wirestream extract`` writes it (one JSON line)."""
    from wirestream.core.extraction import Extractor

    extractor = Extractor.load(batch_size=batch_size)
    for result in extractor.extract_many(inputs(data, limit)):
        for record in result.records:
            yield jsonio.dumps(record) + b"\n"


def first_difference(before: Any, after: Any, path: str = "") -> str:
    """The path of the first field where two decoded records differ, with both values."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if before.get(key, ...) != after.get(key, ...):
                return first_difference(before.get(key), after.get(key), f"{path}.{key}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            if b != a:
                return first_difference(b, a, f"{path}[{i}]")
    return f"{path or '(record)'}: before {before!r}, after {after!r}"


def _describe(number: int, before: bytes | None, after: bytes | None) -> str:
    if before is None or after is None:
        which = "reference" if before is None else "new output"
        return f"record {number}: the {which} ends here (the other goes on)"
    old, new = jsonio.loads(before), jsonio.loads(after)
    where = f"article {old.get('article_id')!r}, {old.get('kind', 'record')} {old.get('id')!r}"
    return f"record {number} ({where}) differs at {first_difference(old, new)}"


def compare(reference: Path, produced: Iterator[bytes]) -> tuple[int, str | None]:
    """(records compared, description of the first difference or None)."""
    count = 0
    with reference.open("rb") as ref:
        for count, line in enumerate(produced, start=1):
            expected = ref.readline()
            if expected != line:
                return count, _describe(count, expected or None, line)
        extra = ref.readline()
        if extra:
            return count + 1, _describe(count + 1, extra, None)
    return count, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wirestream.evaluation.identical",
        description="Extract the first LIMIT load-corpus articles and the seed article, and "
        "compare the records byte for byte with a reference (--before), or write one (--write).",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--before", type=Path, metavar="REF", help="reference JSON lines to check")
    mode.add_argument("--write", type=Path, metavar="REF", help="write the reference here")
    parser.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, help=f"load articles (default {DEFAULT_LIMIT})"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="folder holding load/*.jsonl (default: $WIRESTREAM_EVAL_DATA, else ../shared/data)",
    )
    args = parser.parse_args(argv)
    data = args.data if args.data is not None else default_data_dir()
    if args.before is not None and not args.before.is_file():
        print(
            f"error: no reference at {args.before}; write one first with --write", file=sys.stderr
        )
        return 2
    try:
        produced = records(data, args.limit)
        if args.write is not None:
            with args.write.open("wb") as out:
                written = sum(out.write(line) > 0 for line in produced)
            print(f"wrote {written} records to {args.write}")
            return 0
        count, difference = compare(args.before, produced)
    except DataNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if difference is not None:
        print(f"DIFFERENT: {difference}")
        return 1
    print(f"identical: {count} records byte for byte the same as {args.before}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
