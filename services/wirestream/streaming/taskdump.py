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
from types import FrameType
from typing import Any

logger = logging.getLogger(__name__)

FRAMES = 6
"""Innermost frames shown per task."""


def _frames(task: asyncio.Task[object]) -> list[FrameType]:
    """The task's suspended frames, outermost first, following each coroutine's ``cr_await``
    (``Task.get_stack`` shows only the task's own coroutine)."""
    frames: list[FrameType] = []
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is not None:
            frames.append(frame)
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return frames


def describe(task: asyncio.Task[object]) -> str:
    """``name: innermost <- ... <- outermost`` (the :data:`FRAMES` innermost) for one task."""
    where = " <- ".join(
        f"{Path(f.f_code.co_filename).name}:{f.f_lineno} {f.f_code.co_name}"
        for f in reversed(_frames(task)[-FRAMES:])
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


def install(
    loops: Callable[[], Iterable[tuple[str, asyncio.AbstractEventLoop]]],
    state: Callable[[], Iterable[str]] = tuple,
) -> None:
    """Log :func:`dump` of ``loops()``, then the lines of ``state()`` (e.g. the consumer's
    partitions), on SIGUSR1 (call from the running main loop)."""

    def log_tasks() -> None:
        lines = dump(loops())
        extra = list(state())
        logger.warning("task dump (SIGUSR1): %d tasks\n%s", len(lines), "\n".join([*lines, *extra]))

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, log_tasks)
