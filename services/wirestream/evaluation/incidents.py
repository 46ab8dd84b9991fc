"""The incident task: run the extractor on the Gun Violence Archive articles, group their events
into incidents with the pure clustering (:mod:`wirestream.core.incidents`), score the articles'
grouping against GVA's incidents, next to two baselines.

Gold: GVA records one incident per (``shooting_date``, ``address``). About a tenth of the records
have no address; such records share only a day (their publication dates lie weeks apart, their
counts disagree), so each is its own gold incident ("strict" gold). The "naive" gold groups them
by day too, as the pair alone would. "strict_clean" scores the records GVA's flag keeps (a
round-up whose one text several records share is one article, not several reports). All three
are reported.

An article is placed in the incident holding most of its events (ties: the smallest id); an
article with no event in any incident is its own. Scores are pairwise precision, recall, F1 over
article pairs and B³. Baselines: every article its own incident; every pair of articles published
the same day naming the same city (the city-level place their events name most) merged.

The run also writes ``incidents-links.jsonl`` beside ``eval.json``: one line per predicted
incident of several articles, with each article's gold and every link between members of two
different articles and the criteria that made it (:func:`~wirestream.core.incidents.compat.explain`),
for reading why reports were joined. It holds ids, extracted names and verdicts, no text.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirestream.core.contracts import EventRecord
from wirestream.core.extraction import Extractor
from wirestream.core.incidents import cluster, compatible, members_of_article
from wirestream.core.incidents.compat import explain, member_day
from wirestream.core.incidents.members import normalise_name
from wirestream.evaluation import data
from wirestream.evaluation.scoring import score_bcubed, score_pairwise
from wirestream.evaluation.tasks import Chart, Options, TaskResult, extract, select
from wirestream_contracts.incidents import IncidentMember


@dataclass(frozen=True)
class IncidentDoc(data.Document):
    shooting_date: str = ""
    address: str = ""
    clean: bool = True
    """GVA's ``likely_single_incident_clean``: the text is unique (not a round-up) and long."""


def read_incident_docs(path: Path) -> list[IncidentDoc]:
    """Every GVA record with text (round-ups included: they are part of a real stream)."""
    out = []
    for number, obj in data.read_jsonl(path):
        text = obj.get("text") if isinstance(obj.get("text"), str) else ""
        out.append(
            IncidentDoc(
                id=str(obj.get("id") or f"line-{number}"),
                text=text or "",
                published=obj.get("publish_date") or None,
                skip_reason=None if (text or "").strip() else "empty text",
                shooting_date=str(obj.get("shooting_date") or ""),
                address=str(obj.get("address") or "").strip(),
                clean=obj.get("likely_single_incident_clean") is not False,
            )
        )
    return out


def gold_labels(docs: list[IncidentDoc], *, strict: bool) -> dict[str, Hashable]:
    return {
        d.id: (d.shooting_date, d.address) if d.address or not strict else ("own", d.id)
        for d in docs
    }


def _main_city(events: list[EventRecord]) -> str | None:
    cities = Counter(
        normalise_name(e.location.name)
        for e in events
        if e.location is not None
        and e.location.geo is not None
        and e.location.geo.feature == "city"
    )
    return max(sorted(cities.items()), key=lambda kv: kv[1])[0] if cities else None


def _row(
    name: str, gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]
) -> dict[str, float]:
    pair = score_pairwise(gold, predicted)
    b3 = score_bcubed(gold, predicted)
    return {
        "pairwise_precision": round(pair.precision, 4),
        "pairwise_recall": round(pair.recall, 4),
        "pairwise_f1": round(pair.f1, 4),
        "predicted_pairs": pair.tp + pair.fp,
        "gold_pairs": pair.tp + pair.fn,
        "true_pairs": pair.tp,
        "bcubed_precision": round(b3.precision, 4),
        "bcubed_recall": round(b3.recall, 4),
        "bcubed_f1": round(b3.f1, 4),
    }


def _predicted_pairs(labels: Mapping[str, Hashable]) -> list[tuple[str, str]]:
    groups: dict[Hashable, list[str]] = {}
    for item, label in sorted(labels.items()):
        groups.setdefault(label, []).append(item)
    return [(a, b) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]]


LABELS = {
    "wirestream": "Wirestream",
    "every_article_own": "every article its own",
    "same_day_same_city": "same day + same city",
}
GOLDS = ("strict", "strict_clean", "naive")
COLUMNS = (
    "pairwise_precision",
    "pairwise_recall",
    "pairwise_f1",
    "bcubed_precision",
    "bcubed_recall",
    "bcubed_f1",
)


def article_incidents(
    incidents: Mapping[str, list[IncidentMember]], docs: list[IncidentDoc]
) -> dict[str, Hashable]:
    """Each article's incident: the one holding most of its events (ties: the smallest id); an
    article with no member is its own."""
    votes: dict[str, Counter[str]] = {}
    for incident_id, group in incidents.items():
        for m in group:
            votes.setdefault(m.article_id, Counter())[incident_id] += 1
    return {
        d.id: (
            min(votes[d.id].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if d.id in votes
            else ("own", d.id)
        )
        for d in docs
    }


def _scores(
    scored: list[IncidentDoc], systems: dict[str, Mapping[str, Hashable]]
) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    clean = [d for d in scored if d.clean]
    for gold_name, strict, subset in zip(
        GOLDS, (True, True, False), (scored, clean, scored), strict=True
    ):
        gold = gold_labels(subset, strict=strict)
        ids = {d.id for d in subset}
        out[gold_name] = {
            name: _row(name, gold, {k: v for k, v in labels.items() if k in ids})
            for name, labels in systems.items()
        }
    return out


def _table(result: TaskResult, out: dict[str, dict[str, dict[str, float]]]) -> None:
    result.header = ["incidents (GVA)", "gold", "pair P", "pair R", "pair F1", "B³ P", "B³ R"]
    result.header.append("B³ F1")
    for gold_name in GOLDS:
        for key, label in LABELS.items():
            row = out[gold_name][key]
            result.rows.append([label, gold_name, *(f"{100 * row[k]:.1f}" for k in COLUMNS)])
    result.charts.append(
        Chart(
            "Incident clustering: pairwise F1 and B³ F1 (GVA, strict gold)",
            ["pairwise F1", "B³ F1"],
            {LABELS[k]: [v["pairwise_f1"], v["bcubed_f1"]] for k, v in out["strict"].items()},
        )
    )


def _link(a: IncidentMember, b: IncidentMember) -> dict[str, Any]:
    return {
        "articles": [a.article_id, b.article_id],
        "events": [a.event_id, b.event_id],
        "places": [a.place_name, b.place_name],
        "days": [str(member_day(a)), str(member_day(b))],
        "dated": [a.event_date is not None, b.event_date is not None],
        "reasons": explain(a, b),
    }


def incident_links(
    incidents: Mapping[str, list[IncidentMember]],
    gold: Mapping[str, Hashable],
    texts: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Per predicted incident of several articles: its articles with their gold, whether the
    gold agrees, how many distinct texts they have, and every link between members of two
    different articles (:func:`~wirestream.core.incidents.compat.explain` says why)."""
    out: list[dict[str, Any]] = []
    for incident_id, group in incidents.items():
        articles = sorted({m.article_id for m in group})
        if len(articles) < 2:
            continue
        labels = {a: gold.get(a) for a in articles}
        links = [
            _link(a, b)
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if a.article_id != b.article_id and compatible(a, b)
        ]
        out.append(
            {
                "incident": incident_id,
                "articles": [{"id": a, "gold": labels[a]} for a in articles],
                "gold_agrees": len(set(labels.values())) == 1,
                "distinct_texts": len({texts.get(a, "") for a in articles}),
                "links": links,
            }
        )
    return out


def _pair_counts(
    predicted: Mapping[str, Hashable], scored: list[IncidentDoc], links: list[dict[str, Any]]
) -> dict[str, int]:
    """False article pairs (strict gold), those of one shared text, and the predicted incidents
    of several articles (all; those joining different texts; of these, those gold disagrees
    with)."""
    gold = gold_labels(scored, strict=True)
    texts = {d.id: d.text for d in scored}
    wrong = [(a, b) for a, b in _predicted_pairs(predicted) if gold[a] != gold[b]]
    mixed = [row for row in links if row["distinct_texts"] > 1]
    return {
        "false_pairs": len(wrong),
        "false_pairs_same_text": sum(texts[a] == texts[b] for a, b in wrong),
        "multi_article_incidents": len(links),
        "multi_text_incidents": len(mixed),
        "multi_text_incidents_gold_disagrees": sum(not row["gold_agrees"] for row in mixed),
    }


def run_incidents(extractor: Extractor, path: Path, options: Options) -> TaskResult:
    """Pairwise and B³ scores of the incident clustering on GVA, with two baselines."""
    result = TaskResult("incidents", datasets={"casualties_gva": str(path)})
    docs = select(read_incident_docs(path), result, options.limit)
    members: list[IncidentMember] = []
    cities: dict[str, Hashable] = {}
    started = time.perf_counter()
    for doc, output in extract(extractor, docs, result, options, "incidents"):
        members.extend(members_of_article(output.article, output.events))
        city = _main_city(output.events)
        cities[doc.id] = ("city", doc.published, city) if city else ("own", doc.id)
    extract_s = time.perf_counter() - started
    scored = [d for d in docs if d.id in cities]
    result.scored = len(scored)
    started = time.perf_counter()
    incidents = cluster(members)
    cluster_s = time.perf_counter() - started
    predicted = article_incidents(incidents, scored)
    systems: dict[str, Mapping[str, Hashable]] = {
        "wirestream": predicted,
        "every_article_own": {d.id: d.id for d in scored},
        "same_day_same_city": cities,
    }
    out = _scores(scored, systems)
    texts = {d.id: d.text for d in scored}
    links = incident_links(incidents, gold_labels(scored, strict=True), texts)
    result.lines["incidents-links.jsonl"] = links
    result.metrics = {
        **out,
        **_pair_counts(predicted, scored, links),
        "members": len(members),
        "incidents": len(incidents),
        "extract_seconds": round(extract_s, 2),
        "cluster_seconds": round(cluster_s, 4),
        "cluster_cost_fraction": round(cluster_s / extract_s, 5) if extract_s else None,
        "gold": "strict: (shooting_date, address), a record without address its own incident; "
        "strict_clean: the same over the records GVA flags likely_single_incident_clean (no "
        "round-ups sharing one text); naive: (shooting_date, address) even when the address is "
        "empty",
    }
    _table(result, out)
    result.notes.append(
        f"strict gold has {out['strict']['wirestream']['gold_pairs']} article pairs, "
        f"{out['strict_clean']['wirestream']['gold_pairs']} on the clean subset; of the "
        f"{result.metrics['false_pairs']} false pairs, {result.metrics['false_pairs_same_text']} "
        "are records sharing one text (a round-up GVA "
        f"links to several incidents); clustering took {cluster_s:.3f} s against "
        f"{extract_s:.1f} s of extraction"
    )
    return result
