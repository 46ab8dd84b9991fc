"""The archive on an S3-compatible store (moto's S3 server over HTTP, as MinIO would be)."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow.fs as pafs
import pytest

from wirestream.archiver.batches import discard_uncommitted, write_rows
from wirestream.archiver.compaction import compact
from wirestream.archiver.parquet import Message, decode
from wirestream.archiver.query import connect
from wirestream.archiver.store import ArchiveStore, S3Options
from wirestream.core import jsonio

moto_server = pytest.importorskip("moto.server")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    fs = pafs.S3FileSystem(
        endpoint_override=f"{host}:{port}",
        scheme="http",
        access_key="test",
        secret_key="test",
        allow_bucket_creation=True,
    )
    fs.create_dir("archive-bucket")
    yield f"http://{host}:{port}"
    server.stop()


def entity(n: int, **extra: object) -> bytes:
    return jsonio.dumps(
        {"kind": "entity", "id": f"ent_{n}", "article_id": "a1", "name": f"E{n}", **extra}
    )


def test_the_writer_creates_its_bucket(endpoint: str) -> None:
    store = ArchiveStore(
        "s3://fresh-bucket/prefix", S3Options(endpoint=endpoint, access_key="t", secret_key="t")
    )
    store.ensure_root()
    store.ensure_root()  # idempotent
    rows = [decode(Message("t.e", 0, 0, 0, entity(1)), "entity")]
    assert write_rows(store, rows) == ["kind=entity/date=1970-01-01/part-t.e-0-0-0.parquet"]
    assert store.exists("kind=entity/date=1970-01-01/part-t.e-0-0-0.parquet")


def test_write_discard_compact_and_query_on_s3(endpoint: str) -> None:
    store = ArchiveStore(
        "s3://archive-bucket/wirestream",
        S3Options(endpoint=endpoint, access_key="test", secret_key="test"),
    )
    ts = 1_721_833_200_000

    def batch(first: int, values: list[bytes]) -> list[str]:
        rows = [decode(Message("t.e", 0, first + i, ts, v), "entity") for i, v in enumerate(values)]
        return write_rows(store, rows)

    a = batch(0, [entity(1), entity(2)])
    b = batch(2, [entity(2), entity(3, wikidata_id="Q1")])
    leftover = batch(4, [entity(4)])
    assert a == ["kind=entity/date=2024-07-24/part-t.e-0-0-1.parquet"]
    assert store.list() == sorted(a + b + leftover)
    assert discard_uncommitted(store, "t.e", 0, "entity", committed=4) == leftover

    con = connect(store)
    rows = con.execute("SELECT id, wikidata_id FROM entities ORDER BY id").fetchall()
    assert rows == [("ent_1", None), ("ent_2", None), ("ent_3", "Q1")]

    report = compact(store, lambda topic, partition: 4)
    assert report.merged_files == 2 and report.rows_before == 4 and report.rows_after == 3
    assert len(store.list()) == 1 and store.list()[0].split("/")[-1].startswith("compact-")
    again = connect(store).execute("SELECT count(*) FROM entities").fetchone()
    assert again == (3,)
