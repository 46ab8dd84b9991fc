"""Report writers: Markdown tables, the JSON file, PNG charts (matplotlib, Agg backend)."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from wirestream import __version__
from wirestream.core import jsonio


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub Markdown table; ``|`` in cells is escaped."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    out = [line(header), "|" + "|".join("---" for _ in header) + "|"]
    out.extend(line(row) for row in rows)
    return "\n".join(out)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """The machine the numbers come from."""
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": cpu_model(),
        "cpus_usable": len(affinity) if affinity is not None else os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions(model_name: str, model_version: str | None) -> dict[str, Any]:
    """Versions of everything that shapes the numbers."""
    from wirestream.core.extraction.pipeline import EXTRACTOR_VERSION

    return {
        "wirestream": __version__,
        "extractor": EXTRACTOR_VERSION,
        "spacy": _version("spacy"),
        "model": {"name": model_name, "version": model_version},
        "textacy": _version("textacy"),
        "matplotlib": _version("matplotlib"),
    }


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jsonio.dumps_pretty(payload) + b"\n")


def write_jsonl(path: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    """``rows`` as JSON lines in ``path``; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(jsonio.dumps(row) + b"\n" for row in rows))
    return path


def bar_chart(
    path: Path,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    ylabel: str,
    *,
    ylim: tuple[float, float] | None = (0.0, 1.0),
    value_format: str = "{:.2f}",
) -> None:
    """Grouped bars, one group per category, one colour per series, values written on the bars
    (NaN = not applicable: no bar, labelled 'n/a')."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    n = max(len(series), 1)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(categories) * n / 2 + 3), 4.2))
    for i, (name, values) in enumerate(series.items()):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(categories))]
        heights = [0.0 if math.isnan(v) else v for v in values]
        labels = ["n/a" if math.isnan(v) else value_format.format(v) for v in values]
        bars = ax.bar(xs, heights, width, label=name)
        ax.bar_label(bars, labels=labels, fontsize=7, padding=2)
    ax.set_xticks(
        range(len(categories)), list(categories), rotation=20 if len(categories) > 5 else 0
    )
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def histogram(
    path: Path, title: str, samples: Mapping[str, Sequence[float]], xlabel: str, bins: int = 40
) -> None:
    """Overlaid histograms (step outlines) with p50/p90/p99 marked, one per series."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    from wirestream.evaluation.bench import percentile

    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (name, values) in enumerate(samples.items()):
        if not values:
            continue
        colour = colours[index % len(colours)]
        ax.hist(list(values), bins=bins, histtype="step", linewidth=1.5, label=name, color=colour)
        for q, style in ((50, "--"), (90, "-."), (99, ":")):
            ax.axvline(percentile(values, q), color=colour, linestyle=style, linewidth=1)
    ax.plot([], [], "k--", linewidth=1, label="p50")
    ax.plot([], [], "k-.", linewidth=1, label="p90")
    ax.plot([], [], "k:", linewidth=1, label="p99")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("articles")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def panels(
    path: Path, title: str, metrics: Mapping[str, Mapping[str, float]], value_format: str = "{:.1f}"
) -> None:
    """One small bar panel per metric (each with its own scale), the same series in each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.6 * len(metrics), 3.8), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (metric, values) in zip(axes[0], metrics.items(), strict=True):
        names = list(values)
        bars = ax.bar(range(len(names)), list(values.values()), color=colours[: len(names)])
        ax.bar_label(bars, labels=[value_format.format(v) for v in values.values()], fontsize=8)
        ax.set_xticks(range(len(names)), names, fontsize=8, rotation=10)
        ax.set_title(metric, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        ax.margins(y=0.15)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
