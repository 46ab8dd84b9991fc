"""``wirestream kafka start|stop|status``: the local single-node Apache Kafka broker.

The broker runs with ``java`` from jars that Maven resolves once (``deploy/kafka/pom.xml``); see
:mod:`wirestream.localkafka` and docs/KAFKA.md. Options override the ``WIRESTREAM_LOCALKAFKA_*``
environment variables, which override the defaults (127.0.0.1:9092, controller port 9093, data in
``var/kafka``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wirestream import logs


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "kafka",
        help="start, stop or inspect the local Apache Kafka broker (KRaft, one node)",
        description=(
            "Run a real single-node Apache Kafka broker (broker and controller in one java "
            "process, KRaft mode) on 127.0.0.1 for development. `start` resolves the jars with "
            "Maven on first use, formats the storage once, starts the broker in the background and "
            "returns when a metadata request succeeds; `stop` sends SIGTERM (controlled shutdown) "
            "and waits; `status` reports whether it runs and answers (exit status 0 when it does, "
            "1 when it does not run, 3 when it runs but does not answer); `jars` only resolves the "
            "jars (for CI caches and offline use later). Data survives restarts."
        ),
    )
    parser.add_argument(
        "action",
        choices=("start", "stop", "status", "jars"),
        help="start | stop | status | jars (only resolve the jars with Maven and print their folder)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="client port (default 9092; env WIRESTREAM_LOCALKAFKA_PORT)",
    )
    parser.add_argument(
        "--controller-port",
        type=int,
        default=None,
        help="KRaft controller port (default 9093; env WIRESTREAM_LOCALKAFKA_CONTROLLER_PORT)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data directory (default var/kafka in the checkout; env WIRESTREAM_LOCALKAFKA_DATA_DIR)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help=(
            "seconds to wait for readiness on start (default 90; env "
            "WIRESTREAM_LOCALKAFKA_START_TIMEOUT) or for the exit after SIGTERM on stop "
            "(default 30; env WIRESTREAM_LOCALKAFKA_STOP_TIMEOUT)"
        ),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wirestream.localkafka import LocalBroker, LocalKafkaSettings

    logs.configure("INFO")
    overrides: dict[str, object] = {
        "port": args.port,
        "controller_port": args.controller_port,
        "data_dir": args.data_dir,
    }
    if args.timeout is not None:
        overrides["start_timeout" if args.action == "start" else "stop_timeout"] = args.timeout
    settings = LocalKafkaSettings.from_env(**overrides)
    if args.action == "jars":
        from wirestream.localkafka import resolve_jars

        print(resolve_jars(settings))
        return 0
    broker = LocalBroker(settings)

    if args.action == "start":
        status = broker.start()
        print(
            f"Kafka is ready on {status.bootstrap_servers} (pid {status.pid}); data in "
            f"{status.data_dir}, log in {status.log_file}. Stop it with `wirestream kafka stop`."
        )
        return 0
    if args.action == "stop":
        address = broker.bootstrap_servers  # read while it runs: the ports it was started with
        if broker.stop():
            print(f"Kafka on {address} stopped; data kept in {broker.data_dir}.")
        else:
            print(f"no local Kafka broker runs for {broker.data_dir}.")
        return 0
    status = broker.status()
    if not status.running:
        print(
            f"not running (data dir {status.data_dir}, configured for {status.bootstrap_servers})"
        )
        return 1
    if not status.ready:
        print(
            f"running (pid {status.pid}) but {status.bootstrap_servers} does not answer a metadata "
            f"request; see {status.log_file}",
            file=sys.stderr,
        )
        return 3
    print(f"ready on {status.bootstrap_servers} (pid {status.pid}); data in {status.data_dir}")
    return 0
