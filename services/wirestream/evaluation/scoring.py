"""Scorers: plain functions over gold and predicted spans, no I/O, no spaCy.

Every scorer here is tested on hand-made gold files whose right answers were counted by hand
(``tests/evaluation/``), so a bug in a scorer cannot flatter the product.

Conventions: a span is ``(start, end)`` in characters, end exclusive. Counts are summed over
documents first and turned into precision/recall/F1 once (micro average); a score with nothing to
count (no gold and no prediction) is 0.0, never a flattering 1.0.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Interval = tuple[int, int]


@dataclass(frozen=True)
class PRF:
    """True positives, false positives, false negatives and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True)
class TypedScores:
    """Scores per type plus the micro average over all types."""

    by_type: dict[str, PRF]

    @property
    def micro(self) -> PRF:
        total = PRF()
        for score in self.by_type.values():
            total = total + score
        return total

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.by_type.values()) / len(self.by_type) if self.by_type else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "micro": self.micro.as_dict(),
            "macro_f1": round(self.macro_f1, 4),
            "by_type": {t: s.as_dict() for t, s in sorted(self.by_type.items())},
        }


def overlap(a: Interval, b: Interval) -> int:
    """Characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# --- exact spans (entities) -------------------------------------------------------------------


def score_exact(
    gold: Iterable[tuple[Hashable, int, int, str]],
    predicted: Iterable[tuple[Hashable, int, int, str]],
    types: Sequence[str],
) -> TypedScores:
    """Exact-span, exact-type scores: a prediction counts only when document, start, end and type
    all equal a gold item (conlleval's rule). Items are ``(doc_id, start, end, type)``; duplicates
    count once. Items of a type outside ``types`` are ignored on both sides."""
    gold_set = {g for g in gold if g[3] in types}
    pred_set = {p for p in predicted if p[3] in types}
    by_type: dict[str, PRF] = {}
    for etype in types:
        g = {x for x in gold_set if x[3] == etype}
        p = {x for x in pred_set if x[3] == etype}
        by_type[etype] = PRF(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    return TypedScores(by_type)


# --- quotes (the Gender Gap Tracker rule) ----------------------------------------------------


@dataclass(frozen=True)
class GoldQuote:
    span: Interval
    speaker: Interval | None
    """Where the speaker is written; None for a floating quote (speaker only in ``reference``)."""
    reference: str | None = None
    """The resolved person or organisation ('Darian Lonechild')."""


@dataclass(frozen=True)
class PredictedQuote:
    span: Interval
    speaker: Interval | None = None
    speaker_name: str | None = None


@dataclass(frozen=True)
class QuoteCounts:
    """Counts for one overlap threshold; add them up over documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    speaker_correct: int = 0

    def __add__(self, other: QuoteCounts) -> QuoteCounts:
        return QuoteCounts(
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.speaker_correct + other.speaker_correct,
        )

    @property
    def prf(self) -> PRF:
        return PRF(self.tp, self.fp, self.fn)

    @property
    def speaker_accuracy(self) -> float:
        """Share of matched quotes whose speaker is right (0.0 when nothing matched)."""
        return self.speaker_correct / self.tp if self.tp else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            **self.prf.as_dict(),
            "speaker_correct": self.speaker_correct,
            "speaker_accuracy": round(self.speaker_accuracy, 4),
        }


def coverage(gold: Interval, predicted: Interval) -> float:
    """Share of the gold span's characters the prediction covers: |gold ∩ pred| / |gold|."""
    length = gold[1] - gold[0]
    return overlap(gold, predicted) / length if length > 0 else 0.0


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed ('O'Toole, Erin' → 'otoole erin')."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def same_person(predicted: str | None, reference: str | None) -> bool:
    """True when two names are the same after :func:`normalise_name`, or share the last word
    ('Trudeau' and 'Justin Trudeau'); False when either is missing."""
    if not predicted or not reference:
        return False
    a, b = normalise_name(predicted), normalise_name(reference)
    if not a or not b:
        return False
    return a == b or a.split()[-1] == b.split()[-1]


def speaker_correct(gold: GoldQuote, predicted: PredictedQuote) -> bool:
    """The speaker of a matched quote is right when its span overlaps the gold speaker span, or its
    resolved name is the gold person (:func:`same_person`), or both have no speaker span and no
    name (a floating quote left unattributed by both)."""
    if (
        gold.speaker is not None
        and predicted.speaker is not None
        and overlap(gold.speaker, predicted.speaker) > 0
    ):
        return True
    if same_person(predicted.speaker_name, gold.reference):
        return True
    return gold.speaker is None and predicted.speaker is None and predicted.speaker_name is None


def match_quotes(
    gold: Sequence[GoldQuote], predicted: Sequence[PredictedQuote], threshold: float
) -> QuoteCounts:
    """Greedy matching of one document's quotes, as the Gender Gap Tracker's ``evaluate_quotes``:
    each gold quote in order takes the remaining prediction with the highest coverage
    (:func:`coverage`) if it is *strictly* above ``threshold``; unmatched gold quotes are false
    negatives, predictions left over are false positives."""
    remaining = list(predicted)
    tp = fn = correct = 0
    for g in gold:
        best: PredictedQuote | None = None
        best_score = 0.0
        for p in remaining:
            score = coverage(g.span, p.span)
            if score > threshold and score > best_score:
                best, best_score = p, score
        if best is None:
            fn += 1
            continue
        remaining.remove(best)
        tp += 1
        correct += speaker_correct(g, best)
    return QuoteCounts(tp=tp, fp=len(remaining), fn=fn, speaker_correct=correct)


# --- counts (casualties) ----------------------------------------------------------------------


@dataclass(frozen=True)
class CountScores:
    """Exact-match accuracy and mean absolute error of one number per document."""

    n: int
    exact: int
    absolute_error: int

    @property
    def accuracy(self) -> float:
        return self.exact / self.n if self.n else 0.0

    @property
    def mae(self) -> float:
        return self.absolute_error / self.n if self.n else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "exact": self.exact,
            "accuracy": round(self.accuracy, 4),
            "mae": round(self.mae, 4),
        }


def score_counts(pairs: Iterable[tuple[int, int]]) -> CountScores:
    """``pairs`` are ``(gold, predicted)`` per document."""
    n = exact = error = 0
    for gold, predicted in pairs:
        n += 1
        exact += gold == predicted
        error += abs(gold - predicted)
    return CountScores(n=n, exact=exact, absolute_error=error)


# --- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventItem:
    """One event, gold or predicted, reduced to what is scored: its (mapped) type, its trigger,
    argument spans by role class ('place', 'actors') and, for a prediction, its mentions (every
    word that expresses it, the trigger included; empty: the trigger alone)."""

    type: str
    trigger: Interval
    arguments: Mapping[str, Sequence[Interval]] = field(default_factory=dict)
    mentions: Sequence[Interval] = ()

    def trigger_spans(self, mentions: bool = True) -> Sequence[Interval]:
        """What is scored as this item's triggers: its mentions (when ``mentions``, the default,
        and it has any), else its trigger alone."""
        return self.mentions if mentions and self.mentions else (self.trigger,)


def _match_overlapping(gold: Sequence[Interval], predicted: Sequence[Interval]) -> int:
    """One-to-one matches between two lists of spans, a pair matching when they share a character;
    each gold span (in order) takes the remaining prediction it overlaps most."""
    remaining = list(predicted)
    matched = 0
    for g in gold:
        best = max(remaining, key=lambda p: overlap(g, p), default=None)
        if best is not None and overlap(g, best) > 0:
            remaining.remove(best)
            matched += 1
    return matched


def score_triggers(
    documents: Iterable[tuple[Sequence[EventItem], Sequence[EventItem]]],
    types: Sequence[str],
    *,
    mentions: bool = True,
) -> TypedScores:
    """Trigger scores per type: within a document, a predicted trigger matches a gold trigger of the
    same type when their spans share at least one character (one-to-one). ``documents`` yields
    ``(gold, predicted)`` per document; events of types outside ``types`` are ignored (the data set
    does not annotate them). With ``mentions`` (default True) every mention of a prediction is a
    predicted trigger, matched and counted (for precision and recall) like one; without, each
    prediction is its one main trigger."""
    counts: dict[str, PRF] = {t: PRF() for t in types}
    for gold, predicted in documents:
        for etype in types:
            g = [e.trigger for e in gold if e.type == etype]
            p = [iv for e in predicted if e.type == etype for iv in e.trigger_spans(mentions)]
            tp = _match_overlapping(g, p)
            counts[etype] = counts[etype] + PRF(tp, len(p) - tp, len(g) - tp)
    return TypedScores(counts)


def score_document_types(
    documents: Iterable[tuple[Sequence[EventItem], Sequence[EventItem]]], types: Sequence[str]
) -> TypedScores:
    """Document-level scores per type: was an event of type T reported in the document at all?"""
    counts: dict[str, PRF] = {t: PRF() for t in types}
    for gold, predicted in documents:
        g = {e.type for e in gold}
        p = {e.type for e in predicted}
        for etype in types:
            counts[etype] = counts[etype] + PRF(
                int(etype in g and etype in p),
                int(etype in p and etype not in g),
                int(etype in g and etype not in p),
            )
    return TypedScores(counts)


def score_arguments(
    documents: Iterable[tuple[Sequence[EventItem], Sequence[EventItem]]],
    types: Sequence[str],
    roles: Sequence[str],
) -> TypedScores:
    """Argument scores per role class, ACE-style: within a document, a predicted argument matches a
    gold one of the same event type and role class when their spans share a character (one-to-one),
    whether or not the two triggers matched. Duplicate spans within one document, type and role
    count once."""
    counts: dict[str, PRF] = {r: PRF() for r in roles}
    for gold, predicted in documents:
        for etype in types:
            for role in roles:
                g = _unique(s for e in gold if e.type == etype for s in e.arguments.get(role, ()))
                p = _unique(
                    s for e in predicted if e.type == etype for s in e.arguments.get(role, ())
                )
                tp = _match_overlapping(g, p)
                counts[role] = counts[role] + PRF(tp, len(p) - tp, len(g) - tp)
    return TypedScores(counts)


def _unique(spans: Iterable[Interval]) -> list[Interval]:
    return sorted(set(spans))


# --- clustering -------------------------------------------------------------------------------


def _groups(labels: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    out: dict[Hashable, set[str]] = {}
    for item, label in labels.items():
        out.setdefault(label, set()).add(item)
    return out


def _pairs(labels: Mapping[str, Hashable]) -> set[tuple[str, str]]:
    return {
        (a, b) for members in _groups(labels).values() for a in members for b in members if a < b
    }


def score_pairwise(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> PRF:
    """Pairwise clustering scores: a pair of items in one predicted cluster is a true positive
    when gold puts them in one cluster too. Both maps give every item (same keys) its cluster."""
    gold_pairs, predicted_pairs = _pairs(gold), _pairs(predicted)
    tp = len(gold_pairs & predicted_pairs)
    return PRF(tp, len(predicted_pairs) - tp, len(gold_pairs) - tp)


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_bcubed(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> BCubed:
    """B³ (Bagga and Baldwin 1998): per item, the share of its predicted cluster that shares its
    gold cluster (precision) and the share of its gold cluster its predicted cluster holds
    (recall), averaged over items."""
    if not gold:
        return BCubed(0.0, 0.0)
    gold_of, pred_of = _groups(gold), _groups(predicted)
    precision = recall = 0.0
    for item in gold:
        g, p = gold_of[gold[item]], pred_of[predicted[item]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    return BCubed(precision / len(gold), recall / len(gold))
