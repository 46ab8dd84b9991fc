"""The reference article's quotes: who said what, with which cue, and what is not speech."""

from __future__ import annotations

import pytest

from wirestream.core.contracts import Article, QuoteRecord
from wirestream.core.extraction import ArticleResult, Extractor


@pytest.fixture(scope="module")
def result(extractor: Extractor, seed_article: Article) -> ArticleResult:
    return extractor.extract(seed_article)


@pytest.fixture(scope="module")
def quotes(result: ArticleResult) -> list[QuoteRecord]:
    return result.quotes


def _one(quotes: list[QuoteRecord], words: str) -> QuoteRecord:
    found = [q for q in quotes if words in q.text]
    assert len(found) == 1, (
        f"expected one quote containing {words!r}, got {[q.text for q in found]}"
    )
    return found[0]


def _entity_name(result: ArticleResult, quote: QuoteRecord) -> str:
    assert quote.speaker is not None and quote.speaker.entity_id is not None
    return next(e.name for e in result.entities if e.id == quote.speaker.entity_id)


@pytest.mark.parametrize(
    ("words", "qtype", "speaker_last_word", "speaker_text", "cue"),
    [
        (
            "Russia as a whole is open to the negotiation process",
            "direct",
            "Peskov",
            "Peskov",
            "said",
        ),
        ("In addition to the general problem", "direct", "Peskov", "he", "added"),
        ("I am convinced that a just peace", "direct", "Kuleba", "Kuleba", "said"),
        ('seeking "common ground"', "indirect", "Kuleba", "Kuleba", "said"),
        ("ready to engage with Russia", "indirect", "Kuleba", "He", "restated"),
        (
            "There is a clear signal that China supports",
            "direct",
            "Zelenskyy",
            "Zelenskyy",
            "saying",
        ),
        ("China will not supply weapons to Russia", "mixed", "Zelenskyy", "Zelenskyy", "said"),
        ("open to negotiations with Ukraine", "indirect", "Kremlin", "Kremlin", "said"),
        ('"how ready Kyiv is"', "mixed", "Kremlin", "Kremlin", "says"),
        ('"puppet of the West"', "mixed", "Putin", "Putin", "claims"),
    ],
)
def test_named_speakers(
    result: ArticleResult,
    quotes: list[QuoteRecord],
    words: str,
    qtype: str,
    speaker_last_word: str,
    speaker_text: str,
    cue: str,
) -> None:
    quote = _one(quotes, words)
    assert quote.type == qtype
    assert quote.speaker is not None and quote.speaker.span is not None
    assert quote.speaker.name.split()[-1] == speaker_last_word
    assert _entity_name(result, quote) == quote.speaker.name
    assert quote.speaker.span.text.endswith(speaker_text)
    assert quote.cue is not None and quote.cue.text == cue
    body = result.article.body
    for span in (quote.span, quote.speaker.span, quote.cue.span):
        assert body[span.start : span.end] == span.text


def test_direct_quotes_exclude_their_marks(quotes: list[QuoteRecord]) -> None:
    peskov = _one(quotes, "Russia as a whole")
    assert peskov.text.startswith("Russia as a whole")
    assert peskov.text.endswith("it is not entirely clear yet")
    kuleba = _one(quotes, "I am convinced")
    assert kuleba.text.endswith("is important")


def test_groups_speak_without_an_entity(quotes: list[QuoteRecord]) -> None:
    kyiv = _one(quotes, "the only acceptable peace offer")
    assert kyiv.type == "indirect"
    assert kyiv.speaker is not None and kyiv.speaker.span is not None
    assert kyiv.speaker.entity_id is None
    assert kyiv.speaker.span.text == "The authorities in Kyiv"
    assert kyiv.speaker.name == "authorities in Kyiv"
    assert kyiv.cue is not None and kyiv.cue.lemma == "state"

    regional = _one(quotes, "killed at least four civilians")
    assert regional.type == "indirect"
    assert regional.speaker is not None and regional.speaker.entity_id is None
    assert regional.speaker.name == "Regional authorities"
    assert regional.cue is not None and regional.cue.text == "reported on Telegram"
    assert regional.cue.lemma == "report"


def test_pronoun_speakers_keep_the_pronoun_span(quotes: list[QuoteRecord]) -> None:
    added = _one(quotes, "In addition to the general problem")
    assert added.speaker is not None and added.speaker.span is not None
    assert added.speaker.span.text == "he"
    assert added.speaker.name == "Dmitry Peskov"


@pytest.mark.parametrize(
    "not_speech",
    ["special military operation", "Nazi", "drug user", "Shahed", "confirmed"],
)
def test_scare_quotes_and_labels_are_not_quotes(quotes: list[QuoteRecord], not_speech: str) -> None:
    assert not any(q.text.strip("\"' ,.") == not_speech for q in quotes)


def test_headline_and_caption_are_not_quoted(
    result: ArticleResult, quotes: list[QuoteRecord]
) -> None:
    body = result.article.body
    first_paragraph_end = body.index("\n")
    assert all(q.span.start > first_paragraph_end for q in quotes)
    assert not any("common ground' with China" in q.text for q in quotes)
    assert not any("poses with" in q.text for q in quotes)
    assert all(q.speaker is None or "Moscow claims" not in q.speaker.name for q in quotes)


def test_records_are_ordered_unique_and_counted(result: ArticleResult) -> None:
    quotes = result.quotes
    starts = [q.span.start for q in quotes]
    assert starts == sorted(starts)
    assert len({q.id for q in quotes}) == len(quotes)
    assert result.article.counts.quotes == len(quotes)
