"""SQL over the archive with DuckDB: one view per record kind, de-duplicated by record id.

Views: ``articles``, ``entities``, ``quotes``, ``events`` show the records that stand - the
latest version of each story: records a retraction names (an older version superseded, a story
killed) are hidden. ``articles_history``, ``entities_history``, ``quotes_history`` and
``events_history`` show every version ever archived (the history). ``retractions`` has the
retraction records, ``copies`` the latest copy marking per article (``duplicate_of`` across all
workers), ``incidents`` each incident's latest state, ``incident_history`` every state it was
published in (one row per message, ``_timestamp`` orders them), ``rejected`` what could not be
read. Each has the record's
columns (nested values as JSON text: ``json_extract_string(casualties, '$.killed.value')``), the
``_topic``/``_partition``/``_offset``/``_timestamp`` provenance columns, and ``archive_date`` (the
``date=`` folder). A record archived twice (published twice) appears once: the latest message wins.
Files of every schema version are read together (``union_by_name``), so a column added by newer
producers is NULL in older rows.

A local archive is read by DuckDB directly (``read_parquet``); an ``s3://`` archive is read through
pyarrow's S3 filesystem (so no DuckDB extension has to be downloaded) and handed to DuckDB.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from wirestream.archiver.parquet import (
    IDENTITY,
    META_COLUMNS,
    REJECTED,
    REJECTED_SCHEMA,
    kind_schema,
)
from wirestream.archiver.store import ArchiveStore

VIEWS: dict[str, str] = {
    "articles_history": "article",
    "entities_history": "entity",
    "quotes_history": "quote",
    "events_history": "event",
    "retractions": "retraction",
    "copies": "copy",
    "incidents": "incident",
    "rejected": REJECTED,
}
"""The views read from the files (view → record kind), de-duplicated by record identity."""
HISTORY_VIEWS: dict[str, str] = {"incident_history": "incident"}
"""Views with every archived message of a kind (each once), not only the latest per id."""
STANDING: tuple[str, ...] = ("articles", "entities", "quotes", "events")
"""The views of the records that stand: ``<name>_history`` without the retracted records."""
_RETRACTED = """
CREATE VIEW retracted_records AS
    SELECT DISTINCT unnest(from_json(record_ids, '["VARCHAR"]')) AS id FROM retractions;
CREATE VIEW retracted_articles AS
    SELECT DISTINCT article_id, revision FROM retractions
    WHERE record_ids IS NULL OR record_ids = '[]';
"""
_STANDING_VIEW = """
CREATE VIEW {view} AS SELECT * FROM {view}_history h
WHERE NOT EXISTS (SELECT 1 FROM retracted_records r WHERE r.id = h.id)
  AND NOT EXISTS (
    SELECT 1 FROM retracted_articles a
    WHERE a.article_id = h.article_id AND (a.revision IS NULL OR a.revision = h.revision)
  )
"""

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
}


def _empty_select(kind: str) -> str:
    schema = REJECTED_SCHEMA if kind == REJECTED else pa.schema([*META_COLUMNS, *kind_schema(kind)])
    cols = ", ".join(f'CAST(NULL AS {_DUCK_TYPES[f.type]}) AS "{f.name}"' for f in schema)
    return f"SELECT {cols}, CAST(NULL AS VARCHAR) AS archive_date WHERE false"


def connect(store: ArchiveStore) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (in memory) with the archive's views defined."""
    con = duckdb.connect()
    for view, kind in (*VIEWS.items(), *HISTORY_VIEWS.items()):
        files = store.list(f"kind={kind}/")
        by_message = kind == REJECTED or view in HISTORY_VIEWS
        key = "_topic, _partition, _offset" if by_message else IDENTITY.get(kind, "id")
        if not files:
            con.execute(f"CREATE VIEW {view} AS {_empty_select(kind)}")
            continue
        if store.local:
            paths = ", ".join("'" + store.full(f).replace("'", "''") + "'" for f in files)
            source = (
                f"read_parquet([{paths}], union_by_name=true, hive_partitioning=false, "
                "filename=true)"
            )
        else:
            name = f"_arrow_{view}"
            con.register(name, _s3_table(store, files))
            source = name
        con.execute(
            f"CREATE VIEW {view} AS SELECT * EXCLUDE (filename, _rn), "
            "regexp_extract(filename, 'date=([^/]+)/', 1) AS archive_date FROM ("
            f"SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY _timestamp DESC NULLS "
            f"LAST, _topic DESC, _partition DESC, _offset DESC) AS _rn FROM {source}) WHERE _rn = 1"
        )
    con.execute(_RETRACTED)
    for view in STANDING:
        con.execute(_STANDING_VIEW.format(view=view))
    return con


def _s3_table(store: ArchiveStore, files: list[str]) -> pa.Table:
    tables = []
    for rel in files:
        table = store.read_table(rel).replace_schema_metadata(None)
        names = pa.array([store.full(rel)] * table.num_rows, pa.string())
        tables.append(table.append_column("filename", names))
    return pa.concat_tables(tables, promote_options="permissive")


__all__ = ["HISTORY_VIEWS", "STANDING", "VIEWS", "connect"]
