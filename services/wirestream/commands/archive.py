"""``wirestream archive query|compact``: SQL over the Parquet archive, and compaction."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from typing import Any

from wirestream.errors import WirestreamError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "archive",
        help="query the Parquet archive with SQL, or compact it",
        description=(
            "The archive the archiver writes (WIRESTREAM_ARCHIVER_ARCHIVE_URL, default "
            "./var/archive; s3://bucket/prefix with WIRESTREAM_ARCHIVER_S3_* settings)."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    query = actions.add_parser(
        "query",
        help="run SQL over the archive (views: articles, entities, quotes, events, their "
        "_history, retractions, copies, incidents, incident_history, rejected)",
        description=(
            "Run one SQL statement with DuckDB. Views are named after the record kinds - "
            "articles, entities, quotes, events: the records that stand (the latest version of "
            "each story; retracted records hidden); articles_history, entities_history, "
            "quotes_history, events_history: every version archived; retractions; copies (the "
            "latest copy marking per article); incidents (each incident's latest state) and "
            "incident_history (every state an incident was published in); rejected (messages "
            "that were not records). "
            "Nested fields are JSON text, e.g. "
            "json_extract_string(speaker, '$.name'); archive_date is the date= folder. "
            'Example: wirestream archive query "SELECT text FROM quotes WHERE '
            "json_extract_string(speaker, '$.name') = 'Dmitry Peskov'\""
        ),
    )
    query.epilog = (
        "Every current ASSAULT event in Ukraine in one week, with its article's date: "
        "SELECT e.id, json_extract_string(e.location, '$.name') AS place, a.published_at "
        "FROM events e JOIN articles a USING (article_id) WHERE e.type = 'ASSAULT' AND "
        "e.timeframe = 'current' AND json_extract_string(e.location, '$.country') = 'UA' AND "
        "a.published_at >= '2024-07-22' AND a.published_at < '2024-07-29'"
    )
    query.add_argument("sql", help="one SQL statement")
    query.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="default: table"
    )
    _archive_option(query)
    query.set_defaults(run=run_query)

    _add_compact(actions)


def _add_compact(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compact = actions.add_parser(
        "compact",
        help="merge the small files of each kind/date folder into one (idempotent, crash-safe)",
        description=(
            "Only files whose offsets the archiver's consumer group has committed are merged: the "
            "committed offsets are read from Kafka (WIRESTREAM_KAFKA_* settings, group "
            "WIRESTREAM_ARCHIVER_GROUP_ID). With --offline, every file is taken as committed: "
            "use it only when no archiver writes to this archive."
        ),
    )
    _archive_option(compact)
    compact.add_argument(
        "--offline", action="store_true", help="do not ask Kafka; treat every file as committed"
    )
    compact.add_argument(
        "--min-files", type=int, default=2, help="merge a folder from this many files (default 2)"
    )
    compact.set_defaults(run=run_compact)


def _archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive",
        metavar="URL",
        help="directory or s3://bucket/prefix (default: WIRESTREAM_ARCHIVER_ARCHIVE_URL)",
    )


def _store(args: argparse.Namespace) -> Any:
    from wirestream.archiver.app import open_store
    from wirestream.archiver.settings import ArchiverSettings

    settings = ArchiverSettings.from_env()
    if args.archive:
        settings = settings.model_copy(update={"archive_url": args.archive})
    return settings, open_store(settings)


def run_query(args: argparse.Namespace) -> int:
    import duckdb
    import orjson

    from wirestream.archiver.query import connect

    _, store = _store(args)
    con = connect(store)
    try:
        cursor = con.execute(args.sql)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as exc:
        raise WirestreamError(f"the query failed: {exc}") from exc
    out = sys.stdout
    if args.format == "table":
        out.write(_table(columns, rows))
    elif args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        for row in rows:
            line = orjson.dumps(dict(zip(columns, row, strict=True)), default=str)
            out.write(line.decode() + "\n")
    return 0


def _table(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """A plain text table: a header, a rule, one line per row; NULL for missing values."""
    cells = [["NULL" if v is None else str(v).replace("\n", " ") for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def run_compact(args: argparse.Namespace) -> int:
    from wirestream.archiver.compaction import compact
    from wirestream.logs import configure

    configure()
    settings, store = _store(args)
    if args.offline:
        report = compact(store, lambda topic, partition: 2**63 - 1, min_files=args.min_files)
    else:
        from wirestream.archiver.consumer import committed_offsets
        from wirestream.streaming.settings import KafkaSettings

        kafka = KafkaSettings.from_env()
        group = kafka.topic_prefix + settings.group_id  # as the worker names it
        offsets = asyncio.run(committed_offsets(kafka, group))
        report = compact(
            store,
            lambda topic, partition: offsets.get((topic, partition)),
            min_files=args.min_files,
        )
    print(
        f"compacted {report.merged_files} files in {report.folders} folders into "
        f"{len(report.written)} ({report.rows_before} rows -> {report.rows_after}); "
        f"{report.skipped_uncommitted} uncommitted files left alone; "
        f"{report.finished_interrupted} leftovers of an interrupted compaction removed"
    )
    return 0
