"""Quote finding: mark pairing, speakers, cues, what is not speech, lexicons, and the GGT score."""

from __future__ import annotations

import random
from itertools import islice
from pathlib import Path

import pytest

from wirestream.core.contracts import Article, QuoteRecord
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.quotes import lexicon as lexicon_module
from wirestream.core.extraction.quotes.lexicon import load_lexicon
from wirestream.core.extraction.quotes.marks import find_quoted, paragraphs
from wirestream.errors import LexiconError
from wirestream.evaluation.data import read_quotes
from wirestream.evaluation.scoring import QuoteCounts, match_quotes
from wirestream.evaluation.tasks import predicted_quotes


def _quotes(extractor: Extractor, body: str, title: str | None = None) -> list[QuoteRecord]:
    article = Article(id="t", title=title, body=body, language="en")
    return extractor.extract(article).quotes


def _pairs(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quoted(text)]


# ---- marks ------------------------------------------------------------------------------------


def test_apostrophes_are_not_quote_marks() -> None:
    text = "Russia's war, let's say, began in the '90s and the Russians' claims grew."
    assert _pairs(text) == []


def test_single_quotes_pair_around_words() -> None:
    assert _pairs("Ukraine seeks 'common ground' with China") == ["common ground"]


def test_single_quotes_inside_double_are_nested_not_separate() -> None:
    assert _pairs("\"He told me 'never again' twice,\" she said.") == [
        "He told me 'never again' twice,"
    ]


def test_stray_mark_runs_to_paragraph_end_and_the_rest_is_read() -> None:
    text = 'He said "this never closes\n\nLater, "a proper quote here," she said.'
    found = find_quoted(text)
    assert [text[q.start : q.end] for q in found] == ["this never closes", "a proper quote here,"]
    assert [q.closed for q in found] == [False, True]


def test_open_paragraph_continues_into_next_opening_mark() -> None:
    text = '"First part of it.\n\n"Second part," he said.'
    first, second = find_quoted(text)
    assert first.continues and not first.continued
    assert second.continued and second.closed


def test_hard_wrapped_lines_join_into_paragraphs() -> None:
    wrapped = (
        "The company said on Tuesday that its\nfirst quarter profit would fall by\n"
        "about a third from a year\nearlier because of the strike.\n"
        "    Analysts had expected a smaller\ndrop in the quarter.\n"
    )
    assert [wrapped[lo:hi] for lo, hi in paragraphs(wrapped)] == [
        "The company said on Tuesday that its\nfirst quarter profit would fall by\n"
        "about a third from a year\nearlier because of the strike.",
        "    Analysts had expected a smaller\ndrop in the quarter.",
    ]
    one_per_line = "First paragraph ends here.\nSecond one too.\nA headline\nThird.\nFourth.\n"
    assert len(paragraphs(one_per_line)) == 5


# ---- direct quotes and speakers ----------------------------------------------------------------


def test_speaker_in_the_middle_serves_both_parts(extractor: Extractor) -> None:
    body = (
        "Maria Lopez runs the shelter in Oakland.\n\n"
        '"We have never seen this many families at the door," Lopez said, '
        '"and the winter has not even started yet."'
    )
    quotes = _quotes(extractor, body)
    assert [q.type for q in quotes] == ["direct", "direct"]
    for quote in quotes:
        assert quote.speaker is not None and quote.speaker.name == "Maria Lopez"
        assert quote.cue is not None and quote.cue.text == "said"
    assert quotes[0].text == "We have never seen this many families at the door"


def test_he_added_takes_the_previous_speaker_and_keeps_the_pronoun(extractor: Extractor) -> None:
    body = (
        '"The bridge will reopen on Monday after the repairs are finished," '
        "city engineer Tom Harris said.\n\n"
        '"Drivers should still expect delays for a week or so," he added.'
    )
    quotes = _quotes(extractor, body)
    assert len(quotes) == 2
    added = quotes[1]
    assert added.speaker is not None and added.speaker.span is not None
    assert added.speaker.span.text == "he"
    assert added.speaker.name == quotes[0].speaker.name if quotes[0].speaker else False
    assert added.speaker.name.endswith("Harris")
    assert added.cue is not None and added.cue.lemma == "add"


def test_the_company_is_the_organisation_named_before(extractor: Extractor) -> None:
    body = (
        "Shares of Acme Corp fell sharply on Monday.\n\n"
        "The company said its chief executive would step down at the end of March."
    )
    (quote,) = _quotes(extractor, body)
    assert quote.speaker is not None and quote.speaker.span is not None
    assert quote.speaker.span.text == "The company"
    assert quote.speaker.entity_id is not None
    assert "Acme" in quote.speaker.name


def test_speaker_before_a_colon_and_floating_paragraph(extractor: Extractor) -> None:
    body = (
        'Prime Minister Anna Berg told parliament: "We will not raise taxes this year."\n\n'
        '"Not on families, not on small businesses, not on anyone."'
    )
    quotes = _quotes(extractor, body)
    assert len(quotes) == 2
    told, floating = quotes
    assert told.speaker is not None and told.speaker.name == "Anna Berg"
    assert told.cue is not None and told.cue.lemma == "tell"
    assert floating.type == "direct"
    assert floating.speaker is not None and floating.speaker.name == "Anna Berg"
    assert floating.speaker.span is None  # not written there: carried over


def test_multi_paragraph_quote_parts_share_their_speaker(extractor: Extractor) -> None:
    body = (
        'Fire chief Ellen Price described the night. "We arrived within six minutes and the roof '
        "was already gone.\n\n"
        '"Nobody inside was hurt, which is a small miracle," Price said.'
    )
    quotes = _quotes(extractor, body)
    assert len(quotes) == 2
    assert all(q.speaker is not None and q.speaker.name == "Ellen Price" for q in quotes)


def test_unbalanced_marks_never_lose_the_article(extractor: Extractor) -> None:
    body = (
        'The "odd mark paragraph goes on without closing\n\n'
        '"Prices will fall by summer," economist Raj Patel said.\n\n'
        "Patel said the central bank would cut rates twice before the election."
    )
    quotes = _quotes(extractor, body)
    texts = [q.text for q in quotes]
    assert "Prices will fall by summer" in texts
    assert any(t.startswith("the central bank would cut rates") for t in texts)


_PIECES = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", " ", "\n", "\n\n", ",", ".", ":", "x",
           "He said", " she added", "The minister", " that ", "Russia's", " so-called ", "5'10\"",
           "'90s", " told reporters: ", " according to officials"]  # fmt: skip


def test_any_mix_of_marks_gives_valid_spans(extractor: Extractor) -> None:
    rng = random.Random(7)
    bodies = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(5, 60))) for _ in range(150)]
    articles = [
        Article(id=f"f{i}", title=None, body=b, language="en") for i, b in enumerate(bodies)
    ]
    found = 0
    for result in extractor.extract_many(articles):
        body = result.article.body
        for quote in result.quotes:
            found += 1
            assert quote.text.strip() and body[quote.span.start : quote.span.end] == quote.text
            for span in (
                quote.cue.span if quote.cue else None,
                quote.speaker.span if quote.speaker else None,
            ):
                assert span is None or body[span.start : span.end] == span.text
    assert found > 0


# ---- indirect and mixed ----------------------------------------------------------------------


def test_indirect_speech_with_that_clause(extractor: Extractor) -> None:
    body = "The mayor, Carla Diaz, said that the city would hire 200 new teachers next year."
    (quote,) = _quotes(extractor, body)
    assert quote.type == "indirect"
    assert quote.text == "that the city would hire 200 new teachers next year"
    assert quote.speaker is not None and quote.speaker.name == "Carla Diaz"


def test_mixed_when_quoted_words_carry_the_claim(extractor: Extractor) -> None:
    body = 'Senator John Mills said the budget was "a betrayal of working families" and left.'
    (quote,) = _quotes(extractor, body)
    assert quote.type == "mixed"
    assert '"a betrayal of working families"' in quote.text


def test_belief_verbs_report_speech_only_with_quoted_words(extractor: Extractor) -> None:
    assert (
        _quotes(extractor, "The new figures suggest that prices will fall again in spring.") == []
    )
    body = 'Economist Lena Ward suggested the plan was "a bad bargain for everyone involved".'
    (quote,) = _quotes(extractor, body)
    assert quote.type == "mixed"
    assert quote.cue is not None and quote.cue.lemma == "suggest"


def test_according_to_attributes_the_clause(extractor: Extractor) -> None:
    body = "According to the fire department, three homes were destroyed in the blaze overnight."
    (quote,) = _quotes(extractor, body)
    assert quote.type == "indirect"
    assert quote.text == "three homes were destroyed in the blaze overnight"
    assert quote.cue is not None and quote.cue.lemma == "according to"
    assert quote.speaker is not None and "fire department" in quote.speaker.name


# ---- not speech ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        'Officials described the move as a so-called "temporary measure" in the region.',
        'The group, dubbed "the Night Wolves", rode through town on Sunday afternoon.',
        'Fans lined up for hours to see "The Lion King" at the theatre on Friday.',
        'The party faced accusations such as being "extremist" during the long campaign.',
    ],
)
def test_labels_and_scare_quotes_are_not_quotes(extractor: Extractor, body: str) -> None:
    assert _quotes(extractor, body) == []


def test_quoted_words_framed_by_a_verb_are_the_subject_s_words(extractor: Extractor) -> None:
    body = 'Opposition leader Mark Stone called the budget "a betrayal of every family" on Monday.'
    (quote,) = _quotes(extractor, body)
    assert quote.type == "direct"
    assert quote.text == "a betrayal of every family"
    assert quote.cue is not None and quote.cue.lemma == "call"
    assert quote.speaker is not None and quote.speaker.name == "Mark Stone"


def test_headline_quotes_are_not_speech(extractor: Extractor) -> None:
    title = "Minister says talks 'close to a deal'"
    body = f"{title}\n\nTalks continued on Tuesday in Geneva with no end in sight."
    assert _quotes(extractor, body, title=title) == []


# ---- lexicons ----------------------------------------------------------------------------------


def test_lexicon_loads_once_with_the_expected_entries() -> None:
    lex = load_lexicon()
    assert load_lexicon() is lex
    assert lex.verbs["say"].direct and lex.verbs["say"].indirect
    assert "xcomp" in lex.verbs["claim"].complements
    assert lex.speaker_nouns["authorities"] == "group"
    assert lex.pronouns["he"] == "person"
    assert ("so-called",) in lex.label_signals
    assert ("Telegram",) in lex.channels


def test_malformed_lexicon_line_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "reporting_verbs.tsv").write_text(
        "# header\nsay\tboth\tccomp\nshout\tloudly\tccomp\n"
    )
    monkeypatch.setattr(lexicon_module, "LEXICON_DIR", tmp_path)
    with pytest.raises(LexiconError, match=r"reporting_verbs\.tsv:3"):
        lexicon_module._verbs()


# ---- the Gender Gap Tracker quote set -------------------------------------------------------------

GGT_ARTICLES = 16
"""How many development articles the test scores (all of them: ``wirestream eval --only quotes``)."""


def test_quotes_ggt_score(extractor: Extractor, shared_data: Path) -> None:
    """F1 at > 30% character coverage and speaker accuracy, by the project's scorer (the rule of
    the set's authors, ``wirestream.evaluation.scoring.match_quotes``)."""
    path = shared_data / "quotes_ggt" / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    docs = [d for d in islice(read_quotes(path), GGT_ARTICLES) if d.skip_reason is None]
    articles = [Article(id=d.id, title=None, body=d.text, language="en") for d in docs]
    counts = QuoteCounts()
    for doc, result in zip(docs, extractor.extract_many(articles), strict=True):
        counts = counts + match_quotes(doc.gold, predicted_quotes(result), 0.3)
    prf = counts.prf
    assert prf.f1 >= 0.85, f"quote F1@0.3 {prf.f1:.3f} (P {prf.precision:.3f} R {prf.recall:.3f})"
    assert counts.speaker_accuracy >= 0.90, f"speaker accuracy {counts.speaker_accuracy:.3f}"


def test_reported_speech_ends_before_its_attribution(extractor: Extractor) -> None:
    body = (
        'The president said that "Ukraine will not give up", according to his office in Kyiv.\n\n'
        "The minister said the grain corridor would stay open all winter, a spokesman said."
    )
    quotes = extractor.extract(Article(id="attr", body=body, language="en")).quotes
    texts = [q.text for q in quotes]
    assert any(t.endswith('"Ukraine will not give up"') for t in texts)
    assert not any("according to" in t for t in texts)
    assert not any(t.endswith("a spokesman said") for t in texts)


def test_according_to_inside_the_quote_marks_stays(extractor: Extractor) -> None:
    body = 'She said "everything went according to plan, and we are ready for the next round".'
    quotes = extractor.extract(Article(id="attr2", body=body, language="en")).quotes
    assert any("according to plan, and we are ready" in q.text for q in quotes)
