"""Offline benchmark: ``Extractor.extract_many`` against bare spaCy ``nlp.pipe``, same texts.

Both variants load the same model and use the same batch size (8). Each runs in its own child
process (``multiprocessing`` spawn), loaded once. A round is every article once per variant, run
in chunks of :data:`CHUNK_ARTICLES` (three batches, about a second) that alternate between the
variants (A B, B A, A B, ...): the speed of a shared VM drifts by a third within a minute, and
alternating only whole rounds let one slow stretch fall on one variant. Each chunk is timed by
the wall clock and by the child's CPU time (``time.process_time``: time taken by other jobs on
the cores is not in it).
Peak memory is each child's own RSS high-water mark (``VmHWM`` in /proc/self/status, else
``getrusage(RUSAGE_SELF).ru_maxrss``), read after its last round; the RSS right after loading the
model and warming up is reported beside it.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal

from wirestream.core.contracts import Article
from wirestream.errors import InputError
from wirestream.evaluation.data import DataNotFoundError
from wirestream.inputs import read_path

Variant = Literal["extractor", "spacy"]
VARIANTS: tuple[Variant, ...] = ("extractor", "spacy")
LABELS = {"extractor": "Extractor.extract_many", "spacy": "spaCy nlp.pipe"}
WARMUP_ARTICLES = 16
CHUNK_ARTICLES = 24


def load_articles(root: Path, limit: int | None) -> tuple[list[Article], list[Path]]:
    """Articles from ``root/load/*.jsonl`` (or ``root/*.jsonl`` when ``root`` is the load folder),
    taken alternately from each file (so a limit mixes BBC and Reuters), up to ``limit``."""
    folder = root / "load" if (root / "load").is_dir() else root
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise DataNotFoundError(
            f"no load-test articles: expected JSON-lines files of articles in {root / 'load'} "
            "(bbc.jsonl, reuters.jsonl in ../shared/data/load); pass --data DIR"
        )
    per_file: list[list[Article]] = []
    for path in files:
        articles = []
        for result in read_path(str(path)):
            if result.article is not None:
                articles.append(result.article)
            if limit is not None and len(articles) >= limit:
                break
        per_file.append(articles)
    mixed: list[Article] = []
    for i in range(max((len(a) for a in per_file), default=0)):
        for articles in per_file:
            if i < len(articles):
                mixed.append(articles[i])
    if not mixed:
        raise InputError(f"no valid article in {', '.join(str(f) for f in files)}")
    return mixed[:limit] if limit is not None else mixed, files


def words(articles: Sequence[Article]) -> int:
    """Whitespace-separated words in the bodies (what both variants analyse)."""
    return sum(len(a.body.split()) for a in articles)


def _status_kib(field: str) -> int | None:
    """A KiB field of /proc/self/status (Linux): VmRSS (now) or VmHWM (peak); None when unknown."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_kib() -> int:
    """This process's RSS high-water mark: VmHWM, else ``getrusage(RUSAGE_SELF).ru_maxrss``."""
    peak = _status_kib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _runner(variant: Variant, batch_size: int) -> Callable[[Sequence[Article]], int]:
    from wirestream.core.extraction import Extractor

    extractor = Extractor.load(batch_size=batch_size)
    if variant == "extractor":

        def run(articles: Sequence[Article]) -> int:
            return sum(1 for _ in extractor.extract_many(articles))

    else:
        nlp = extractor.nlp

        def run(articles: Sequence[Article]) -> int:
            return sum(1 for _ in nlp.pipe((a.body for a in articles), batch_size=batch_size))

    return run


def _child(variant: Variant, batch_size: int, articles: list[Article], conn: Connection) -> None:
    """Child process: load, warm up, then time ``articles[first:end]`` for each
    ``("run", first, end)`` message until 'stop'."""
    run = _runner(variant, batch_size)
    run(articles[:WARMUP_ARTICLES])
    conn.send(("loaded", _status_kib("VmRSS") or 0))
    while (message := conn.recv()) != "stop":
        _, first, end = message
        wall, cpu = time.perf_counter(), time.process_time()
        done = run(articles[first:end])
        conn.send(("chunk", time.perf_counter() - wall, time.process_time() - cpu, done))
    conn.send(("peak", peak_rss_kib()))
    conn.close()


@dataclass
class VariantResult:
    variant: Variant
    seconds: list[float] = field(default_factory=list)
    """Wall-clock seconds per round."""
    cpu_seconds: list[float] = field(default_factory=list)
    """CPU seconds per round (the child's ``process_time``)."""
    rss_after_load_mib: float = 0.0
    peak_rss_mib: float = 0.0

    def articles_per_second(self, n: int) -> float:
        total = sum(self.seconds)
        return n * len(self.seconds) / total if total else 0.0

    def as_dict(self, n_articles: int, n_words: int) -> dict[str, Any]:
        total = sum(self.seconds)
        return {
            "label": LABELS[self.variant],
            "round_seconds": [round(s, 3) for s in self.seconds],
            "articles_per_second": round(self.articles_per_second(n_articles), 2),
            "words_per_second": round(n_words * len(self.seconds) / total, 1) if total else 0.0,
            "round_articles_per_second": [round(n_articles / s, 2) for s in self.seconds],
            "round_cpu_seconds": [round(s, 3) for s in self.cpu_seconds],
            "cpu_ms_per_article": (
                round(sum(self.cpu_seconds) * 1000 / (n_articles * len(self.cpu_seconds)), 2)
                if self.cpu_seconds
                else 0.0
            ),
            "rss_after_load_mib": round(self.rss_after_load_mib, 1),
            "peak_rss_mib": round(self.peak_rss_mib, 1),
        }


def run_offline(
    articles: list[Article],
    *,
    rounds: int = 3,
    batch_size: int = 8,
    on_round: Callable[[int, Variant, float], None] | None = None,
) -> dict[Variant, VariantResult]:
    """Time both variants over ``articles``, ``rounds`` rounds each, every round in chunks of
    :data:`CHUNK_ARTICLES` that alternate between the variants."""
    pipes: dict[Variant, Connection] = {}
    processes = []
    results = {v: VariantResult(v) for v in VARIANTS}
    try:
        for variant in VARIANTS:
            process, pipes[variant] = _spawn(variant, batch_size, articles)
            processes.append(process)
        for variant, conn in pipes.items():
            _, rss = _receive(conn, variant)
            results[variant].rss_after_load_mib = rss / 1024
        for round_no in range(rounds):
            totals = _round(pipes, articles, flip=round_no % 2 == 1)
            for variant in VARIANTS:
                wall, cpu = totals[variant]
                results[variant].seconds.append(wall)
                results[variant].cpu_seconds.append(cpu)
                if on_round is not None:
                    on_round(round_no, variant, wall)
        for variant, conn in pipes.items():
            conn.send("stop")
            _, peak = _receive(conn, variant)
            results[variant].peak_rss_mib = peak / 1024
    finally:
        _reap(processes)
    return results


def _round(
    pipes: dict[Variant, Connection], articles: list[Article], *, flip: bool
) -> dict[Variant, tuple[float, float]]:
    """One round: every chunk of articles through both variants, the order alternating chunk by
    chunk; the wall and CPU seconds each variant took in all."""
    totals = {v: (0.0, 0.0) for v in VARIANTS}
    for chunk_no, first in enumerate(range(0, len(articles), CHUNK_ARTICLES)):
        end = min(first + CHUNK_ARTICLES, len(articles))
        order = VARIANTS if (chunk_no % 2 == 1) == flip else VARIANTS[::-1]
        for variant in order:
            pipes[variant].send(("run", first, end))
            _, wall, cpu, done = _receive(pipes[variant], variant)
            if done != end - first:
                raise InputError(f"{variant}: processed {done} of {end - first} articles")
            totals[variant] = (totals[variant][0] + wall, totals[variant][1] + cpu)
    return totals


def run_concurrent_spacy(
    articles: list[Article], *, processes: int = 2, batch_size: int = 8
) -> dict[str, Any]:
    """Bare spaCy ``nlp.pipe`` in ``processes`` child processes at the same time, each over all
    ``articles``: the most that many CPU-bound workers can reach together on this machine (the
    scale-out ceiling the Kafka benchmark's worker counts are read against). Returns the total
    and per-process articles/s."""
    children = [_spawn("spacy", batch_size, articles) for _ in range(processes)]
    try:
        for _, conn in children:
            _receive(conn, "spacy")
        for _, conn in children:
            conn.send(("run", 0, len(articles)))
        rates = []
        for _, conn in children:
            _, seconds, _, _ = _receive(conn, "spacy")
            rates.append(len(articles) / seconds)
        for _, conn in children:
            conn.send("stop")
            _receive(conn, "spacy")
    finally:
        _reap([process for process, _ in children])
    return {
        "processes": processes,
        "articles_per_second_total": round(sum(rates), 2),
        "articles_per_second_per_process": [round(r, 2) for r in rates],
    }


def _spawn(
    variant: Variant, batch_size: int, articles: list[Article]
) -> tuple[multiprocessing.process.BaseProcess, Connection]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=_child, args=(variant, batch_size, articles, child), daemon=True
    )
    process.start()
    child.close()
    return process, parent


def _reap(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    """Wait for benchmark children to exit (30 s each), then terminate any that hang."""
    for process in processes:
        process.join(timeout=30)
        if process.is_alive():
            process.terminate()


def _receive(conn: Connection, variant: str) -> tuple[Any, ...]:
    try:
        message: tuple[Any, ...] = conn.recv()
    except EOFError as exc:
        raise InputError(
            f"the {variant} benchmark process died (out of memory?): run with a smaller --limit"
        ) from exc
    return message


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), linear interpolation between closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
