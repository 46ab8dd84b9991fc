"""The ``wirestream`` command: one sub-command per module in :mod:`wirestream.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wirestream import __version__
from wirestream.errors import WirestreamError

COMMANDS = (
    "demo",
    "extract",
    "kafka",
    "topics",
    "publish",
    "tail",
    "worker",
    "archive",
    "eval",
    "bench",
    "chaos",
)
"""Sub-commands, in the order ``--help`` lists them; each is ``wirestream.commands.<name>``."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wirestream",
        description="Wire reports in; entity, quote and event records with exact offsets out.",
    )
    parser.add_argument("--version", action="version", version=f"wirestream {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"wirestream.commands.{name.replace('-', '_')}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: parse, run, and turn Wirestream errors into one clear line and exit status 2."""
    args = build_parser().parse_args(argv)
    try:
        status = args.run(args)
    except WirestreamError as exc:
        print(f"wirestream {args.command}: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(status or 0)


if __name__ == "__main__":
    main()
