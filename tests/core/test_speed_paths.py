"""The shortcuts of the speed pass (issue 15) give exactly what the long way gives."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.cleaning import clean
from wirestream.core.extraction.doctext import doc_text, keep_text
from wirestream.core.extraction.events import dates
from wirestream.core.extraction.events.dates import DateMention, find_dates
from wirestream.evaluation.bench import load_articles

PUBLISHED = datetime(2024, 7, 24, 15, 0, tzinfo=UTC)


def _full_scan(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """find_dates without the substring shortcut: every pattern over the whole window."""
    stop = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in dates._PATTERNS:
        for m in pattern.finditer(text, start, stop):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = dates._resolve(kind, m, PUBLISHED.date())
            if resolved is None:
                continue
            found.append(DateMention(m.start(), m.end(), *resolved))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def test_every_month_and_weekday_alternative_starts_with_a_required_word() -> None:
    months = re.fullmatch(r"\(\?P<month>(.*)\)", dates._MONTH_RE)
    weekdays = re.fullmatch(r"\(\?P<weekday>(.*)\)", dates._WEEKDAY_RE)
    assert months is not None and weekdays is not None
    for alternative in months.group(1).split("|"):
        assert alternative.startswith(dates._MONTH_PREFIXES), alternative
    assert tuple(weekdays.group(1).split("|")) == dates._WEEKDAY_NAMES
    sources = dict(dates._PATTERNS)
    for kind, words in dates._REQUIRED.items():
        group = dates._MONTH_RE if words == dates._MONTH_PREFIXES else dates._WEEKDAY_RE
        assert group in sources[kind].pattern, kind
        assert not sources[kind].flags & re.IGNORECASE, kind


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Talks resumed on Wednesday after the strike in March 2022.", 0, None),
        ("No month here, only yesterday and three days ago.", 0, None),
        ("since 24 July 2024 and on Sept. 3 they met", 0, None),
        ("In May the rally; last Friday night the vote.", 0, None),
        # the month lies outside the window: the shortcut must look inside the window only
        ("March 4 was quiet. Later in the week the talks resumed.", 12, None),
        ("The vote on Monday. Then in June 2023 the law.", 0, 12),
        ("JULY 24 in capitals and july 24 in lower case are not months here", 0, None),
    ],
)
def test_date_shortcut_matches_the_full_scan(text: str, start: int, end: int | None) -> None:
    assert find_dates(text, PUBLISHED, start, end) == _full_scan(text, start, end)


def test_date_shortcut_matches_the_full_scan_on_load_articles(shared_data: Path) -> None:
    articles, _ = load_articles(shared_data, 120)
    with_month = 0
    for article in articles:
        assert find_dates(article.body, PUBLISHED) == _full_scan(article.body), article.id
        with_month += any(m in article.body for m in dates._MONTH_PREFIXES)
    assert 0 < with_month < len(articles)  # both paths of the shortcut were taken


def test_doc_text_is_the_doc_text_built_once(extractor: Extractor) -> None:
    text = 'GENEVA - Ministers met on Tuesday.\n\n  "We agreed," one said.  '
    doc = extractor.nlp(text)
    first = doc_text(doc)
    assert first == doc.text == text
    assert doc_text(doc) is first
    assert doc_text(extractor.nlp("")) == ""


def test_the_pipeline_hands_its_text_to_each_doc(extractor: Extractor) -> None:
    """The extractor keeps the cleaned text it analysed as the doc's text (no rebuild), and it is
    the text spaCy would rebuild, noise blanked with spaces included."""
    article = Article(
        id="speed-1",
        title="Talks",
        body="GENEVA (Reuters) - Ministers met on Tuesday.\n\nRead more: example.com\n",
    )
    text = clean(article).text
    doc = keep_text(extractor.nlp(text), text)
    assert doc_text(doc) is text
    assert doc.text == text
    record = extractor.extract(article).article
    assert record.counts.tokens == len(doc)
