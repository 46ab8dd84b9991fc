"""``wirestream extract [PATH ...]``: run extraction on files and print JSON records."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.inputs import ReadResult, read_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "extract",
        help="extract records from article files to standard output (JSON lines)",
        description=(
            "Read articles from .txt (first non-empty line is the title), .json (one article) and "
            ".jsonl (one per line) files, or standard input with '-', and write one JSON record per "
            "line: each article's record, then its entities, quotes and events - exactly the records "
            "the extractor service publishes. Rejected inputs are reported on standard error with "
            "file, line and reason; the others are still processed. Exit status 1 when any input "
            "was rejected."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", default=["-"], metavar="PATH", help="files, or - (default)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=8, help="articles per spaCy batch (default 8)"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar even on a terminal"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from wirestream.core.extraction import Extractor

    extractor = Extractor.load(batch_size=args.batch_size)
    rejected = 0

    def articles(results: Iterator[ReadResult]) -> Iterator[Article]:
        nonlocal rejected
        for result in results:
            if result.error is not None:
                rejected += 1
                print(f"rejected {result.error}", file=sys.stderr)
            elif result.article is not None:
                yield result.article

    show = sys.stderr.isatty() and not args.no_progress
    out = sys.stdout.buffer
    with tqdm(disable=not show, unit="article", file=sys.stderr) as bar:
        for article_result in extractor.extract_many(articles(read_paths(args.paths))):
            for record in article_result.records:
                out.write(jsonio.dumps(record) + b"\n")
            bar.update(1)
    out.flush()
    return 1 if rejected else 0
