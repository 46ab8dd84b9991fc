"""Compaction: many small files of one ``kind/date`` folder into one, idempotent and crash-safe.

Only ``part-`` files whose offsets the archiver has committed take part (an uncommitted file may
still be discarded and rewritten by the archiver). The merged rows are de-duplicated by record id
(the latest message wins; a record published twice is kept once), written atomically as
``compact-<digest of the source names>.parquet`` with the source names in the file's metadata, and
only then are the sources deleted. A crash before the deletions leaves both; the next run sees the
compacted file's sources still present, deletes them, and goes on. Running it again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from wirestream.archiver.parquet import REJECTED, parse_part
from wirestream.archiver.store import ArchiveStore
from wirestream.errors import WirestreamError

logger = logging.getLogger(__name__)

SOURCES_KEY = b"wirestream.compacted_from"

Committed = Callable[[str, int], int | None]
"""Committed offset of a (topic as in file names, partition), or None when nothing is committed."""


@dataclass
class CompactionReport:
    folders: int = 0
    merged_files: int = 0
    written: list[str] = field(default_factory=list)
    skipped_uncommitted: int = 0
    finished_interrupted: int = 0
    rows_before: int = 0
    rows_after: int = 0


def _folder(rel: str) -> str:
    return rel.rsplit("/", 1)[0]


def compact(store: ArchiveStore, committed: Committed, *, min_files: int = 2) -> CompactionReport:
    """Compact every folder of the archive that has at least ``min_files`` committed files."""
    report = CompactionReport()
    removed = store.clean_temporaries()
    if removed:
        logger.info("removed temporary files of interrupted writes", extra={"count": removed})
    by_folder: dict[str, list[str]] = defaultdict(list)
    for rel in store.list():
        by_folder[_folder(rel)].append(rel)
    for path, files in sorted(by_folder.items()):
        files = _finish_interrupted(store, files, report)
        candidates = []
        for rel in files:
            part = parse_part(rel)
            if part is not None:
                done = committed(part.topic, part.partition)
                if done is None or part.last >= done:
                    report.skipped_uncommitted += 1
                    continue
            candidates.append(rel)
        if len(candidates) < min_files:
            continue
        report.folders += 1
        report.written.append(_merge(store, path, candidates, report))
        report.merged_files += len(candidates)
    return report


def _finish_interrupted(
    store: ArchiveStore, files: list[str], report: CompactionReport
) -> list[str]:
    present = set(files)
    for rel in files:
        if not rel.rsplit("/", 1)[-1].startswith("compact-"):
            continue
        sources = json.loads(store.read_metadata(rel).get(SOURCES_KEY, b"[]"))
        for name in sources:
            src = f"{_folder(rel)}/{name}"
            if src in present and src != rel:
                store.delete(src)
                present.discard(src)
                report.finished_interrupted += 1
    return sorted(present)


def _merge(store: ArchiveStore, path: str, files: list[str], report: CompactionReport) -> str:
    tables = [store.read_table(rel) for rel in files]
    try:
        merged = pa.concat_tables(
            [t.replace_schema_metadata(None) for t in tables], promote_options="permissive"
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise WirestreamError(
            f"cannot compact {path}: its files disagree on a column's type ({exc}); "
            "leave this folder uncompacted or rewrite the odd file"
        ) from exc
    report.rows_before += merged.num_rows
    key = "_topic, _partition, _offset" if path.startswith(f"kind={REJECTED}/") else "id"
    con = duckdb.connect()
    con.register("merged", merged)
    deduped = con.sql(
        f"SELECT * FROM merged QUALIFY row_number() OVER (PARTITION BY {key} "
        "ORDER BY _timestamp DESC NULLS LAST, _topic DESC, _partition DESC, _offset DESC) = 1 "
        "ORDER BY _topic, _partition, _offset"
    ).to_arrow_table()
    con.close()
    report.rows_after += deduped.num_rows
    names = sorted(rel.rsplit("/", 1)[-1] for rel in files)
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:20]
    target = f"{path}/compact-{digest}.parquet"
    meta = dict(tables[0].schema.metadata or {})
    meta[SOURCES_KEY] = json.dumps(names).encode()
    store.write_table(target, deduped.replace_schema_metadata(meta))
    for rel in files:
        if rel != target:
            store.delete(rel)
    logger.info("compacted", extra={"folder": path, "files": len(files), "into": target})
    return target
