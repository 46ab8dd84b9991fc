"""Which article is a copy of which, decided from the set of fingerprints alone. Pure.

An article's **original** is the earliest, in (Kafka timestamp, article id) order, of the
articles before it in that order whose SimHash similarity to it is at least ``threshold`` and
whose timestamp is at most ``window`` seconds earlier; an article with none is an original itself.
That depends only on which fingerprints have been seen, never on the order they arrived in, so
every worker count and every replay gives the same markings once the same fingerprints are in.

Candidates are found through band values (``d + 1`` bands of the 64 bits for a threshold allowing
``d`` differing bits, as in :mod:`wirestream.extractor.dedup`): two fingerprints within ``d`` bits
share a band value. When a fingerprint arrives, the article's own marking and the markings of the
later articles it nearly repeats are recomputed; :meth:`CopyIndex.add` returns the ones that
changed (what the stage publishes).

Memory: entries older than ``2 × window`` before the newest timestamp seen are dropped; a
fingerprint arriving that late is compared only with what is still held.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wirestream.core.extraction.fingerprint import from_hex, similarity
from wirestream.extractor.dedup import band_keys, max_distance


@dataclass(frozen=True)
class Entry:
    article_id: str
    fingerprint: str
    timestamp: float

    @property
    def order(self) -> tuple[float, str]:
        return (self.timestamp, self.article_id)


@dataclass(frozen=True)
class Mark:
    """One article's marking: its original (None: it is one) and their similarity."""

    entry: Entry
    duplicate_of: str | None
    similarity: float | None


@dataclass
class CopyIndex:
    """The fingerprints seen and the current marking of each article.

    ``threshold`` (default 0.95) and ``window`` (seconds, default 172800 = 2 days) come from
    ``WIRESTREAM_COPIES_THRESHOLD`` and ``WIRESTREAM_COPIES_WINDOW`` in the stage.
    """

    threshold: float = 0.95
    window: float = 172_800.0
    entries: dict[str, Entry] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)
    bands: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    newest: float = float("-inf")
    added: int = 0

    @property
    def band_count(self) -> int:
        return max_distance(self.threshold) + 1

    def add(self, article_id: str, fingerprint: str, timestamp: float) -> list[Mark]:
        """Take one fingerprint in; returns the markings that changed, in (timestamp, id) order."""
        entry = Entry(article_id, fingerprint, timestamp)
        old = self.entries.get(article_id)
        if old == entry:
            return []  # the same fingerprint again (a replayed message)
        affected = {article_id}
        if old is not None:
            affected |= self._neighbours(old)
            self._remove(old)
        self.entries[article_id] = entry
        for key in self._keys(entry):
            self.bands[key].add(article_id)
        affected |= self._neighbours(entry)
        self.newest = max(self.newest, timestamp)
        changed = []
        for other in sorted((self.entries[a] for a in affected), key=lambda e: e.order):
            mark = self._mark(other)
            if self.marks.get(other.article_id) != mark:
                self.marks[other.article_id] = mark
                changed.append(mark)
        self._expire()
        return changed

    def _keys(self, entry: Entry) -> list[str]:
        return band_keys(from_hex(entry.fingerprint), self.band_count)

    def _neighbours(self, entry: Entry) -> set[str]:
        """Articles sharing a band value with ``entry`` (candidates either way)."""
        out: set[str] = set()
        for key in self._keys(entry):
            out |= self.bands.get(key, set())
        out.discard(entry.article_id)
        return out

    def _mark(self, entry: Entry) -> Mark:
        fingerprint = from_hex(entry.fingerprint)
        best: tuple[tuple[float, str], float] | None = None
        for other_id in self._neighbours(entry):
            other = self.entries[other_id]
            if other.order >= entry.order or entry.timestamp - other.timestamp > self.window:
                continue
            score = similarity(fingerprint, from_hex(other.fingerprint))
            if score >= self.threshold and (best is None or other.order < best[0]):
                best = (other.order, score)
        if best is None:
            return Mark(entry, None, None)
        return Mark(entry, best[0][1], round(best[1], 6))

    def _remove(self, entry: Entry) -> None:
        for key in self._keys(entry):
            members = self.bands.get(key)
            if members is not None:
                members.discard(entry.article_id)
                if not members:
                    del self.bands[key]
        self.entries.pop(entry.article_id, None)

    def _expire(self) -> None:
        """Every 1024 fingerprints, drop those older than ``2 × window`` before the newest."""
        self.added += 1
        if self.added % 1024:
            return
        horizon = self.newest - 2 * self.window
        for entry in [e for e in self.entries.values() if e.timestamp < horizon]:
            self._remove(entry)
            self.marks.pop(entry.article_id, None)
