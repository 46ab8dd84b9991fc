"""``wirestream chaos``: extractor (default) or incident workers under random faults, checked.

See :mod:`wirestream.chaos`. Exit status 0 when no run lost a message (and, with
``--exactly-once``, the default, none showed a duplicate to a read_committed consumer), or with
``--stage incidents`` when every run's incidents and its replay's checked clean; 1 otherwise, 2 for
a configuration or environment error.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wirestream.chaos import plan as defaults

DEFAULT_RUNS = 1
DEFAULT_WORK_DIR = "var/chaos/<timestamp>"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "chaos",
        help="run extractor (or incident) workers under random faults and check every output",
        description=(
            "Per run: a fresh topic prefix, N extractor workers, M articles published at --rate "
            "with one poison message of each kind mixed in (metadata nested 300 deep, 7,000,000 "
            "bytes of non-JSON, an article whose extraction raises through "
            "WIRESTREAM_EXTRACTOR_FAULT_MARKER, not-JSON, wrong shape), and --faults faults at "
            "random times (SIGKILL or SIGTERM of a worker, broker stop/start, a poison burst) "
            "chosen by --seed. Then every raw (partition, offset) is reconciled against the "
            "article records and dead letters a read_committed consumer sees, and lost "
            "messages, visible duplicates, dead letters by stage, time to recover per fault and "
            "health transitions are printed with the command that replays each run. Starts its "
            "own local broker (free ports, temporary data) unless --bootstrap-servers or "
            "KAFKA_BOOTSTRAP_SERVERS is given; broker faults need the own broker. "
            "--stage incidents: incident workers instead, on a synthetic member stream "
            "(--happenings, --reports, --retractions) published at --rate to the members topic, "
            "faults sigkill, sigterm, broker (one worker down at a time, always started again); "
            "checked: every standing member in exactly one active incident, the active incidents "
            "those of the pure clustering, no happening in two incidents, and a replay under a "
            "new group without faults gives the same ids and contents (docs/CHAOS.md)."
        ),
    )
    _add_run_options(parser.add_argument)
    _add_check_options(parser.add_argument)
    parser.set_defaults(run=run)


def _add_run_options(add: Callable[..., Any]) -> None:
    """What one run does: how many workers, articles, faults of which kinds."""
    add(
        "--runs", type=int, default=DEFAULT_RUNS, metavar="K", help=f"runs (default {DEFAULT_RUNS})"
    )
    add("--seed", type=int, default=None, help="seed of the first run (default: random, printed)")
    add(
        "--stage",
        choices=defaults.STAGES,
        default="extractor",
        help="whose workers run under the faults (default extractor)",
    )
    add(
        "--workers",
        type=int,
        default=defaults.DEFAULT_WORKERS,
        metavar="N",
        help=f"workers (default {defaults.DEFAULT_WORKERS})",
    )
    add(
        "--articles",
        type=int,
        default=defaults.DEFAULT_ARTICLES,
        metavar="M",
        help=f"articles per run (default {defaults.DEFAULT_ARTICLES})",
    )
    add(
        "--happenings",
        type=int,
        default=defaults.DEFAULT_HAPPENINGS,
        help=f"--stage incidents: happenings in the member stream, 1 to 100 (default {defaults.DEFAULT_HAPPENINGS})",
    )
    add(
        "--reports",
        type=int,
        default=defaults.DEFAULT_REPORTS,
        help=f"--stage incidents: reports (members) per happening (default {defaults.DEFAULT_REPORTS})",
    )
    add(
        "--retractions",
        type=int,
        default=defaults.DEFAULT_RETRACTIONS,
        help=f"--stage incidents: articles retracted, at random places in the stream (default {defaults.DEFAULT_RETRACTIONS})",
    )
    add(
        "--rate",
        type=float,
        default=defaults.DEFAULT_RATE,
        help=f"messages published per second (default {defaults.DEFAULT_RATE:g})",
    )
    add(
        "--faults",
        type=int,
        default=defaults.DEFAULT_FAULTS,
        help=f"faults per run (default {defaults.DEFAULT_FAULTS})",
    )
    add(
        "--fault-kinds",
        default=None,
        metavar="LIST",
        help=f"comma-separated kinds to choose from, or 'none' (default {','.join(defaults.FAULT_KINDS)}; "
        f"with --stage incidents {','.join(defaults.INCIDENT_FAULT_KINDS)}; "
        "'broker' is dropped with an external broker)",
    )
    add(
        "--restart-probability",
        type=float,
        default=defaults.DEFAULT_RESTART_PROBABILITY,
        metavar="P",
        help=f"chance a SIGKILLed worker is started again; otherwise the survivors take over (default {defaults.DEFAULT_RESTART_PROBABILITY:g})",
    )
    add(
        "--burst",
        type=int,
        default=defaults.DEFAULT_BURST,
        help=f"poison messages per poison burst (default {defaults.DEFAULT_BURST})",
    )


def _add_check_options(add: Callable[..., Any]) -> None:
    """How a run is checked and reported, its data and its broker."""
    add(
        "--timeout",
        type=float,
        default=defaults.DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds after publishing to wait for every message to be accounted for (default {defaults.DEFAULT_TIMEOUT:g})",
    )
    add(
        "--settle",
        type=float,
        default=defaults.DEFAULT_SETTLE,
        metavar="S",
        help=f"seconds to keep reading after that, for late duplicates (default {defaults.DEFAULT_SETTLE:g})",
    )
    add(
        "--exactly-once",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fail on any visible duplicate (default); --no-exactly-once fails only on differing ones",
    )
    add(
        "--poison",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="mix one poison message of each kind into every run (default); --no-poison for "
        "faults alone (then leave 'poison' out of --fault-kinds too)",
    )
    add(
        "--data",
        metavar="DIR",
        help="folder with load/*.jsonl (default $WIRESTREAM_EVAL_DATA, else ../shared/data; generated articles when that is absent)",
    )
    add("--generated", action="store_true", help="use generated articles instead of load articles")
    add(
        "--worker-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the workers (repeatable)",
    )
    add(
        "--bootstrap-servers",
        metavar="HOST:PORT",
        help="use this broker (default $KAFKA_BOOTSTRAP_SERVERS, else start a local one)",
    )
    add("--work-dir", metavar="DIR", help=f"worker logs per run (default {DEFAULT_WORK_DIR})")
    add("--json", metavar="PATH", help="also write the report as JSON")


def config_from(args: argparse.Namespace, external: bool) -> defaults.ChaosConfig:
    default_kinds = (
        defaults.INCIDENT_FAULT_KINDS if args.stage == "incidents" else defaults.FAULT_KINDS
    )
    given = args.fault_kinds if args.fault_kinds is not None else ",".join(default_kinds)
    kinds = tuple(k.strip() for k in given.split(",") if k.strip() and k.strip() != "none")
    if external:
        kinds = tuple(k for k in kinds if k != "broker")
    config = defaults.ChaosConfig(
        workers=args.workers,
        articles=args.articles,
        rate=args.rate,
        faults=args.faults,
        fault_kinds=kinds,
        restart_probability=args.restart_probability,
        burst=args.burst,
        timeout=args.timeout,
        settle=args.settle,
        exactly_once=args.exactly_once,
        poison=args.poison,
        generated=args.generated,
        data=args.data,
        worker_env=tuple(args.worker_env),
        stage=args.stage,
        happenings=args.happenings,
        reports=args.reports,
        retractions=args.retractions,
    )
    config.check()
    return config


def run(args: argparse.Namespace) -> int:
    from wirestream import logs
    from wirestream.chaos import report
    from wirestream.chaos.runner import run_chaos
    from wirestream.errors import ConfigurationError

    logs.configure("WARNING")
    # The harness's own clients retry through broker faults; their per-retry errors are noise.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    if args.runs < 1:
        raise ConfigurationError("--runs must be at least 1")
    bootstrap = args.bootstrap_servers or os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or None
    config = config_from(args, external=bootstrap is not None)
    seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)
    work_dir = Path(args.work_dir or f"var/chaos/{time.strftime('%Y%m%d-%H%M%S')}")
    work_dir.mkdir(parents=True, exist_ok=True)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    say(f"wirestream chaos: seed {seed}, {args.runs} run(s); worker logs in {work_dir}")
    if config.stage == "incidents":
        return _run_incidents(args, config, seed, work_dir, bootstrap, say)
    results = run_chaos(config, seed, args.runs, work_dir, bootstrap, say)
    print(report.render(results, config.exactly_once))
    print(f"\nworker logs: {work_dir}")
    if args.json:
        payload = report.to_json(results, exactly_once=config.exactly_once, command=_command())
        _write_json(args.json, payload, seed)
    return 1 if any(r.failed(config.exactly_once) for r in results) else 0


def _run_incidents(
    args: argparse.Namespace,
    config: defaults.ChaosConfig,
    seed: int,
    work_dir: Path,
    bootstrap: str | None,
    say: Callable[[str], None],
) -> int:
    from wirestream.chaos import incidentreport
    from wirestream.chaos.incidentrun import run_incident_chaos

    results = run_incident_chaos(config, seed, args.runs, work_dir, bootstrap, say)
    print(incidentreport.render(results))
    print(f"\nworker logs: {work_dir}")
    if args.json:
        _write_json(args.json, incidentreport.to_json(results, command=_command()), seed)
    return 1 if any(r.failed() for r in results) else 0


def _command() -> str:
    if sys.argv[1:2] == ["chaos"]:
        return shlex.join(["wirestream", *sys.argv[1:]])
    return "wirestream chaos"


def _write_json(path: str, payload: dict[str, Any], seed: int) -> None:
    from wirestream.core import jsonio

    payload["seed"] = seed
    Path(path).write_bytes(jsonio.dumps_pretty(payload) + b"\n")
    print(f"report: {path}")
