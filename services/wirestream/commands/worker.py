"""``wirestream worker NAME``: run one service (extractor, archiver, alerter, copies, incidents,
web).

Each service lives in ``wirestream.<name>.app``, which exposes ``main(argv) -> int``: it reads the
service's settings from the environment, configures JSON logging, builds the service (a faust app;
for ``web``, the live view, an aiohttp server and its consumer) and runs it until SIGTERM/SIGINT. Modules are imported lazily, so a service's dependencies load only when it
runs.
"""

from __future__ import annotations

import argparse
import importlib

from wirestream.errors import ConfigurationError

SERVICES = ("extractor", "archiver", "alerter", "copies", "incidents", "web")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "worker",
        help=(
            "run a streaming service (extractor, archiver, alerter, copies, incidents, web: the "
            "live view)"
        ),
        description=(
            "Run one Wirestream service (web: the live view) until SIGTERM or Ctrl-C. Configuration "
            "comes from the environment: WIRESTREAM_KAFKA_* for the broker and topic names, "
            "WIRESTREAM_<SERVICE>_* for the service (see its settings module)."
        ),
    )
    parser.add_argument("name", choices=SERVICES, metavar="NAME", help=" | ".join(SERVICES))
    parser.add_argument(
        "--web-port",
        type=int,
        help="port of /health, /ready and /metrics (default: the service's setting)",
    )
    parser.add_argument(
        "service_args",
        nargs=argparse.REMAINDER,
        metavar="...",
        help="further options passed to the service",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    module_name = f"wirestream.{args.name}.app"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise ConfigurationError(
                f"the {args.name} service is not installed ({module_name} is missing)"
            ) from exc
        raise
    argv = list(args.service_args)
    if args.web_port is not None:
        argv = ["--web-port", str(args.web_port), *argv]
    status: int = module.main(argv)
    return status
