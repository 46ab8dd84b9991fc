"""``wirestream bench``: throughput and peak memory of extraction against bare spaCy; ``--web``
the live view's CPU; ``--incidents`` the incident stage's CPU against the extractor's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DEFAULT_OUT = "var/bench"
DEFAULT_LIMIT = 300
DEFAULT_ROUNDS = 4


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "bench",
        help="articles/s, words/s and peak memory of extraction vs bare spaCy (and via Kafka)",
        description=(
            "Offline: time Extractor.extract_many against bare spaCy nlp.pipe (same model, same "
            "batch size 8, same articles from DIR/load/*.jsonl), each in its own child process, "
            "in rounds whose chunks of 24 articles alternate between the two (A B, B A, ...), and "
            "report articles/s, words/s, CPU ms per article, the ratio (by wall clock and by CPU "
            "time) and each variant's peak RSS. --kafka adds the end-to-end run through the local broker. "
            "Prints a Markdown table; writes bench.json and PNG charts to --out."
        ),
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="data folder holding load/*.jsonl (default: $WIRESTREAM_EVAL_DATA, else "
        "../shared/data beside the repository)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"articles per round (default {DEFAULT_LIMIT})",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=DEFAULT_ROUNDS,
        metavar="R",
        help=f"timed rounds per variant (default {DEFAULT_ROUNDS})",
    )
    parser.add_argument(
        "--kafka", action="store_true", help="also run end to end through the local Kafka broker"
    )
    parser.add_argument(
        "--out", metavar="DIR", default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    web = parser.add_argument_group(
        "live view",
        "--web measures only the live view (wirestream worker web): its CPU, idle and at --rate "
        "records/s of real extractor records with --pages streams open, on the local broker "
        "(or WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS); no data folder needed. Writes web.json to --out.",
    )
    web.add_argument("--web", action="store_true", help="benchmark the live view's CPU instead")
    web.add_argument(
        "--rate", type=float, default=20.0, help="records per second for --web (default 20)"
    )
    web.add_argument(
        "--seconds", type=float, default=60.0, help="measured seconds per window (default 60)"
    )
    web.add_argument("--pages", type=int, default=1, help="open streams for --web (default 1)")
    parser.add_argument_group(
        "incident stage",
        "--incidents measures only the incident stage's CPU per article against the extractor's "
        "(issue 16's target: at most 5 %): one extractor worker and one incident worker over the "
        "same --limit articles from DIR/load/*.jsonl, on the local broker (or "
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS); user+system CPU of each process from ready to its "
        "idle (its group committed all its input) and the incident worker's peak RSS. Writes "
        "incidents.json to --out.",
    ).add_argument(
        "--incidents",
        action="store_true",
        help="benchmark the incident stage's CPU against the extractor's instead",
    )
    parser.set_defaults(run=run)


def _broker() -> Any:
    """KafkaSettings of ``$WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS`` (or ``$KAFKA_BOOTSTRAP_SERVERS``)
    when set, else of the local broker (``wirestream kafka start``), started when it is not up."""
    import os

    from wirestream.streaming.settings import KafkaSettings

    overrides: dict[str, Any] = {}
    if not (
        os.environ.get("WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS")
        or os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    ):
        from wirestream.localkafka import LocalBroker, LocalKafkaSettings

        status = LocalBroker(LocalKafkaSettings.from_env()).start()
        overrides = {
            "bootstrap_servers": status.bootstrap_servers,
            "security_protocol": "PLAINTEXT",
        }
    return KafkaSettings.from_env(**overrides)


def run_incidents(args: argparse.Namespace) -> int:
    """``--incidents``: the incident stage's CPU per article; prints it and writes
    incidents.json."""
    from wirestream.errors import ConfigurationError
    from wirestream.evaluation import bench, data, incidentbench, report

    if args.limit < 1:
        raise ConfigurationError("--limit must be at least 1")
    root = data.resolve_data_dir(args.data)
    articles, files = bench.load_articles(root, args.limit)
    print(
        f"{len(articles)} articles from {', '.join(f.name for f in files)}; one extractor worker "
        "and one incident worker",
        file=sys.stderr,
    )
    result = incidentbench.run(articles, _broker())
    out = Path(args.out)
    given = f" --data {args.data}" if args.data else ""
    payload = {
        "command": f"wirestream bench --incidents{given} --limit {args.limit} --out {args.out}",
        "created_at": report.now(),
        "machine": report.machine(),
        "data": {str(p): {"sha256": data.sha256(p)} for p in files},
        **result,
    }
    report.write_json(out / "incidents.json", payload)
    print(incidentbench.summary(result))
    print(f"\nWrote {out / 'incidents.json'}.")
    return 0


def run_web(args: argparse.Namespace) -> int:
    """``--web``: the live view's CPU; prints one line per window and writes web.json."""
    from wirestream.errors import ConfigurationError
    from wirestream.evaluation import report, webbench

    if args.rate <= 0 or args.seconds <= 0 or args.pages < 1:
        raise ConfigurationError("--rate and --seconds must be positive, --pages at least 1")
    kafka = _broker()
    out = Path(args.out)
    result = webbench.run(kafka, out, rate=args.rate, seconds=args.seconds, pages=args.pages)
    command = (
        f"wirestream bench --web --rate {args.rate:g} --seconds {args.seconds:g} "
        f"--pages {args.pages} --out {args.out}"
    )
    result.update(command=command, created_at=report.now(), machine=report.machine())
    report.write_json(out / "web.json", result)
    print(
        f"live view idle: {result['idle_cpu_percent']:.2f} % of one core; at {args.rate:g} "
        f"records/s with {args.pages} page(s): {result['cpu_percent']:.2f} % of one core "
        f"({result['records_sent']} records sent, {result['items_received_by_pages']} feed "
        f"items received by the pages in {args.seconds:g} s; peak RSS "
        f"{result['peak_rss_mib']} MiB)"
    )
    return 0


def run(args: argparse.Namespace) -> int:
    if args.web:
        return run_web(args)
    if args.incidents:
        return run_incidents(args)
    from wirestream.commands.eval import command_line
    from wirestream.core.extraction.pipeline import DEFAULT_BATCH_SIZE, DEFAULT_MODEL
    from wirestream.errors import ConfigurationError
    from wirestream.evaluation import bench, data, report

    if args.limit < 1 or args.rounds < 1:
        raise ConfigurationError("--limit and --rounds must be at least 1")
    root = data.resolve_data_dir(args.data)
    articles, files = bench.load_articles(root, args.limit)
    n_words = bench.words(articles)
    print(
        f"{len(articles)} articles ({n_words} words) from {', '.join(f.name for f in files)}; "
        f"{args.rounds} rounds per variant, batch size {DEFAULT_BATCH_SIZE}",
        file=sys.stderr,
    )

    offline = _run_offline(articles, n_words, args.rounds)
    spacy_rate = offline["spacy"]["articles_per_second"]
    ratio = offline["extractor"]["articles_per_second"] / spacy_rate if spacy_rate else 0.0
    extractor_cpu = offline["extractor"]["cpu_ms_per_article"]
    cpu_ratio = offline["spacy"]["cpu_ms_per_article"] / extractor_cpu if extractor_cpu else 0.0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    charts = [_offline_chart(out, offline, len(articles), args.rounds)]

    kafka: dict[str, Any] | None = None
    if args.kafka:
        import wirestream.evaluation.kafkabench as kafkabench

        kafka = kafkabench.run(articles, out, spacy_rate=spacy_rate)
        charts.extend(kafka.get("charts", []))

    payload: dict[str, Any] = {
        "command": command_line(args),
        "created_at": report.now(),
        "machine": report.machine(),
        "versions": report.versions(DEFAULT_MODEL, _model_version(DEFAULT_MODEL)),
        "data": {str(p): {"sha256": data.sha256(p)} for p in files},
        "articles": len(articles),
        "words": n_words,
        "batch_size": DEFAULT_BATCH_SIZE,
        "rounds": args.rounds,
        "memory_method": "each variant in its own spawned child process; peak = that "
        "child's VmHWM (RSS high-water mark) after its last round",
        "offline": {
            **offline,
            "ratio_extractor_to_spacy": round(ratio, 3),
            "cpu_ratio_extractor_to_spacy": round(cpu_ratio, 3),
        },
        "kafka": kafka,
        "charts": charts,
    }
    report.write_json(out / "bench.json", payload)

    _print_summary(offline, (ratio, cpu_ratio), kafka, len(articles), n_words, args.rounds)
    print(f"\nWrote {out / 'bench.json'} and {len(charts)} chart(s) in {out}/.")
    return 0


def _run_offline(articles: list[Any], n_words: int, rounds: int) -> dict[str, Any]:
    """Every variant ``rounds`` times over ``articles`` (progress on standard error)."""
    from wirestream.core.extraction.pipeline import DEFAULT_BATCH_SIZE
    from wirestream.evaluation import bench

    def progress(round_no: int, variant: str, seconds: float) -> None:
        rate = len(articles) / seconds if seconds else 0.0
        print(f"round {round_no + 1} {variant}: {seconds:.1f} s, {rate:.1f} articles/s", file=sys.stderr)  # fmt: skip

    results = bench.run_offline(
        articles, rounds=rounds, batch_size=DEFAULT_BATCH_SIZE, on_round=progress
    )
    return {v: r.as_dict(len(articles), n_words) for v, r in results.items()}


def _offline_chart(out: Path, offline: dict[str, Any], n_articles: int, rounds: int) -> str:
    """Draw the offline throughput and memory chart in ``out``; its file name."""
    from wirestream.core.extraction.pipeline import DEFAULT_BATCH_SIZE
    from wirestream.evaluation import bench, report

    report.panels(
        out / "bench-throughput.png",
        f"Offline: {n_articles} articles x {rounds} rounds, batch size {DEFAULT_BATCH_SIZE}",
        {
            "articles/s": {
                bench.LABELS[v]: offline[v]["articles_per_second"] for v in bench.VARIANTS
            },
            "words/s": {bench.LABELS[v]: offline[v]["words_per_second"] for v in bench.VARIANTS},
            "peak RSS (MiB)": {bench.LABELS[v]: offline[v]["peak_rss_mib"] for v in bench.VARIANTS},
        },
    )
    return "bench-throughput.png"


def _print_summary(
    offline: dict[str, Any],
    ratios: tuple[float, float],
    kafka: dict[str, Any] | None,
    n_articles: int,
    n_words: int,
    rounds: int,
) -> None:
    """The offline table, the ratio and the Kafka table on standard output."""
    from wirestream.evaluation import bench, report

    header = [
        "offline",
        "articles/s",
        "words/s",
        "CPU ms/article",
        "peak RSS (MiB)",
        "RSS after load (MiB)",
    ]
    rows = [
        [
            offline[v]["label"],
            f"{offline[v]['articles_per_second']:.1f}",
            f"{offline[v]['words_per_second']:.0f}",
            f"{offline[v]['cpu_ms_per_article']:.1f}",
            f"{offline[v]['peak_rss_mib']:.0f}",
            f"{offline[v]['rss_after_load_mib']:.0f}",
        ]
        for v in bench.VARIANTS
    ]
    print(report.markdown_table(header, rows))
    print(
        f"\nratio extract/spaCy: {ratios[0]:.2f} ({n_articles} articles, {n_words} words, "
        f"{rounds} rounds each, in chunks alternating between the two)"
    )
    print(f"ratio by CPU time (spaCy ms ÷ extractor ms per article): {ratios[1]:.2f}")
    if kafka is not None:
        print()
        print(report.markdown_table(kafka["header"], kafka["rows"]))


def _model_version(name: str) -> str | None:
    from importlib import metadata

    for dist in (name, name.replace("_", "-")):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None
