"""Near-duplicate (syndicated copy) detection over SimHash fingerprints, in a bounded store.

The 64 fingerprint bits are cut into ``d + 1`` bands, where ``d`` is the largest Hamming distance
the similarity threshold allows (0.95 → 3 bits → 4 bands of 16 bits). Two fingerprints within
``d`` bits agree on at least one band (pigeonhole), so looking up the article's own band values
finds every candidate without a scan. Each band value keeps at most ``per_band`` recent entries
``[article_id, fingerprint_hex, timestamp]``.

Determinism: an article is only compared with entries *before* it in (timestamp, article id)
order, where the timestamp is the Kafka message's, not the wall clock. A replayed message has the
same timestamp, so it gets the same ``duplicate_of`` again - even though its own entry and later
copies are in the store by then.

The store is any mutable mapping (a dict in the worker). What survives a restart is the
fingerprint changelog (:data:`~wirestream.streaming.topics.EXTRACTOR_FINGERPRINTS`): every
article's entry is written in the same Kafka transaction as its records, to the partition of the
raw message it came from, and a worker assigned a raw partition reads that changelog partition back
(:meth:`DuplicateIndex.remember`) before processing it, within a bounded time.

Limits: a worker compares an article with what it has seen and read back - the fingerprints of
the raw partitions it owns or owned since it started. With one worker every copy is compared with
every earlier one; with several, a copy is only matched against earlier copies on this worker's
partitions, and after a rebalance a replayed article can get a different ``duplicate_of`` than
the first time. Entity, quote and event records never depend on the store. So the article record's
``duplicate_of`` is a per-worker hint; the marking that holds with any number of workers and under
replay is the copies stage's (:mod:`wirestream.copies`, the ``copies`` topic), which sees every
article's fingerprint in one place.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from wirestream.core.extraction.fingerprint import from_hex, similarity

BITS = 64


@dataclass(frozen=True)
class Duplicate:
    """The earliest earlier article this one nearly repeats, and how similar they are."""

    of: str
    similarity: float


def max_distance(threshold: float) -> int:
    """Largest Hamming distance (of 64 bits) whose similarity is still ≥ ``threshold``."""
    distance = 0
    while distance < BITS and 1.0 - (distance + 1) / BITS >= threshold - 1e-12:
        distance += 1
    return distance


def band_keys(fingerprint: int, bands: int) -> list[str]:
    """The store keys of ``fingerprint``'s band values: ``b<i>:<hex>``, one per band."""
    keys = []
    for index in range(bands):
        start = index * BITS // bands
        end = (index + 1) * BITS // bands
        value = (fingerprint >> start) & ((1 << (end - start)) - 1)
        keys.append(f"b{index}:{value:x}")
    return keys


class DuplicateIndex:
    """Finds and remembers near-duplicates.

    ``threshold`` (default 0.95) is the minimum SimHash similarity; ``window`` (seconds, default
    2 days) how far back to look; ``per_band`` (default 32) how many entries one band value keeps.
    The extractor sets them from ``WIRESTREAM_EXTRACTOR_DEDUP_THRESHOLD``, ``..._DEDUP_WINDOW`` and
    ``..._DEDUP_PER_BAND``.
    """

    def __init__(
        self,
        store: MutableMapping[str, Any],
        *,
        threshold: float = 0.95,
        window: float = 172_800.0,
        per_band: int = 32,
    ) -> None:
        self.store = store
        self.threshold = threshold
        self.window = window
        self.per_band = per_band
        self.bands = max_distance(threshold) + 1

    def remember(self, article_id: str, fingerprint_hex: str, timestamp: float) -> None:
        """Add an entry read back from the changelog, without looking for duplicates."""
        fingerprint = from_hex(fingerprint_hex)
        self._store_entry(
            band_keys(fingerprint, self.bands), article_id, fingerprint_hex, timestamp
        )

    def observe(self, article_id: str, fingerprint_hex: str, timestamp: float) -> Duplicate | None:
        """Record the article and return the earliest earlier near-duplicate, if any."""
        fingerprint = from_hex(fingerprint_hex)
        me = (timestamp, article_id)
        keys = band_keys(fingerprint, self.bands)
        best: tuple[tuple[float, str], float] | None = None
        for key in keys:
            for other_id, other_hex, other_ts in self.store.get(key, ()):
                other = (float(other_ts), str(other_id))
                if other_id == article_id or other >= me or timestamp - other[0] > self.window:
                    continue
                score = similarity(fingerprint, from_hex(other_hex))
                if score >= self.threshold and (best is None or other < best[0]):
                    best = (other, score)
        self._store_entry(keys, article_id, fingerprint_hex, timestamp)
        if best is None:
            return None
        return Duplicate(of=best[0][1], similarity=round(best[1], 6))

    def _store_entry(
        self, keys: list[str], article_id: str, fingerprint_hex: str, timestamp: float
    ) -> None:
        for key in keys:
            entries = [
                entry
                for entry in self.store.get(key, ())
                if entry[0] != article_id and timestamp - float(entry[2]) <= self.window
            ]
            entries.append([article_id, fingerprint_hex, timestamp])
            entries.sort(key=lambda entry: (float(entry[2]), str(entry[0])))
            self.store[key] = entries[-self.per_band :]
