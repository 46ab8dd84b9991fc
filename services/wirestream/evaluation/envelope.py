"""Measure envelope parsing on wire copy: dateline and sign-off shares, and a sample to check by hand.

``python -m wirestream.evaluation.envelope [PATH] [--limit N] [--sample K] [--seed S]`` runs the
whole extraction on the first ``N`` stories (default 1,000) of a JSONL file of articles (default
``../shared/data/wire/reuters_wire.jsonl``) and prints:

- the share of stories with a parsed dateline, with a resolved dateline place, and with a
  recognised sign-off ("Reuter");
- how many quote and event spans (quote content, event trigger and evidence) overlap an envelope
  part (should be 0), over all stories;
- ``K`` stories (default 50) drawn with a fixed seed (default 18): the dateline as written, the
  resolved place and country, the sign-off, and any overlap, one line each, to check by hand.

Only counts and the stories' own dateline strings are printed; no text is written anywhere.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

from wirestream.core import jsonio
from wirestream.core.contracts import Article, Span
from wirestream.core.extraction import ArticleResult, Extractor

DEFAULT_PATH = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "wire"
DEFAULT_FILE = DEFAULT_PATH / "reuters_wire.jsonl"


def _overlaps(spans: list[Span], parts: list[tuple[int, int]]) -> int:
    return sum(
        1 for s in spans if s.field == "body" and any(s.start < e and b < s.end for b, e in parts)
    )


def _record_spans(result: ArticleResult) -> list[Span]:
    spans = [q.span for q in result.quotes]
    for event in result.events:
        spans += [event.trigger, event.evidence]
    return spans


def summarise(results: list[ArticleResult]) -> tuple[Counter[str], list[str]]:
    """Counts over every story and one line per story (for the hand check)."""
    counts: Counter[str] = Counter()
    lines: list[str] = []
    for result in results:
        counts["stories"] += 1
        envelope = result.article.envelope
        parts = [(p.span.start, p.span.end) for p in envelope.parts] if envelope else []
        kinds = {p.kind for p in envelope.parts} if envelope else set()
        dateline = envelope.dateline if envelope else None
        overlap = _overlaps(_record_spans(result), parts)
        counts["quote/event spans"] += len(_record_spans(result))
        counts["overlapping envelope"] += overlap
        counts["dateline"] += dateline is not None
        counts["dateline place resolved"] += bool(dateline and dateline.place.geo)
        counts["sign-off"] += "signoff" in kinds
        counts["credits"] += "credits" in kinds
        place = dateline.place if dateline else None
        lines.append(
            f"{result.article.article_id}\t{dateline.span.text if dateline else '-'}\t"
            f"{place.name if place else '-'}\t{place.country if place else '-'}\t"
            f"{'sign-off' if 'signoff' in kinds else '-'}\toverlaps={overlap}"
        )
    return counts, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wirestream.evaluation.envelope")
    parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE), help="JSONL of articles")
    parser.add_argument("--limit", type=int, default=1000, help="first N stories (default 1000)")
    parser.add_argument("--sample", type=int, default=50, help="stories to print (default 50)")
    parser.add_argument("--seed", type=int, default=18, help="sample seed (default 18)")
    args = parser.parse_args(argv)
    articles: list[Article] = []
    with open(args.path, "rb") as handle:
        for line in handle:
            if len(articles) >= args.limit:
                break
            raw = jsonio.loads(line)
            if str(raw.get("body") or "").strip():
                articles.append(Article.model_validate({**raw, "language": "en"}))
    extractor = Extractor.load()
    results = list(extractor.extract_many(articles))
    counts, lines = summarise(results)
    total = counts["stories"] or 1
    print(f"stories: {counts['stories']} (first {args.limit} of {args.path})")
    for key in ("dateline", "dateline place resolved", "sign-off", "credits"):
        print(f"{key}: {counts[key]} ({100 * counts[key] / total:.1f}%)")
    print(
        f"quote/event spans overlapping the envelope: {counts['overlapping envelope']} of "
        f"{counts['quote/event spans']}"
    )
    print(f"\nsample of {args.sample} (seed {args.seed}): id, dateline, place, country, sign-off")
    for row in random.Random(args.seed).sample(lines, min(args.sample, len(lines))):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
