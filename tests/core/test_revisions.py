"""Record ids depend on the article's content: same id + new body = new ids; same article = same bytes."""

from __future__ import annotations

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.pipeline import ArticleResult
from wirestream.core.ids import content_revision


def record_bytes(result: ArticleResult) -> list[bytes]:
    return [jsonio.dumps(record) for record in result.records]


def test_the_same_article_twice_gives_identical_bytes(
    extractor: Extractor, seed_article: Article
) -> None:
    again = Article.model_validate_json(jsonio.dumps(seed_article))
    first, second = extractor.extract(seed_article), extractor.extract(again)
    assert record_bytes(first) == record_bytes(second)
    assert {r.revision for r in first.records} == {seed_article.revision}


def test_the_same_id_with_a_new_body_gives_disjoint_record_ids(
    extractor: Extractor, seed_article: Article
) -> None:
    edited = seed_article.model_copy(
        update={"body": seed_article.body.replace(".", ". Officials confirmed it.", 1)}
    )
    assert edited.id == seed_article.id and edited.revision != seed_article.revision
    old, new = extractor.extract(seed_article), extractor.extract(edited)
    assert old.entities and old.quotes and old.events
    old_ids = {r.id for r in old.records}
    new_ids = {r.id for r in new.records}
    assert old_ids.isdisjoint(new_ids)
    assert {r.revision for r in new.records} == {edited.revision}
    assert {r.article_id for r in new.records} == {seed_article.id}
    # Quote → event links point at records of the same revision.
    linked = {i for q in new.quotes for i in q.event_ids}
    assert linked <= {e.id for e in new.events}


def test_the_revision_reads_what_extraction_reads_only() -> None:
    base = Article(id="a1", title="T", body="Talks in Geneva.", published_at="2024-03-05T12:00:00Z")
    same = base.model_copy(update={"source": "Other", "metadata": {"x": 1}, "authors": ["A"]})
    assert same.revision == base.revision
    for change in (
        {"title": "T2"},
        {"body": "Talks in Vienna."},
        {"published_at": None},
        {"language": "en"},
    ):
        assert base.model_copy(update=change).revision != base.revision, change
    assert len(base.revision) == 16
    assert base.revision == content_revision("T", "Talks in Geneva.", base.published_at, None)
