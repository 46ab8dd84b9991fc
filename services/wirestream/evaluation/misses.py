"""Where the event scores are lost: a report of the gold triggers and arguments the extractor
misses, by class, for looking at (not a score: ``wirestream eval --only events`` scores).

Run it on the event data sets (the same files, mapping and matching rule as the events task)::

    python -m wirestream.evaluation.misses [--data DIR] [--limit N] [--show N] > /tmp/misses.txt

For every gold trigger of a scored type that no prediction matched, its class:

- ``same sentence``: an event of the same type was read from the sentence, and none of its
  mentions is this word (every mention of a record is a predicted trigger, as the events task
  scores them);
- ``other type``: a predicted trigger overlaps it with another type;
- ``missed``: nothing of that type in its sentence.

Then the trigger words of each class and of the false positives, most frequent first, and the
argument misses (gold place/actor text against what was predicted for events of that type in the
same document). ``--show N`` (default 0) also prints N missed triggers in context. The report
quotes evaluation text: print it to the terminal or /tmp, never into the repository.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wirestream.core.extraction import ArticleResult, Extractor
from wirestream.evaluation import data, tasks
from wirestream.evaluation.scoring import EventItem, Interval, overlap


@dataclass
class Tally:
    """Counters of one data set."""

    classes: Counter[str] = field(default_factory=Counter)
    words: dict[str, Counter[str]] = field(default_factory=dict)
    false_positives: Counter[str] = field(default_factory=Counter)
    arguments: dict[str, Counter[str]] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    shown_fp: list[str] = field(default_factory=list)
    shown_args: list[str] = field(default_factory=list)

    def word(self, cls: str, text: str) -> None:
        self.words.setdefault(cls, Counter())[text.lower()] += 1

    def argument(self, cls: str, text: str) -> None:
        self.arguments.setdefault(cls, Counter())[text] += 1


def _covers(span: Interval, outer: Interval) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1]


def _matched(
    gold: Sequence[EventItem], predicted: Sequence[EventItem]
) -> tuple[set[int], set[int]]:
    """Indices of matched gold and predicted items (the scorer's rule: per type, in order, each
    gold trigger takes the remaining overlapping prediction it overlaps most)."""
    hit_g: set[int] = set()
    hit_p: set[int] = set()
    for gi, g in enumerate(gold):
        candidates = [
            (overlap(g.trigger, p.trigger), pi)
            for pi, p in enumerate(predicted)
            if pi not in hit_p and p.type == g.type
        ]
        best = max(candidates, default=(0, -1))
        if best[0] > 0:
            hit_g.add(gi)
            hit_p.add(best[1])
    return hit_g, hit_p


def _context(text: str, span: Interval) -> str:
    start, end = span
    return f"...{text[max(0, start - 90) : start]}[[{text[start:end]}]]{text[end : end + 60]}..."


def _tally_document(
    text: str,
    gold: list[EventItem],
    output: ArticleResult,
    mapping: data.EventMapping,
    tally: Tally,
    show: int,
) -> None:
    types = set(mapping.targets)
    predicted = [
        EventItem(p.type, span, p.arguments)
        for p in tasks.predicted_events(output, mapping)
        if p.type in types
        for span in p.trigger_spans()
    ]  # each mention a predicted trigger, as the scorer counts them
    evidence = {
        (m.start, m.end): (e.evidence.start, e.evidence.end)
        for e in output.events
        for m in (e.trigger, *e.mentions)
    }
    hit_g, hit_p = _matched(gold, predicted)
    _tally_pairs(text, gold, predicted, tally, show)
    _tally_misses(text, gold, predicted, hit_g, evidence, tally, show)
    missed = [g for gi, g in enumerate(gold) if gi not in hit_g]
    wrong = [p for pi, p in enumerate(predicted) if pi not in hit_p]
    _tally_false_positives(text, missed, wrong, evidence, tally, show)
    _tally_arguments(text, gold, predicted, types, tally)


def _tally_misses(
    text: str,
    gold: list[EventItem],
    predicted: list[EventItem],
    hit_g: set[int],
    evidence: dict[Interval, Interval],
    tally: Tally,
    show: int,
) -> None:
    for gi, g in enumerate(gold):
        if gi in hit_g:
            tally.classes["matched"] += 1
            continue
        if any(
            p.type == g.type and _covers(g.trigger, evidence.get(p.trigger, p.trigger))
            for p in predicted
        ):
            cls = "same sentence"
        elif any(overlap(g.trigger, p.trigger) for p in predicted):
            cls = "other type"
        else:
            cls = "missed"
        tally.classes[cls] += 1
        tally.word(f"{cls} {g.type}", text[g.trigger[0] : g.trigger[1]])
        if cls == "missed" and len(tally.shown) < show:
            tally.shown.append(f"{g.type}: {_context(text, g.trigger)}")


def _tally_false_positives(
    text: str,
    missed: list[EventItem],
    wrong: list[EventItem],
    evidence: dict[Interval, Interval],
    tally: Tally,
    show: int,
) -> None:
    """Unmatched predictions; "displacing" when a missed gold trigger of the same type is in the
    prediction's sentence (we chose another word of it)."""
    for p in wrong:
        sentence = evidence.get(p.trigger, p.trigger)
        displaced_by = [g for g in missed if g.type == p.type and _covers(g.trigger, sentence)]
        word = text[p.trigger[0] : p.trigger[1]].lower()
        if displaced_by:
            gold_words = "/".join(text[g.trigger[0] : g.trigger[1]].lower() for g in displaced_by)
            tally.argument("displacing (ours > gold)", f"{word} > {gold_words}")
        cls = "false positive, displacing a gold one" if displaced_by else "false positive"
        tally.classes[cls] += 1
        tally.false_positives[f"{p.type} {word}"] += 1
        if len(tally.shown_fp) < show:
            tally.shown_fp.append(f"FP {p.type}: {_context(text, p.trigger)}")


def _tally_arguments(
    text: str,
    gold: list[EventItem],
    predicted: list[EventItem],
    types: set[str],
    tally: Tally,
) -> None:
    """Argument spans per document, type and role, as the scorer compares them."""
    for role in tasks.ARGUMENT_ROLES:
        for etype in types:
            g_spans = {a for e in gold if e.type == etype for a in e.arguments.get(role, ())}
            p_spans = {a for e in predicted if e.type == etype for a in e.arguments.get(role, ())}
            for a in g_spans:
                if not any(overlap(a, b) for b in p_spans):
                    tally.argument(f"{role} missed", text[a[0] : a[1]])
            for b in p_spans:
                if not any(overlap(b, a) for a in g_spans):
                    tally.argument(f"{role} wrong", text[b[0] : b[1]])


def _tally_pairs(
    text: str, gold: list[EventItem], predicted: list[EventItem], tally: Tally, show: int
) -> None:
    """Arguments of events whose triggers match: gold against ours, role by role."""
    used: set[int] = set()
    for g in gold:
        p = next(
            (
                p
                for pi, p in enumerate(predicted)
                if pi not in used and p.type == g.type and overlap(g.trigger, p.trigger)
            ),
            None,
        )
        if p is None:
            continue
        used.add(predicted.index(p))
        for role in tasks.ARGUMENT_ROLES:
            gs, ps = g.arguments.get(role, ()), p.arguments.get(role, ())
            ok = any(overlap(a, b) for a in gs for b in ps)
            key = "right" if ok else ("none found" if not ps else ("extra" if not gs else "wrong"))
            tally.classes[f"paired {role}: {key}"] += 1
            if key in ("wrong", "none found") and gs and len(tally.shown_args) < show:
                s, e = g.trigger
                tally.shown_args.append(
                    f"{role} {key} {g.type} [{text[s:e]}] gold={[text[a:b] for a, b in gs]} "
                    f"ours={[text[a:b] for a, b in ps]} :: {text[max(0, s - 100) : e + 80]!r}"
                )


def report(tally: Tally, name: str, top: int = 40) -> str:
    lines = [
        f"# {name}",
        "",
        "trigger classes: " + ", ".join(f"{k} {v}" for k, v in tally.classes.most_common()),
    ]
    for cls, words in sorted(tally.words.items()):
        lines.append(
            f"\n{cls} ({sum(words.values())}): "
            + ", ".join(f"{w} {n}" for w, n in words.most_common(top))
        )
    fps = tally.false_positives
    lines.append(
        f"\nfalse positives ({sum(fps.values())}): "
        + ", ".join(f"{w} {n}" for w, n in fps.most_common(top))
    )
    for cls, texts in sorted(tally.arguments.items()):
        lines.append(
            f"\n{cls} ({sum(texts.values())}): "
            + "; ".join(f"{w} {n}" for w, n in texts.most_common(top))
        )
    if tally.shown:
        lines += ["", "missed in context:", *tally.shown]
    if tally.shown_args:
        lines += ["", "arguments of matched events:", *tally.shown_args]
    if tally.shown_fp:
        lines += ["", "false positives in context:", *tally.shown_fp]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wirestream.evaluation.misses", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", default=None, help="data folder (default as for wirestream eval)")
    parser.add_argument("--limit", type=int, default=None, help="at most N documents per data set")
    parser.add_argument("--show", type=int, default=0, help="print N missed triggers in context")
    args = parser.parse_args(argv)
    root = data.resolve_data_dir(args.data)
    paths = data.find_files(root, "events", direct=False)
    readers = {"wikievents": data.read_wikievents, "m2e2": data.read_m2e2}
    extractor = Extractor.load()
    options = tasks.Options(limit=args.limit)
    for name, path in paths.items():
        mapping = data.load_event_mapping(name)
        sub = tasks.TaskResult("events")
        docs = tasks.select(readers[name](Path(path), mapping), sub, args.limit)
        tally = Tally()
        for doc, output in tasks.extract(extractor, docs, sub, options, name):
            _tally_document(doc.text, doc.gold, output, mapping, tally, args.show)
        print(report(tally, name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
