"""The evaluation tasks: read a data set, run the public pipeline and the baseline, score both.

Each task returns a :class:`TaskResult` (numbers for the JSON file, rows for the Markdown table,
bars for the chart). The extractor is :class:`wirestream.core.extraction.Extractor`, so the scores
are always those of the current extraction code. A document that cannot be turned into an article,
or on which extraction raises, is counted as failed and the run goes on.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from tqdm import tqdm

from wirestream.core.contracts import Article, EventRecord
from wirestream.core.extraction import ArticleResult, Extractor
from wirestream.evaluation import baselines, data
from wirestream.evaluation.scoring import (
    CountScores,
    EventItem,
    Interval,
    PredictedQuote,
    QuoteCounts,
    score_arguments,
    score_counts,
    score_document_types,
    score_exact,
    score_triggers,
)

D = TypeVar("D", bound=data.Document)

ENTITY_TYPES = ("PERSON", "ORGANIZATION", "LOCATION")
QUOTE_THRESHOLDS = (0.3, 0.8)
ARGUMENT_ROLES = ("place", "actors")


@dataclass(frozen=True)
class Chart:
    """Grouped bars: one group per category, one bar per series."""

    title: str
    categories: list[str]
    series: dict[str, list[float]]
    ylabel: str = "F1"


@dataclass
class TaskResult:
    task: str
    datasets: dict[str, str] = field(default_factory=dict)
    """data-set name -> file path."""
    documents: int = 0
    scored: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """File name -> JSON lines the command writes beside eval.json (e.g. the incident links)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "datasets": self.datasets,
            "documents": self.documents,
            "scored": self.scored,
            "skipped": dict(self.skipped),
            "failed": len(self.failed),
            "failures": self.failed[:20],
            "metrics": self.metrics,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Options:
    limit: int | None = None
    progress: bool = False


# --- running the pipeline ---------------------------------------------------------------------


def published_at(value: str | None) -> str | None:
    """A data set's date ('2018-03-09') as an RFC 3339 timestamp at noon UTC, else None."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value}T12:00:00+00:00"
    return None


def to_article(doc: data.Document) -> Article:
    """The document as an input article: the text is the body (no title, so offsets into the
    text are offsets into the body), language 'en' (every data set here is English)."""
    return Article(
        id=doc.id,
        body=doc.text,
        language="en",
        published_at=published_at(doc.published),
    )


def select(docs: Iterable[D], result: TaskResult, limit: int | None) -> list[D]:
    """Documents with gold, up to ``limit``; the others are counted in ``result.skipped``."""
    kept: list[D] = []
    for doc in docs:
        result.documents += 1
        if doc.skip_reason is not None:
            result.skipped[doc.skip_reason] += 1
        elif limit is not None and len(kept) >= limit:
            result.skipped["over --limit"] += 1
        else:
            kept.append(doc)
    return kept


def extract(
    extractor: Extractor, docs: Sequence[D], result: TaskResult, options: Options, label: str
) -> Iterator[tuple[D, ArticleResult]]:
    """Run the extractor over ``docs`` in batches; documents that fail are recorded and left out."""
    bar = tqdm(
        total=len(docs), desc=label, unit="doc", disable=not options.progress, file=sys.stderr
    )
    size = extractor.batch_size
    with bar:
        for i in range(0, len(docs), size):
            chunk = docs[i : i + size]
            articles: list[tuple[D, Article]] = []
            for doc in chunk:
                try:
                    articles.append((doc, to_article(doc)))
                except ValidationError as exc:
                    result.failed.append(f"{doc.id}: not a valid article: {exc.errors()[0]['msg']}")
            yield from _extract_batch(extractor, articles, result)
            bar.update(len(chunk))


def _extract_batch(
    extractor: Extractor, articles: list[tuple[D, Article]], result: TaskResult
) -> Iterator[tuple[D, ArticleResult]]:
    try:
        outputs = extractor.extract_batch([a for _, a in articles])
    # The harness measures code that is being written; a bug in it must cost one document,
    # not the run. The batch is retried one article at a time to find the one that fails.
    except Exception:  # noqa: BLE001
        for doc, article in articles:
            try:
                output = extractor.extract(article)
            except Exception as exc:  # noqa: BLE001
                result.failed.append(f"{doc.id}: extraction raised {type(exc).__name__}: {exc}")
                continue
            yield doc, output
        return
    yield from zip((d for d, _ in articles), outputs, strict=True)


def _body_interval(span: Any) -> Interval | None:
    if span is None or getattr(span, "field", "body") != "body":
        return None
    return (int(span.start), int(span.end))


# --- entities ---------------------------------------------------------------------------------


def run_entities(extractor: Extractor, path: Path, options: Options) -> TaskResult:
    """Exact-span, exact-type F1 per type (PERSON/ORGANIZATION/LOCATION; CoNLL MISC dropped),
    Wirestream's entity mentions against raw spaCy NER on the same texts."""
    result = TaskResult("entities", datasets={"conll2003": str(path)})
    docs = select(data.read_entities(path), result, options.limit)
    gold: list[tuple[str, int, int, str]] = []
    ours: list[tuple[str, int, int, str]] = []
    base: list[tuple[str, int, int, str]] = []
    scored: list[data.EntityDoc] = []
    for doc, output in extract(extractor, docs, result, options, "entities"):
        scored.append(doc)
        gold.extend((doc.id, s, e, t) for s, e, t in doc.gold)
        for entity in output.entities:
            if entity.type not in ENTITY_TYPES:
                continue
            for mention in entity.mentions:
                interval = _body_interval(mention)
                if interval is not None:
                    ours.append((doc.id, *interval, entity.type))
    spacy_docs = baselines.spacy_docs(extractor.nlp, (d.text for d in scored), extractor.batch_size)
    for doc, sdoc in zip(scored, spacy_docs, strict=True):
        base.extend((doc.id, s, e, t) for s, e, t in baselines.spacy_entities(sdoc))
    result.scored = len(scored)
    wire = score_exact(gold, ours, ENTITY_TYPES)
    spacy = score_exact(gold, base, ENTITY_TYPES)
    result.metrics = {"wirestream": wire.as_dict(), "spacy_baseline": spacy.as_dict()}
    result.header = ["entities (exact span+type)", "gold", "Wirestream P/R/F1", "spaCy P/R/F1"]
    for etype in (*ENTITY_TYPES, "micro"):
        w = wire.micro if etype == "micro" else wire.by_type[etype]
        b = spacy.micro if etype == "micro" else spacy.by_type[etype]
        result.rows.append([etype, str(w.gold), _prf(w), _prf(b)])
    result.charts.append(
        Chart(
            "Entities: exact-span F1 (CoNLL-2003 dev)",
            [*ENTITY_TYPES, "micro"],
            {
                "Wirestream": [wire.by_type[t].f1 for t in ENTITY_TYPES] + [wire.micro.f1],
                "spaCy NER": [spacy.by_type[t].f1 for t in ENTITY_TYPES] + [spacy.micro.f1],
            },
        )
    )
    return result


# --- quotes -----------------------------------------------------------------------------------


def predicted_quotes(output: ArticleResult) -> list[PredictedQuote]:
    quotes = []
    for quote in output.quotes:
        span = _body_interval(quote.span)
        if span is None:
            continue
        speaker = quote.speaker
        quotes.append(
            PredictedQuote(
                span=span,
                speaker=_body_interval(speaker.span) if speaker else None,
                speaker_name=speaker.name if speaker else None,
            )
        )
    return quotes


def _report_quotes(
    result: TaskResult, ours: dict[float, QuoteCounts], base: dict[float, QuoteCounts]
) -> None:
    """The quotes table rows and chart: Wirestream and textacy per coverage threshold."""
    result.header = ["quotes (GGT rule)", "threshold", "Wirestream P/R/F1", "speaker acc", "textacy P/R/F1", "speaker acc"]  # fmt: skip
    for t in QUOTE_THRESHOLDS:
        result.rows.append(
            [
                "quote span",
                f"> {t}",
                _prf(ours[t].prf),
                _pct(ours[t].speaker_accuracy),
                _prf(base[t].prf),
                _pct(base[t].speaker_accuracy),
            ]
        )
    cats = [f"F1 > {t}" for t in QUOTE_THRESHOLDS] + [f"speaker > {t}" for t in QUOTE_THRESHOLDS]
    result.charts.append(
        Chart(
            "Quotes: Gender Gap Tracker rule",
            cats,
            {
                "Wirestream": [ours[t].prf.f1 for t in QUOTE_THRESHOLDS]
                + [ours[t].speaker_accuracy for t in QUOTE_THRESHOLDS],
                "textacy": [base[t].prf.f1 for t in QUOTE_THRESHOLDS]
                + [base[t].speaker_accuracy for t in QUOTE_THRESHOLDS],
            },
            ylabel="F1 / accuracy",
        )
    )


def run_quotes(extractor: Extractor, path: Path, options: Options) -> TaskResult:
    """The Gender Gap Tracker rule at coverage thresholds 0.3 and 0.8, against textacy."""
    from wirestream.evaluation.scoring import match_quotes

    result = TaskResult("quotes", datasets={"quotes_ggt": str(path)})
    docs = select(data.read_quotes(path), result, options.limit)
    ours = {t: QuoteCounts() for t in QUOTE_THRESHOLDS}
    base = {t: QuoteCounts() for t in QUOTE_THRESHOLDS}
    scored: list[data.QuoteDoc] = []
    for doc, output in extract(extractor, docs, result, options, "quotes"):
        scored.append(doc)
        predicted = predicted_quotes(output)
        for t in QUOTE_THRESHOLDS:
            ours[t] = ours[t] + match_quotes(doc.gold, predicted, t)
    gave_up = 0
    spacy_docs = baselines.spacy_docs(extractor.nlp, (d.text for d in scored), extractor.batch_size)
    for doc, sdoc in zip(scored, spacy_docs, strict=True):
        predicted, failed = baselines.textacy_quotes(sdoc)
        gave_up += failed
        for t in QUOTE_THRESHOLDS:
            base[t] = base[t] + match_quotes(doc.gold, predicted, t)
    result.scored = len(scored)
    unlocated = sum(d.unlocated for d in scored)
    result.metrics = {
        "gold_quotes": sum(len(d.gold) for d in scored),
        "gold_quotes_unlocated": unlocated,
        "wirestream": {str(t): ours[t].as_dict() for t in QUOTE_THRESHOLDS},
        "textacy_baseline": {str(t): base[t].as_dict() for t in QUOTE_THRESHOLDS},
        "textacy_gave_up_documents": gave_up,
    }
    result.notes.append(
        f"textacy raised on an odd number of quote marks in {gave_up} of {len(scored)} documents "
        "(counted as no prediction); textacy finds direct quotes only, the gold has indirect ones"
    )
    _report_quotes(result, ours, base)
    return result


# --- casualties -------------------------------------------------------------------------------


HARM_TYPES = frozenset({"ASSAULT", "DISASTER"})
"""Event types that carry casualty counts: attacks (PLOVER ASSAULT) and harm nobody intended
(Wirestream's DISASTER: natural hazards, accidents, disease). Both count, so that retyping a
report from ASSAULT to DISASTER never loses its dead and injured."""
SCORED_AS: dict[str, str] = {"DISASTER": "ASSAULT"}
"""Our types scored as another type against the event data sets: their ASSAULT gold includes every
death and injury (Life.Die, Life.Injure), whatever the cause, so a DISASTER's trigger answers it."""


def article_casualties(events: Iterable[EventRecord]) -> tuple[int, int]:
    """Article-level (killed, injured): the largest count over the article's *current* harm events
    (:data:`HARM_TYPES`; background events are earlier incidents), 0 when there is none. The
    largest, not the sum, because wire reports restate one incident's toll in several sentences."""
    killed = injured = 0
    for event in events:
        if event.type not in HARM_TYPES or event.timeframe != "current":
            continue
        if event.casualties.killed is not None:
            killed = max(killed, event.casualties.killed.value)
        if event.casualties.injured is not None:
            injured = max(injured, event.casualties.injured.value)
    return killed, injured


def _report_casualties(
    result: TaskResult,
    ours: tuple[CountScores, CountScores, int],
    zero: tuple[CountScores, CountScores, int],
) -> None:
    """The casualties table rows and chart: (killed, injured, both exact) for Wirestream and the
    always-0 baseline."""
    ours_k, ours_i, both = ours
    zero_k, zero_i, zero_both = zero
    n = result.scored
    result.header = ["casualties (clean subset)", "Wirestream acc", "MAE", "always-0 acc", "MAE"]
    result.rows = [
        [
            "killed",
            _pct(ours_k.accuracy),
            f"{ours_k.mae:.2f}",
            _pct(zero_k.accuracy),
            f"{zero_k.mae:.2f}",
        ],
        [
            "injured",
            _pct(ours_i.accuracy),
            f"{ours_i.mae:.2f}",
            _pct(zero_i.accuracy),
            f"{zero_i.mae:.2f}",
        ],
        ["both", _pct(both / n if n else 0.0), "", _pct(zero_both / n if n else 0.0), ""],
    ]
    result.charts.append(
        Chart(
            "Casualties: exact-match accuracy (GVA, clean subset)",
            ["killed", "injured", "both"],
            {
                "Wirestream": [ours_k.accuracy, ours_i.accuracy, both / n if n else 0.0],
                "always 0": [zero_k.accuracy, zero_i.accuracy, zero_both / n if n else 0.0],
            },
            ylabel="accuracy",
        )
    )


def run_casualties(extractor: Extractor, path: Path, options: Options) -> TaskResult:
    """Exact-match accuracy and MAE of killed and injured per article (clean subset), against the
    baseline that always answers 0 (the most common answer)."""
    result = TaskResult("casualties", datasets={"casualties_gva": str(path)})
    docs = select(data.read_casualties(path), result, options.limit)
    killed: list[tuple[int, int]] = []
    injured: list[tuple[int, int]] = []
    both = 0
    for doc, output in extract(extractor, docs, result, options, "casualties"):
        k, i = article_casualties(output.events)
        killed.append((doc.killed, k))
        injured.append((doc.injured, i))
        both += k == doc.killed and i == doc.injured
    result.scored = len(killed)
    ours_k, ours_i = score_counts(killed), score_counts(injured)
    zero_k = score_counts((g, 0) for g, _ in killed)
    zero_i = score_counts((g, 0) for g, _ in injured)
    zero_both = sum(g1 == 0 and g2 == 0 for (g1, _), (g2, _) in zip(killed, injured, strict=True))
    n = result.scored
    result.metrics = {
        "wirestream": {
            "killed": ours_k.as_dict(),
            "injured": ours_i.as_dict(),
            "both_exact_accuracy": round(both / n, 4) if n else 0.0,
        },
        "zero_baseline": {
            "killed": zero_k.as_dict(),
            "injured": zero_i.as_dict(),
            "both_exact_accuracy": round(zero_both / n, 4) if n else 0.0,
        },
        "rule": "max over current ASSAULT and DISASTER events' casualties.killed/injured.value, "
        "0 when none",
    }
    _report_casualties(result, (ours_k, ours_i, both), (zero_k, zero_i, zero_both))
    return result


# --- events -----------------------------------------------------------------------------------


def predicted_events(output: ArticleResult, mapping: data.EventMapping) -> list[EventItem]:
    """Our events as scored items: trigger, ``place`` = the event's location, ``actors`` = its
    actors (plus its recipients for symmetric types such as CONSULT); types renamed by
    :data:`SCORED_AS` (a DISASTER is scored as ASSAULT)."""
    items = []
    for event in output.events:
        trigger = _body_interval(event.trigger)
        if trigger is None:
            continue
        place = _body_interval(event.location.span) if event.location else None
        people = list(event.actors)
        if event.type in mapping.symmetric_types:
            people += event.recipients
        actors = [iv for p in people if (iv := _body_interval(p.span)) is not None]
        etype = SCORED_AS.get(event.type, event.type)
        mentions = [iv for m in event.mentions if (iv := _body_interval(m)) is not None]
        arguments = {"place": [place] if place else [], "actors": actors}
        items.append(EventItem(etype, trigger, arguments, mentions))
    return items


def run_events(
    extractor: Extractor, paths: dict[str, Path], options: Options, mapping_path: Path | None = None
) -> TaskResult:
    """Trigger F1 per PLOVER type after mapping the data set's types (a data file), document-level
    type F1, and argument F1 for place and actors, per data set."""
    result = TaskResult("events", datasets={k: str(v) for k, v in paths.items()})
    readers: dict[str, Callable[[Path, data.EventMapping], Iterator[data.EventDoc]]] = {
        "wikievents": data.read_wikievents,
        "m2e2": data.read_m2e2,
    }
    result.header = ["events", "type", "gold", "trigger P/R/F1", "document-level F1"]
    per_dataset: dict[str, dict[str, float]] = {}
    for name, path in paths.items():
        mapping = data.load_event_mapping(name, mapping_path)
        types = mapping.targets
        sub = TaskResult("events")
        docs = select(readers[name](path, mapping), sub, options.limit)
        pairs: list[tuple[list[EventItem], list[EventItem]]] = []
        for doc, output in extract(extractor, docs, sub, options, f"events/{name}"):
            pairs.append((doc.gold, predicted_events(output, mapping)))
        result.documents += sub.documents
        result.scored += len(pairs)
        result.skipped.update({f"{name}: {k}": v for k, v in sub.skipped.items()})
        result.failed.extend(f"{name}/{f}" for f in sub.failed)
        triggers = score_triggers(pairs, types)
        one_per_record = score_triggers(pairs, types, mentions=False)
        doc_level = score_document_types(pairs, types)
        arguments = score_arguments(pairs, types, ARGUMENT_ROLES)
        result.metrics[name] = {
            "mapping": str(mapping.source),
            "documents_scored": len(pairs),
            "gold_events_unmapped": sum(d.unmapped for d in docs),
            "triggers": triggers.as_dict(),
            "triggers_one_per_record": one_per_record.as_dict(),
            "document_types": doc_level.as_dict(),
            "arguments": arguments.as_dict(),
        }
        for etype in (*types, "micro"):
            t = triggers.micro if etype == "micro" else triggers.by_type[etype]
            d = doc_level.micro if etype == "micro" else doc_level.by_type[etype]
            result.rows.append([name, etype, str(t.gold), _prf(t), _pct(d.f1)])
        one = one_per_record.micro
        result.rows.append([name, "micro, one trigger per record", str(one.gold), _prf(one), ""])
        for role in ARGUMENT_ROLES:
            a = arguments.by_type[role]
            result.rows.append([name, f"argument: {role}", str(a.gold), _prf(a), ""])
        per_dataset[name] = {t: triggers.by_type[t].f1 for t in types}
        per_dataset[name]["micro"] = triggers.micro.f1
    categories = sorted({t for scores in per_dataset.values() for t in scores} - {"micro"})
    categories.append("micro")
    series = {
        name: [scores.get(t, math.nan) for t in categories] for name, scores in per_dataset.items()
    }
    result.charts.append(Chart("Events: trigger F1 per PLOVER type", categories, series))
    result.notes.append(
        "no events baseline; trigger match = same mapped type and overlapping span; every "
        "mention of an event is a predicted trigger (the row 'one trigger per record' scores "
        "the main trigger alone); types the mapping leaves out are not scored (see "
        "evaluation/mappings/README.md)"
    )
    return result


# --- formatting -------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _prf(score: Any) -> str:
    return f"{_pct(score.precision)} / {_pct(score.recall)} / {_pct(score.f1)}"
