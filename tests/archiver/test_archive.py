"""The archive without Kafka: layout, exactly-once file naming, evolution, compaction, queries."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from wirestream.archiver.batches import Batcher, discard_uncommitted, write_rows
from wirestream.archiver.compaction import compact
from wirestream.archiver.parquet import Message, decode, parse_part
from wirestream.archiver.query import connect
from wirestream.archiver.store import ArchiveStore
from wirestream.cli import main as cli_main
from wirestream.core import jsonio
from wirestream.core.contracts import Article, Cue, QuoteRecord, Span, Speaker
from wirestream.core.extraction import Extractor

TS = 1_721_833_200_000  # 2024-07-24T15:00:00Z
TOPICS = {"t.articles": "article", "t.entities": "entity", "t.quotes": "quote", "t.events": "event"}
ALWAYS = 2**62


@pytest.fixture(scope="module")
def records(extractor: Extractor, seed_article: Article) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {k: [] for k in TOPICS.values()}
    for result in extractor.extract_many([seed_article]):
        for record in result.records:
            out[record.kind].append(jsonio.dumps(record))
    return out


def distinct(values: list[bytes]) -> int:
    return len({json.loads(v)["id"] for v in values})


def peskov_quote(article: Article) -> bytes:
    """A quote record as the extractor writes them (hand-made: quotes may not be extracted yet)."""
    start = article.body.index("Russia as a whole")
    end = article.body.index('", Dmitry Peskov')
    text = article.body[start:end]
    speaker_at = article.body.index("Dmitry Peskov")
    said = article.body.index("said.", speaker_at)
    quote = QuoteRecord(
        id="quo_test",
        article_id=article.id,
        text=text,
        span=Span(start=start, end=end, text=text),
        type="direct",
        speaker=Speaker(
            name="Dmitry Peskov",
            entity_id=None,
            span=Span(start=speaker_at, end=speaker_at + 13, text="Dmitry Peskov"),
        ),
        cue=Cue(text="said", lemma="say", span=Span(start=said, end=said + 4, text="said")),
        confidence=0.9,
    )
    return jsonio.dumps(quote)


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    return ArchiveStore(str(tmp_path / "archive"))


def messages(topic: str, values: list[bytes], start: int = 0) -> Iterator[Message]:
    for i, value in enumerate(values):
        yield Message(topic, 0, start + i, TS + i, value)


def archive(store: ArchiveStore, topic: str, values: list[bytes], start: int = 0) -> list[str]:
    kind = TOPICS[topic]
    return write_rows(store, [decode(m, kind) for m in messages(topic, values, start)])


def count(store: ArchiveStore, sql: str) -> int:
    row = connect(store).execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_layout_is_hive_by_kind_and_date(
    store: ArchiveStore, records: dict[str, list[bytes]]
) -> None:
    written = archive(store, "t.entities", records["entity"])
    n = distinct(records["entity"])
    last = len(records["entity"]) - 1
    assert written == [f"kind=entity/date=2024-07-24/part-t.entities-0-0-{last}.parquet"]
    [article] = archive(store, "t.articles", records["article"], start=7)
    assert article == "kind=article/date=2024-07-24/part-t.articles-0-7-7.parquet"
    assert count(store, "SELECT count(*) FROM entities") == n
    assert count(store, "SELECT count(*) FROM articles WHERE archive_date = '2024-07-24'") == 1


def test_article_without_published_at_goes_to_unknown(store: ArchiveStore) -> None:
    value = {"kind": "article", "id": "a1", "article_id": "a1", "published_at": None, "body": "x"}
    [rel] = archive(store, "t.articles", [jsonio.dumps(value)])
    assert rel.startswith("kind=article/date=unknown/")


def test_nested_fields_are_queryable_json(
    store: ArchiveStore, records: dict[str, list[bytes]], seed_article: Article
) -> None:
    archive(store, "t.quotes", [*records["quote"], peskov_quote(seed_article)])
    speakers = {
        r[0]
        for r in connect(store)
        .execute("SELECT json_extract_string(speaker, '$.name') FROM quotes")
        .fetchall()
    }
    assert "Dmitry Peskov" in speakers
    mentions = (
        connect(store)
        .execute("SELECT json_extract(mentions, '$[0].start')::INT FROM entities")
        .fetchall()
    )
    assert mentions == []  # no entities archived in this test: the view is empty, not missing


def test_replay_of_the_same_offsets_rewrites_the_same_file(
    store: ArchiveStore, records: dict[str, list[bytes]]
) -> None:
    first = archive(store, "t.entities", records["entity"])
    before = {p: (Path(store.full(p)).read_bytes()) for p in first}
    again = archive(store, "t.entities", records["entity"])
    assert again == first
    assert store.list() == first
    assert {p: Path(store.full(p)).read_bytes() for p in again} == before
    assert count(store, "SELECT count(*) FROM entities") == distinct(records["entity"])


def test_published_twice_is_read_once(store: ArchiveStore, records: dict[str, list[bytes]]) -> None:
    n = len(records["entity"])
    archive(store, "t.entities", records["entity"])
    archive(store, "t.entities", records["entity"], start=n)  # the same records, new offsets
    assert len(store.list()) == 2
    assert count(store, "SELECT count(*) FROM entities") == distinct(records["entity"])


def test_uncommitted_files_are_discarded_on_assignment(
    store: ArchiveStore, records: dict[str, list[bytes]]
) -> None:
    values = records["entity"]
    done = archive(store, "t.entities", values[:3])
    leftover = archive(store, "t.entities", values[3:], start=3)
    other = [write_rows(store, [decode(Message("t.entities", 1, 3, TS, values[0]), "entity")])[0]]
    removed = discard_uncommitted(store, "t.entities", 0, "entity", committed=3)
    assert removed == leftover
    assert store.list() == sorted(done + other)


def test_batcher_flushes_by_size_and_age(
    store: ArchiveStore, records: dict[str, list[bytes]]
) -> None:
    batcher = Batcher(store, TOPICS, max_records=3, max_seconds=10.0)
    for m in messages("t.entities", records["entity"][:2]):
        batcher.add(m, now=0.0)
    assert batcher.due(now=1.0) == []
    [buf] = batcher.due(now=10.0)
    written, next_offset = batcher.flush(buf)
    assert next_offset == 2 and written[0].endswith("part-t.entities-0-0-1.parquet")
    for m in messages("t.entities", records["entity"][2:5], start=2):
        batcher.add(m, now=20.0)
    batcher.add(Message("t.entities", 0, 3, TS, records["entity"][3]), now=20.0)  # re-delivery
    [buf] = batcher.due(now=20.0)
    assert len(buf.rows) == 3


def test_schema_evolution_new_optional_field(
    store: ArchiveStore, records: dict[str, list[bytes]]
) -> None:
    old = records["entity"][:2]
    archive(store, "t.entities", old)
    newer = json.loads(records["entity"][2])
    newer["wikidata_id"] = "Q7747"
    archive(store, "t.entities", [jsonio.dumps(newer)], start=2)
    con = connect(store)
    rows = con.execute("SELECT wikidata_id FROM entities ORDER BY _offset").fetchall()
    assert rows == [(None,), (None,), ("Q7747",)]


def test_rejected_messages_are_kept(store: ArchiveStore) -> None:
    [rel] = archive(store, "t.events", [b"not json"])
    assert rel.startswith("kind=rejected/")
    row = connect(store).execute("SELECT error, original_b64 FROM rejected").fetchone()
    assert row is not None and row[0].startswith("not JSON") and row[1] == "bm90IGpzb24="


def test_compaction_merges_dedups_and_is_idempotent(
    store: ArchiveStore, records: dict[str, list[bytes]]
) -> None:
    values = records["entity"]
    n = len(values)
    archive(store, "t.entities", values[:2])
    archive(store, "t.entities", values[2:], start=2)
    archive(store, "t.entities", values, start=n)  # published twice
    uncommitted = archive(store, "t.entities", values[:1], start=2 * n)
    committed = {("t.entities", 0): 2 * n}
    report = compact(store, lambda t, p: committed.get((t, p)))
    assert report.merged_files == 3 and report.skipped_uncommitted == 1
    assert report.rows_before == 2 * n and report.rows_after == distinct(values)
    files = store.list()
    assert len(files) == 2 and uncommitted[0] in files
    assert count(store, "SELECT count(*) FROM entities") == distinct(values)
    again = compact(store, lambda t, p: committed.get((t, p)))
    assert again.merged_files == 0 and store.list() == files


def test_interrupted_compaction_is_finished(
    store: ArchiveStore, records: dict[str, list[bytes]]
) -> None:
    values = records["entity"]
    sources = archive(store, "t.entities", values[:2]) + archive(
        store, "t.entities", values[2:], start=2
    )
    saved = {p: Path(store.full(p)).read_bytes() for p in sources}
    report = compact(store, lambda t, p: ALWAYS)
    for p, data in saved.items():  # as if the process died before deleting the sources
        Path(store.full(p)).write_bytes(data)
    assert len(store.list()) == 3
    fixed = compact(store, lambda t, p: ALWAYS)
    assert fixed.finished_interrupted == 2
    assert store.list() == report.written
    meta = pq.read_metadata(store.full(report.written[0])).metadata
    assert b"wirestream.compacted_from" in meta


def test_archive_query_command_csv_and_json(
    store: ArchiveStore, records: dict[str, list[bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    archive(store, "t.entities", records["entity"])
    sql = "SELECT name, type FROM entities WHERE name = 'Kyiv'"
    with pytest.raises(SystemExit) as exit_csv:
        cli_main(["archive", "query", sql, "--format", "csv", "--archive", store.root])
    assert exit_csv.value.code == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["name", "type"], ["Kyiv", "LOCATION"]]
    with pytest.raises(SystemExit):
        cli_main(["archive", "query", sql, "--format", "json", "--archive", store.root])
    assert json.loads(capsys.readouterr().out) == {"name": "Kyiv", "type": "LOCATION"}


def test_archive_query_command_on_empty_archive_and_bad_sql(
    store: ArchiveStore, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ok:
        cli_main(
            [
                "archive",
                "query",
                "SELECT count(*) AS n FROM events",
                "--format",
                "csv",
                "--archive",
                store.root,
            ]
        )
    assert ok.value.code == 0 and capsys.readouterr().out == "n\n0\n"
    with pytest.raises(SystemExit) as bad:
        cli_main(["archive", "query", "SELECT nope FROM events", "--archive", store.root])
    assert bad.value.code == 2 and "the query failed" in capsys.readouterr().err


def test_part_names_round_trip() -> None:
    part = parse_part("kind=event/date=2024-07-24/part-wirestream.events-3-10-99.parquet")
    assert part is not None
    assert (part.topic, part.partition, part.first, part.last) == ("wirestream.events", 3, 10, 99)
    assert parse_part("compact-abc.parquet") is None
