"""Buffering and writing: the exactly-once core of the archiver, with no Kafka in it.

Each topic-partition has its own buffer. A flush writes the buffer's records to one file per
(kind, date) folder, every file named after the buffer's offset range
(``part-<topic>-<partition>-<first>-<last>.parquet``), and only then may the caller commit
``last + 1``. After a crash between the rename and the commit, :func:`discard_uncommitted`
(called when the partition is assigned again, before consuming) deletes every file of that
topic-partition whose range starts at or after the committed offset: those records are read again
and rewritten, so nothing is lost and nothing is archived twice. Re-reading committed offsets (a
group reset) rewrites files under the same names when the batches line up, and the same
discard-on-assignment removes the old ones when they do not.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from wirestream.archiver.parquet import (
    REJECTED,
    Message,
    Row,
    build_table,
    decode,
    folder,
    parse_part,
    part_file,
    safe,
)
from wirestream.archiver.store import ArchiveStore

logger = logging.getLogger(__name__)


@dataclass
class PartitionBuffer:
    topic: str
    partition: int
    kind: str
    rows: list[Row] = field(default_factory=list)
    started: float = 0.0

    def add(self, message: Message, now: float) -> None:
        if not self.rows:
            self.started = now
        self.rows.append(decode(message, self.kind))

    @property
    def first(self) -> int:
        return self.rows[0].message.offset

    @property
    def last(self) -> int:
        return self.rows[-1].message.offset

    def take(self) -> list[Row]:
        """The buffered rows, leaving the buffer empty (call on the event loop, then write)."""
        rows, self.rows = self.rows, []
        return rows

    def due(self, now: float, max_records: int, max_seconds: float) -> bool:
        return bool(self.rows) and (
            len(self.rows) >= max_records or now - self.started >= max_seconds
        )


def write_rows(store: ArchiveStore, rows: list[Row]) -> list[str]:
    """Write one topic-partition's consecutive rows; returns the relative paths written.

    Every file gets the same name (the batch's offset range) in its own ``kind/date`` folder.
    """
    if not rows:
        return []
    first = rows[0].message
    name = part_file(first.topic, first.partition, first.offset, rows[-1].message.offset)
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row.kind, row.date)].append(row)
    written = []
    for (kind, date), group in sorted(groups.items()):
        rel = f"{folder(kind, date)}/{name}"
        store.write_table(rel, build_table(group))
        written.append(rel)
    return written


def discard_uncommitted(
    store: ArchiveStore, topic: str, partition: int, kind: str, committed: int
) -> list[str]:
    """Delete the files of ``topic``/``partition`` holding offsets at or after ``committed``.

    They were written but their offsets never committed (the worker died in between): consuming
    from ``committed`` writes them again. Returns the deleted paths.
    """
    removed = []
    for prefix in (f"kind={kind}/", f"kind={REJECTED}/"):
        for rel in store.list(prefix):
            part = parse_part(rel)
            if part is None or part.topic != safe(topic) or part.partition != partition:
                continue
            if part.last >= committed:
                if part.first < committed:
                    logger.warning(
                        "archive file straddles the committed offset; rewriting it",
                        extra={"file": rel, "committed": committed},
                    )
                store.delete(rel)
                removed.append(rel)
    return removed


class Batcher:
    """The buffers of every assigned topic-partition and the decision when to flush them."""

    def __init__(
        self, store: ArchiveStore, kinds: dict[str, str], max_records: int, max_seconds: float
    ) -> None:
        self.store = store
        self.kinds = kinds  # topic name -> record kind
        self.max_records = max_records
        self.max_seconds = max_seconds
        self.buffers: dict[tuple[str, int], PartitionBuffer] = {}

    def add(self, message: Message, now: float | None = None) -> None:
        key = (message.topic, message.partition)
        buf = self.buffers.get(key)
        if buf is None:
            buf = PartitionBuffer(message.topic, message.partition, self.kinds[message.topic])
            self.buffers[key] = buf
        if buf.rows and message.offset <= buf.last:
            return  # a re-delivery of what is already buffered
        buf.add(message, time.monotonic() if now is None else now)

    def due(self, now: float | None = None) -> list[PartitionBuffer]:
        t = time.monotonic() if now is None else now
        return [b for b in self.buffers.values() if b.due(t, self.max_records, self.max_seconds)]

    def flush(self, buf: PartitionBuffer) -> tuple[list[str], int]:
        """Write ``buf``; returns the files and the offset to commit (last + 1). Empties it."""
        rows = buf.take()
        return write_rows(self.store, rows), rows[-1].message.offset + 1

    def drop(self, topic: str, partition: int) -> None:
        """Forget a revoked partition's buffer (its records will be read again by the new owner)."""
        self.buffers.pop((topic, partition), None)
