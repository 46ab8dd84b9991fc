"""What every asyncio task of a worker is waiting on, logged on ``SIGUSR1``.

A worker that is alive but makes no progress (its ``/ready`` true, its lag growing) says nothing
in its log; ``kill -USR1 <pid>`` makes it log one line per task of its event loops — the main
loop and, in faust workers, the consumer thread's — with the task's name and the innermost frames
it is suspended in (``file:line function``). Nothing is changed or stopped.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

FRAMES = 6
"""Innermost frames shown per task."""


def describe(task: asyncio.Task[object]) -> str:
    """``name: innermost <- ... <- outermost`` for one task (its coroutine's suspended frames)."""
    frames = task.get_stack(limit=FRAMES)
    where = " <- ".join(
        f"{Path(f.f_code.co_filename).name}:{f.f_lineno} {f.f_code.co_name}"
        for f in reversed(frames)
    )
    return f"{task.get_name()}: {where or 'not started'}"


def dump(loops: Iterable[tuple[str, asyncio.AbstractEventLoop]]) -> list[str]:
    """One line per task of each ``(label, loop)``, sorted; a closed loop is skipped."""
    lines: list[str] = []
    for label, loop in loops:
        if loop.is_closed():
            continue
        lines.extend(f"[{label}] {describe(task)}" for task in asyncio.all_tasks(loop))
    return sorted(lines)


def install(loops: Callable[[], Iterable[tuple[str, asyncio.AbstractEventLoop]]]) -> None:
    """Log :func:`dump` of ``loops()`` on SIGUSR1 (call from the running main loop)."""

    def log_tasks() -> None:
        lines = dump(loops())
        logger.warning("task dump (SIGUSR1): %d tasks\n%s", len(lines), "\n".join(lines))

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, log_tasks)
