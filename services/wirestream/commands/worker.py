"""``wirestream worker``: not built yet (see the open issue that owns it)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("worker", help="(not built yet)")
    parser.set_defaults(run=lambda args: print("not built yet") or 2)
