"""The wire envelope on short stories written for these tests, one per agency style.

Reuters, AP, AFP, Xinhua and Euronews conventions (see ``lexicons/envelope/README.md``), plus the
negatives: a first word in capitals that is no dateline, and an article without any envelope whose
records are byte-identical to those extracted before the envelope existed (commit 078a3ae;
regenerated on the commit before the envelope merge when record ids gained the content revision).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wirestream.core import jsonio
from wirestream.core.contracts import Article, Span
from wirestream.core.extraction import ArticleResult, Extractor
from wirestream.core.extraction.cleaning import clean
from wirestream.core.extraction.envelope import find_envelope
from wirestream.core.extraction.envelope.lexicon import load_lexicon

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
PUBLISHED = datetime(2024, 4, 15, 8, 0, tzinfo=UTC)

REUTERS = (
    'TBILISI, April 14 (Reuters) - "We will not give in to pressure from the street," Georgia\'s '
    "foreign ministry said on Monday.\n\n"
    "The protesters demanded new elections. Police said they had arrested the organisers.\n\n"
    "(Reporting by Jane Doe in Tbilisi and John Roe; Additional reporting by Ann Lee; "
    "Writing by Tom Kay; Editing by Mark Heinrich)"
)
AP = (
    "By Maria Lopez and Peter Novak, Associated Press\n\n"
    "KYIV, Ukraine (AP) \u2014 Officials said rescuers pulled 12 survivors from the rubble on "
    "Sunday.\n\n"
    '"We are still searching," said Oleh Kiper, the regional governor.\n\n'
    "___\n\n"
    "Associated Press writers Anna Smith in Moscow and Bob Brown contributed to this report."
)
AFP = (
    "Paris (AFP) - Protesters blocked roads on Tuesday, police said, and two officers were "
    "injured.\n\n"
    '"The reform will go ahead," the government spokesman said.\n\n'
    "bur-jm/lb"
)
XINHUA = (
    "BEIJING, Jan. 5 (Xinhua) -- Officials met delegates from 30 countries on Thursday to discuss "
    "trade.\n\n"
    "Enditem\n\n"
    "Editor: Zhang Wei"
)
EURONEWS = (
    "Protesters marched through the capital on Saturday, demanding the resignation of the "
    "government.\n\n"
    '"We want our country back," one protester told reporters.\n\n'
    "Additional sources \u2022 AP, AFP"
)
REUTERS_21578 = (
    "SALVADOR, Feb 26 - Showers continued throughout the week in the cocoa zone, traders said.\n"
    "    Arrivals rose to 155,000 bags, they said.\n Reuter"
)


def run(
    extractor: Extractor, body: str, title: str | None = None, published: datetime | None = None
) -> ArticleResult:
    article = Article(
        id="t", title=title, body=body, published_at=published or PUBLISHED, language="en"
    )
    return extractor.extract(article)


def envelope_spans(result: ArticleResult) -> list[Span]:
    envelope = result.article.envelope
    assert envelope is not None
    return [p.span for p in envelope.parts]


def assert_out_of_extraction(result: ArticleResult) -> None:
    """No quote or event span, and no entity mention, overlaps an envelope part."""
    parts = envelope_spans(result)
    spans = [q.span for q in result.quotes]
    spans += [s for e in result.events for s in (e.trigger, e.evidence)]
    spans += [m for e in result.entities for m in e.mentions if m.field == "body"]
    for span in spans:
        for part in parts:
            assert not (span.start < part.end and part.start < span.end), (span, part)


def test_reuters_dateline_credits_and_title_tags(extractor: Extractor) -> None:
    result = run(extractor, REUTERS, title="REFILE-UPDATE 2-Georgia rejects protest demands")
    envelope = result.article.envelope
    assert envelope is not None and envelope.dateline is not None
    dateline = envelope.dateline
    assert dateline.span.text == "TBILISI, April 14 (Reuters) -"
    assert (dateline.place.name, dateline.place.country) == ("Tbilisi", "GE")
    assert dateline.place.geo is not None and dateline.place.span.text == "TBILISI"
    assert dateline.agency == "Reuters"
    assert dateline.date is not None and dateline.date.value == "2024-04-14"
    credits = [(c.role, c.name) for c in envelope.credits]
    assert credits == [
        ("reporting", "Jane Doe"),
        ("reporting", "John Roe"),
        ("additional_reporting", "Ann Lee"),
        ("writing", "Tom Kay"),
        ("editing", "Mark Heinrich"),
    ]
    tags = [(t.kind, t.number, t.span.field, t.span.text) for t in envelope.tags]
    assert tags == [("refile", None, "title", "REFILE"), ("update", 2, "title", "UPDATE 2")]
    # the quote opening the story starts after the dateline
    first = min(result.quotes, key=lambda q: q.span.start)
    assert first.span.text.startswith("We will not give in")
    assert_out_of_extraction(result)
    names = {e.name for e in result.entities}
    assert not names & {"Jane Doe", "John Roe", "Ann Lee", "Tom Kay", "Mark Heinrich", "Reuters"}


def test_dateline_place_for_events_whose_sentence_names_none(extractor: Extractor) -> None:
    result = run(extractor, REUTERS)
    arrested = next(e for e in result.events if e.trigger.text == "arrested")
    assert arrested.location is not None
    assert arrested.location.place_source == "dateline"
    assert arrested.location.name == "Tbilisi"
    assert arrested.locations == []
    dumped = jsonio.loads(jsonio.dumps(arrested))
    assert dumped["location"]["place_source"] == "dateline"


def test_ap_byline_dateline_separator_and_contributors(extractor: Extractor) -> None:
    result = run(extractor, AP)
    envelope = result.article.envelope
    assert envelope is not None and envelope.dateline is not None
    assert [a.name for a in envelope.authors] == ["Maria Lopez", "Peter Novak"]
    assert {a.role for a in envelope.authors} == {"author"}
    assert envelope.dateline.span.text == "KYIV, Ukraine (AP) \u2014"
    assert envelope.dateline.place.country == "UA"
    assert envelope.dateline.agency == "Associated Press"
    assert [(c.role, c.name) for c in envelope.credits] == [
        ("additional_reporting", "Anna Smith"),
        ("additional_reporting", "Bob Brown"),
    ]
    kinds = [p.kind for p in envelope.parts]
    assert kinds == ["byline", "dateline", "separator", "credits"]
    persons = {e.name for e in result.entities if e.type == "PERSON"}
    assert not persons & {"Maria Lopez", "Peter Novak", "Anna Smith", "Bob Brown"}
    assert "Oleh Kiper" in persons
    assert_out_of_extraction(result)


def test_afp_title_case_dateline_and_signoff(extractor: Extractor) -> None:
    result = run(extractor, AFP)
    envelope = result.article.envelope
    assert envelope is not None and envelope.dateline is not None
    assert envelope.dateline.span.text == "Paris (AFP) -"
    assert (envelope.dateline.place.name, envelope.dateline.place.country) == ("Paris", "FR")
    assert envelope.dateline.agency == "Agence France-Presse"
    assert [p.kind for p in envelope.parts] == ["dateline", "signoff"]
    assert_out_of_extraction(result)


def test_xinhua_dateline_enditem_and_editor(extractor: Extractor) -> None:
    result = run(extractor, XINHUA, published=datetime(2024, 1, 6, tzinfo=UTC))
    envelope = result.article.envelope
    assert envelope is not None and envelope.dateline is not None
    assert envelope.dateline.span.text == "BEIJING, Jan. 5 (Xinhua) --"
    assert envelope.dateline.date is not None and envelope.dateline.date.value == "2024-01-05"
    assert [p.kind for p in envelope.parts] == ["dateline", "signoff", "credits"]
    assert [(c.role, c.name) for c in envelope.credits] == [("editing", "Zhang Wei")]
    assert not any(e.name == "Zhang Wei" for e in result.entities)
    assert_out_of_extraction(result)


def test_euronews_additional_sources(extractor: Extractor) -> None:
    result = run(extractor, EURONEWS)
    envelope = result.article.envelope
    assert envelope is not None and envelope.dateline is None
    assert [(c.role, c.name) for c in envelope.credits] == [("sources", "AP"), ("sources", "AFP")]
    assert_out_of_extraction(result)


def test_reuters_21578_dateline_and_signoff_without_published_at(extractor: Extractor) -> None:
    article = Article(id="t", body=REUTERS_21578, language="en")
    envelope = extractor.extract(article).article.envelope
    assert envelope is not None and envelope.dateline is not None
    assert envelope.dateline.place.country == "BR"
    assert envelope.dateline.date_span is not None
    assert envelope.dateline.date_span.text == "Feb 26"
    assert envelope.dateline.date is None  # no published_at to resolve it against
    assert [p.kind for p in envelope.parts] == ["dateline", "signoff"]


def test_notices_and_body_tags() -> None:
    body = (
        "EMBARGOED UNTIL 0001 GMT, TUESDAY, APRIL 16\n"
        "(Adds comment from ministry in paragraph 4)\n"
        "EXCLUSIVE-Ministry plans new budget\n"
        "LONDON, April 15 (Reuters) - The ministry plans a new budget, sources said."
    )
    found = find_envelope(body, None)
    assert found is not None and found.dateline is not None
    kinds = [(k, body[s:e]) for k, s, e in found.parts]
    assert kinds[:3] == [
        ("embargo", "EMBARGOED UNTIL 0001 GMT, TUESDAY, APRIL 16"),
        ("advisory", "(Adds comment from ministry in paragraph 4)"),
        ("tags", "EXCLUSIVE-"),
    ]
    assert [(t.kind, t.field) for t in found.tags] == [("exclusive", "body")]


@pytest.mark.parametrize(
    "body",
    [
        "WASHINGTON offered help within hours, the embassy said.",
        "WASHINGTON and Moscow traded accusations on Monday.",
        "NATO - the alliance - met on Monday.",
        "By the end of the day, officials said, 20 people had been evacuated.",
        "Feature-length films were shown, the festival said.",
    ],
)
def test_no_envelope_in_ordinary_sentences(body: str) -> None:
    article = Article(id="t", title="Feature-length films", body=body, language="en")
    assert clean(article).envelope is None


def test_article_without_envelope_is_byte_identical(extractor: Extractor) -> None:
    """Records of an envelope-free article equal those generated before the envelope existed,
    byte for byte
    (regenerate with ``wirestream extract tests/data/no_envelope_article.json`` only when an
    extraction change is meant to change them)."""
    article = Article.model_validate(
        json.loads((TEST_DATA / "no_envelope_article.json").read_text("utf-8"))
    )
    result = extractor.extract(article)
    assert result.article.envelope is None
    got = b"".join(jsonio.dumps(r) + b"\n" for r in result.records)
    assert got == (TEST_DATA / "no_envelope_records.jsonl").read_bytes()
    assert b'"envelope"' not in got and b'"place_source"' not in got


def test_seed_has_no_envelope(extractor: Extractor, seed_article: Article) -> None:
    result = extractor.extract(seed_article)
    assert result.article.envelope is None
    assert all(e.location is None or e.location.place_source == "text" for e in result.events)


def test_lexicon_loads_and_bad_lines_are_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lex = load_lexicon()
    assert lex.agencies["AP"] == "Associated Press"
    assert lex.regions["ill."].country == "US"
    from wirestream.core.extraction.envelope import lexicon as module
    from wirestream.errors import LexiconError

    for name in ("agencies.tsv", "regions.tsv", "tags.tsv", "notices.tsv", "credits.tsv"):
        (tmp_path / name).write_text((module.LEXICON_DIR / name).read_text("utf-8"), "utf-8")
    for name in ("datelines.txt", "contributors.txt"):
        (tmp_path / name).write_text((module.LEXICON_DIR / name).read_text("utf-8"), "utf-8")
    (tmp_path / "tags.tsv").write_text("nonsense\tUPDATE\n", "utf-8")
    monkeypatch.setattr(module, "LEXICON_DIR", tmp_path)
    module.load_lexicon.cache_clear()
    try:
        with pytest.raises(LexiconError, match=r"tags\.tsv:1"):
            module.load_lexicon()
    finally:
        monkeypatch.undo()
        module.load_lexicon.cache_clear()
