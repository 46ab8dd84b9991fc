"""The archive's views of story versions: the latest version by default, history on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.archiver.batches import write_rows
from wirestream.archiver.parquet import Message, decode
from wirestream.archiver.query import connect
from wirestream.archiver.store import ArchiveStore
from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.core.stories import Message as StoryMessage
from wirestream.core.stories import decide
from wirestream_contracts.copies import CopyRecord

TS = 1_721_833_200_000


def archive(store: ArchiveStore, topic: str, kind: str, values: list[bytes], start: int) -> None:
    rows = [decode(Message(topic, 0, start + i, TS + i, v), kind) for i, v in enumerate(values)]
    write_rows(store, rows)


def scalar(store: ArchiveStore, sql: str) -> object:
    row = connect(store).execute(sql).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    return ArchiveStore(str(tmp_path / "archive"))


def test_retracted_versions_are_hidden_and_history_keeps_them(
    store: ArchiveStore, extractor: Extractor, seed_article: Article
) -> None:
    v1 = extractor.extract(seed_article)
    v2_article = seed_article.model_copy(update={"body": seed_article.body[:1500]})
    v2 = extractor.extract(v2_article)
    offset = 0
    for result in (v1, v2):
        for kind, topic in (("article", "t.articles"), ("entity", "t.entities")):
            values = [jsonio.dumps(r) for r in result.records if r.kind == kind]
            archive(store, topic, kind, values, offset)
            offset += len(values)
    both = len({r.id for r in v1.entities} | {r.id for r in v2.entities})
    assert scalar(store, "SELECT count(*) FROM entities") == both  # no retraction yet
    standing = decide(
        None,
        StoryMessage(
            "s",
            v1.article.article_id,
            v1.article.revision or "",
            1,
            None,
            1.0,
            False,
            tuple(r.id for r in v1.records),
        ),
    ).state
    decision = decide(
        standing,
        StoryMessage(
            "s",
            v2.article.article_id,
            v2.article.revision or "",
            2,
            None,
            2.0,
            False,
            tuple(r.id for r in v2.records),
        ),
    )
    retractions = [jsonio.dumps(r) for r in decision.retractions]
    archive(store, "t.retractions", "retraction", retractions, offset)
    assert scalar(store, "SELECT count(*) FROM retractions") == 1
    assert scalar(store, "SELECT count(*) FROM entities") == len({r.id for r in v2.entities})
    assert scalar(store, "SELECT count(*) FROM entities_history") == both
    assert scalar(store, "SELECT count(*) FROM articles") == 1
    assert scalar(store, "SELECT revision FROM articles") == v2.article.revision
    assert scalar(store, "SELECT count(*) FROM articles_history") == 2


def test_a_kill_without_record_ids_hides_the_whole_article(store: ArchiveStore) -> None:
    article = {"kind": "article", "id": "art-1", "article_id": "a1", "revision": "r1"}
    archive(store, "t.articles", "article", [jsonio.dumps(article)], 0)
    kill = decide(None, StoryMessage("a1", "a1", "r9", 1, None, 5.0, True, ()))
    archive(store, "t.retractions", "retraction", [jsonio.dumps(kill.retractions[0])], 1)
    assert scalar(store, "SELECT count(*) FROM articles") == 0
    assert scalar(store, "SELECT count(*) FROM articles_history") == 1


def test_copies_keep_the_latest_marking_per_article(store: ArchiveStore) -> None:
    first = CopyRecord(article_id="b", duplicate_of="c", fingerprint="0" * 16, timestamp=2.0)
    later = first.model_copy(update={"duplicate_of": "a", "similarity": 1.0})
    archive(store, "t.copies", "copy", [jsonio.dumps(first), jsonio.dumps(later)], 0)
    assert scalar(store, "SELECT duplicate_of FROM copies WHERE article_id = 'b'") == "a"
