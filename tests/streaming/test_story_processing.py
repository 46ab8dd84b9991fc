"""The extractor's story versions through the batch processor (no broker): what each message of
a story sends, and how staged and committed story states behave across generations."""

from __future__ import annotations

from wirestream.core import jsonio
from wirestream.core.contracts import Article, ArticleRecord
from wirestream.core.extraction import Extractor
from wirestream.extractor.processing import BatchProcessor, Incoming, Processed
from wirestream.extractor.stories import StoryBook
from wirestream.streaming.deadletters import source_position
from wirestream_contracts.retractions import RetractionRecord
from wirestream_contracts.state import StoryState

V1 = (
    "KYIV, March 4 (Wirestream) - Russian drones struck the port of Odesa overnight, "
    "Ukraine's Air Force said. The governor said two people were injured."
)
V2 = (
    "KYIV, March 4 (Wirestream) - Russian drones struck the port of Odesa overnight, "
    "Ukraine's Air Force said. Nine drones were shot down, the Air Force added."
)


def incoming(article: Article, offset: int) -> Incoming:
    value = jsonio.dumps(article.model_dump(mode="json", exclude_defaults=True))
    return Incoming(value, source_position("raw", 0, offset), None, 1000.0 + offset)


def sent(processed: Processed, topic: str) -> list[bytes | None]:
    return [m.value for m in processed.messages if m.topic == topic]


def test_versions_kill_and_a_late_older_version(extractor: Extractor) -> None:
    book = StoryBook()
    processor = BatchProcessor(extractor, stories=book)
    v1 = Article(id="odesa-1", story_id="odesa", title="Drones hit Odesa", body=V1, language="en")
    v2 = Article(
        id="odesa-2", story_id="odesa", title="UPDATE 1-Drones hit Odesa", body=V2, language="en"
    )
    kill = Article(
        id="odesa-kill", story_id="odesa", title="KILL-Drones hit Odesa", body=V2, language="en"
    )
    [p1] = processor.process([incoming(v1, 0)])
    book.commit(0, [p1.story] if p1.story else [])
    record1 = ArticleRecord.model_validate_json(sent(p1, "articles")[0] or b"")
    assert record1.story_id == "odesa" and record1.story_version is None  # version 1
    assert sent(p1, "retractions") == []
    assert len(sent(p1, "copy_fingerprints")) == 1 and len(sent(p1, "stories")) == 1

    [p2] = processor.process([incoming(v2, 1)])
    record2 = ArticleRecord.model_validate_json(sent(p2, "articles")[0] or b"")
    assert record2.story_version == 2  # from "UPDATE 1-"
    [retraction] = [RetractionRecord.model_validate_json(v or b"") for v in sent(p2, "retractions")]
    assert retraction.article_id == "odesa-1" and retraction.superseded_by == "odesa-2"
    assert record1.id in retraction.record_ids
    assert None in sent(p2, "articles")  # odesa-1's tombstone
    state = StoryState.model_validate_json(sent(p2, "stories")[0] or b"")
    assert state.article_id == "odesa-2"

    # v1 again (re-sent later, so a later timestamp): it is older than v2, nothing is sent.
    [late] = processor.process([incoming(v1, 2)])
    assert late.outcome == "stale" and late.messages == []

    [pk] = processor.process([incoming(kill, 3)])
    assert pk.outcome == "killed"
    assert sent(pk, "entities") == [] and sent(pk, "events") == []
    [killed] = [RetractionRecord.model_validate_json(v or b"") for v in sent(pk, "retractions")]
    assert killed.reason == "killed" and killed.article_id == "odesa-2"
    assert record2.id in killed.record_ids
    assert sorted(
        m.key or b"" for m in pk.messages if m.topic == "articles" and m.value is None
    ) == [
        b"odesa-2",
        b"odesa-kill",
    ]


def test_staged_states_of_a_voided_generation_are_ignored() -> None:
    book = StoryBook()
    committed = StoryState(
        story_id="s", article_id="a", revision="r1", version=1, published=None, timestamp=1.0
    )
    staged = committed.model_copy(update={"version": 2, "revision": "r2"})
    book.commit(0, [committed])
    book.stage(0, 7, staged)
    assert book.get(0, 7, "s") == staged  # the batch after it sees it
    assert book.get(0, 8, "s") == committed  # after a reset (generation 8) it is gone
    assert book.unstage(0, staged) and book.get(0, 7, "s") == committed
    later = staged.model_copy(update={"version": 3})
    book.stage(0, 7, staged)
    book.stage(0, 7, later)
    assert not book.unstage(0, staged)  # decided against: the partition must be reset
    book.load(0, [])
    assert book.get(0, 7, "s") is None


def test_a_voided_generation_never_replaces_the_current_staging() -> None:
    book = StoryBook()
    state = StoryState(
        story_id="s", article_id="a", revision="r1", version=2, published=None, timestamp=1.0
    )
    book.stage(0, 8, state)
    book.stage(0, 7, state.model_copy(update={"version": 9}))  # prepared from a voided fetch
    assert book.get(0, 8, "s") == state
