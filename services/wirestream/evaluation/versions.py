"""Count story versions and syndicated copies in a wire corpus, and print pairs to check by hand.

``python -m wirestream.evaluation.versions [PATH] [--limit N] [--sample K] [--seed S]
[--threshold T] [--workers W]`` reads a JSONL file of articles (default
``../shared/data/wire/reuters_wire.jsonl``), cleans each (no spaCy: the fingerprint and the wire
envelope come from :func:`wirestream.core.extraction.cleaning.clean`, exactly as in extraction)
and takes line ``i`` as arriving at Kafka timestamp ``i`` seconds. It prints:

- **versions**: stories with a wire version tag ("UPDATE n-" → version n + 1), correction and
  refile tags, kill tags; and, since the corpus has no story ids, headline groups (the title
  without its tags) with more than one article - re-issued stories - and how many of those the
  copy marking links;
- **copies**: articles the copies stage marks (:class:`~wirestream.copies.marking.CopyIndex`,
  threshold ``T``, default 0.95, window 2 days), the same marking after a shuffled arrival order
  (must be identical: the replay check), and what the extractor's per-worker hint
  (:class:`~wirestream.extractor.dedup.DuplicateIndex`) finds when ``W`` workers (default 2)
  share 4 raw partitions by key hash - the copies it misses;
- ``K`` (default 30) marked pairs drawn with seed ``S`` (default 16): ids, similarity and both
  titles, to check by hand. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wirestream.copies.marking import CopyIndex
from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.core.extraction.cleaning import clean
from wirestream.core.extraction.fingerprint import simhash, to_hex
from wirestream.core.stories import Tag, effective_version, is_kill
from wirestream.extractor.dedup import DuplicateIndex

DEFAULT_FILE = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "wire" / "reuters_wire.jsonl"
)
PARTITIONS = 4


@dataclass(frozen=True)
class Item:
    article_id: str
    title: str
    headline: str
    fingerprint: str
    timestamp: float
    tags: tuple[Tag, ...]


def load(path: Path, limit: int | None) -> list[Item]:
    items: list[Item] = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle):
            if limit is not None and len(items) >= limit:
                break
            data = jsonio.loads(line)
            if not data.get("body"):
                continue
            article = Article(
                id=str(data["id"]), title=data.get("title"), body=data["body"], language="en"
            )
            cleaned = clean(article)
            found = cleaned.envelope.tags if cleaned.envelope is not None else []
            tags = tuple(Tag(t.kind, t.number) for t in found)
            title = article.title or ""
            title_end = max((t.end for t in found if t.field == "title"), default=0)
            headline = re.sub(r"\s+", " ", title[title_end:]).strip(" -:").upper()
            fingerprint = to_hex(simhash(cleaned.text))
            items.append(Item(article.id, title, headline, fingerprint, float(number), tags))
    return items


def mark(items: Sequence[Item], threshold: float) -> dict[str, tuple[str | None, float | None]]:
    index = CopyIndex(threshold=threshold, window=172_800.0)
    for item in items:
        index.add(item.article_id, item.fingerprint, item.timestamp)
    return {a: (m.duplicate_of, m.similarity) for a, m in index.marks.items()}


def per_worker_hint(items: Sequence[Item], threshold: float, workers: int) -> dict[str, str]:
    """What the extractor's ``duplicate_of`` says when ``workers`` workers share the partitions
    (partition by crc32 of the article id, worker = partition mod workers), in file order."""
    indexes = [DuplicateIndex({}, threshold=threshold, per_band=32) for _ in range(workers)]
    out = {}
    for item in items:
        worker = (zlib.crc32(item.article_id.encode()) % PARTITIONS) % workers
        found = indexes[worker].observe(item.article_id, item.fingerprint, item.timestamp)
        if found is not None:
            out[item.article_id] = found.of
    return out


def report(items: list[Item], args: argparse.Namespace) -> list[str]:
    lines = [f"articles: {len(items)}"]
    tag_kinds = Counter(t.kind for item in items for t in item.tags)
    versions = Counter(effective_version(None, list(item.tags)) for item in items)
    kills = sum(is_kill(None, item.tags) for item in items)
    lines.append(
        "version tags: "
        + ", ".join(f"{k} {tag_kinds[k]}" for k in ("update", "correction", "refile", "kill"))
        + f"; kill notices {kills}; versions {dict(sorted(versions.items()))}"
    )
    marks = mark(items, args.threshold)
    copies = {a: m for a, m in marks.items() if m[0] is not None}
    shuffled = list(items)
    random.Random(args.seed).shuffle(shuffled)
    replay = mark(shuffled, args.threshold)
    lines.append(
        f"copies marked: {len(copies)} of {len(items)} "
        f"(originals with copies: {len({m[0] for m in copies.values()})}); "
        f"shuffled arrival gives the same marks: {replay == marks}"
    )
    hint = per_worker_hint(items, args.threshold, args.workers)
    agree = sum(1 for a, of in hint.items() if copies.get(a, (None,))[0] == of)
    lines.append(
        f"per-worker hint with {args.workers} workers: {len(hint)} marked, {agree} agree with "
        f"the copies stage, {len(copies) - agree} copies missed or marked otherwise"
    )
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.headline:
            groups[item.headline].append(item)
    reissued = {h: g for h, g in groups.items() if len(g) > 1}
    linked = sum(1 for g in reissued.values() for i in g[1:] if i.article_id in copies)
    lines.append(
        f"headline groups with more than one article (re-issued stories): {len(reissued)} "
        f"groups, {sum(len(g) for g in reissued.values())} articles; later articles of a group "
        f"marked as copies: {linked} of {sum(len(g) - 1 for g in reissued.values())}"
    )
    by_id = {item.article_id: item for item in items}
    pairs = sorted(copies.items())
    random.Random(args.seed).shuffle(pairs)
    lines.append(f"sample of {min(args.sample, len(pairs))} marked pairs (copy <- original):")
    for article_id, (of, score) in pairs[: args.sample]:
        copy, original = by_id[article_id], by_id[of or ""]
        lines.append(
            f"  {article_id} <- {of} sim={score}: {copy.title[:70]!r} | {original.title[:70]!r}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wirestream.evaluation.versions",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int, default=None, help="first N articles (default all)")
    parser.add_argument("--sample", type=int, default=30, help="pairs to print (default 30)")
    parser.add_argument("--seed", type=int, default=16, help="sample seed (default 16)")
    parser.add_argument("--threshold", type=float, default=0.95, help="default 0.95")
    parser.add_argument("--workers", type=int, default=2, help="default 2")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"no corpus at {args.path}", file=sys.stderr)
        return 2
    for line in report(load(args.path, args.limit), args):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
