"""``wirestream eval``: score the extraction pipeline on labelled data, next to baselines."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wirestream.evaluation.data import Task

DEFAULT_OUT = "var/eval"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "eval",
        help="score extraction on labelled data (entities, quotes, casualties, events, incidents)",
        description=(
            "Run the extraction pipeline on labelled data sets and score it, next to baselines on "
            "the same texts (raw spaCy NER for entities, textacy's direct quotations for quotes, "
            "'always 0' for casualties, every article its own and same-day same-city for incidents). Prints a Markdown table; writes eval.json (every number, "
            "versions, data sha256), PNG charts and, for incidents, incidents-links.jsonl (why "
            "reports were joined) to --out. --data is a folder holding one folder "
            "per data set (conll2003/dev.jsonl, quotes_ggt/articles.jsonl, "
            "casualties_gva/articles.jsonl, events_wikievents/dev.jsonl, events_m2e2/docs.jsonl); "
            "with --only it may be the data set's folder itself. See docs/EVALUATION.md."
        ),
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="data folder (default: $WIRESTREAM_EVAL_DATA, else ../shared/data beside the repo)",
    )
    parser.add_argument(
        "--only",
        choices=["entities", "quotes", "casualties", "events", "incidents"],
        help="one task only",
    )
    parser.add_argument(
        "--out", metavar="DIR", default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--limit", type=int, metavar="N", help="score at most N documents per data set"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bars even on a terminal"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wirestream.core.extraction import Extractor
    from wirestream.core.extraction.pipeline import DEFAULT_MODEL
    from wirestream.evaluation import data, report, tasks

    root = data.resolve_data_dir(args.data)
    found = _find_data(root, args.only)

    options = tasks.Options(limit=args.limit, progress=sys.stderr.isatty() and not args.no_progress)
    extractor = Extractor.load()
    results: list[tasks.TaskResult] = []
    for task, files in found.items():
        started = time.perf_counter()
        if task == "entities":
            results.append(tasks.run_entities(extractor, files["conll2003"], options))
        elif task == "quotes":
            results.append(tasks.run_quotes(extractor, files["quotes_ggt"], options))
        elif task == "casualties":
            results.append(tasks.run_casualties(extractor, files["casualties_gva"], options))
        elif task == "incidents":
            from wirestream.evaluation.incidents import run_incidents

            results.append(run_incidents(extractor, files["casualties_gva"], options))
        else:
            results.append(tasks.run_events(extractor, files, options))
        results[-1].metrics["seconds"] = round(time.perf_counter() - started, 1)
        _print_result(results[-1])

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    charts = _draw_charts(out, results)

    files_used = sorted({Path(p) for r in results for p in r.datasets.values()})
    payload: dict[str, Any] = {
        "command": command_line(args),
        "created_at": report.now(),
        "machine": report.machine(),
        "versions": report.versions(DEFAULT_MODEL, extractor.nlp.meta.get("version")),
        "data": {str(p): {"sha256": data.sha256(p)} for p in files_used},
        "limit": args.limit,
        "tasks": {r.task: r.as_dict() for r in results},
        "charts": charts,
    }
    report.write_json(out / "eval.json", payload)
    written = [report.write_jsonl(out / n, rows) for r in results for n, rows in r.lines.items()]

    also = "".join(f", {p.name}" for p in written)
    print(f"\nWrote {out / 'eval.json'}{also} and {len(charts)} chart(s) in {out}/.")
    return 0


def _find_data(root: Path, only: Task | None) -> dict[Task, dict[str, Path]]:
    """The labelled files of each task wanted (every task, or ``only``) found under ``root``;
    those not found are named on standard error (none found: DataNotFoundError)."""
    from wirestream.evaluation import data
    from wirestream.evaluation.data import DataNotFoundError

    wanted: tuple[data.Task, ...] = (only,) if only else data.TASKS
    found: dict[data.Task, dict[str, Path]] = {}
    missing: list[str] = []
    for task in wanted:
        files = data.find_files(root, task, direct=only is not None)
        if files:
            found[task] = files
        else:
            missing.append(f"{task} (expected {data.expected_files(task)})")
    if not found:
        raise DataNotFoundError(
            f"no labelled data under {root}: looked for {'; '.join(missing)}; "
            "pass --data DIR pointing at a folder with that layout"
        )
    for line in missing:
        print(f"skipping {line}: not found under {root}", file=sys.stderr)
    return found


def _draw_charts(out: Path, results: list[Any]) -> list[str]:
    """Every result's charts as PNG files in ``out``; their names."""
    from wirestream.evaluation import report

    charts: list[str] = []
    for result in results:
        for i, chart in enumerate(result.charts):
            name = f"eval-{result.task}{'' if i == 0 else f'-{i}'}.png"
            report.bar_chart(out / name, chart.title, chart.categories, chart.series, chart.ylabel)
            charts.append(name)
    return charts


def _print_result(result: Any) -> None:
    from wirestream.evaluation import report

    print(f"\n## {result.task}\n")
    print(report.markdown_table(result.header, result.rows))
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(result.skipped.items())) or "none"
    print(
        f"\n{result.scored} of {result.documents} documents scored; skipped {skipped}; "
        f"failed {len(result.failed)}."
    )
    for note in result.notes:
        print(f"Note: {note}.")
    for failure in result.failed[:5]:
        print(f"failed: {failure}", file=sys.stderr)
    sys.stdout.flush()


def command_line(args: argparse.Namespace) -> str:
    """The command as typed, rebuilt from the parsed options (for the JSON report)."""
    parts = [f"wirestream {args.command}"]
    for name in ("data", "only", "limit", "rounds", "out"):
        value = getattr(args, name, None)
        if value is not None:
            parts.append(f"--{name} {value}")
    for flag in ("kafka", "no_progress"):
        if getattr(args, flag, False):
            parts.append("--" + flag.replace("_", "-"))
    return " ".join(parts)
