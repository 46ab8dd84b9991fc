"""SimHash fingerprints of cleaned text, for spotting syndicated copies of one wire story."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_BITS = 64


def simhash(text: str, *, shingle: int = 3) -> int:
    """64-bit SimHash over word ``shingle``-grams (lower-cased). Empty text gives 0."""
    words = [w.lower() for w in _WORD.findall(text)]
    grams = [" ".join(words[i : i + shingle]) for i in range(max(1, len(words) - shingle + 1))]
    weights = [0] * _BITS
    for gram in grams:
        if not gram:
            continue
        h = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(_BITS):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(_BITS) if weights[bit] > 0)


def similarity(a: int, b: int) -> float:
    """1 - Hamming distance / 64: 1.0 for identical fingerprints, about 0.5 for unrelated texts."""
    return 1.0 - bin(a ^ b).count("1") / _BITS


def to_hex(fingerprint: int) -> str:
    return f"{fingerprint:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)
