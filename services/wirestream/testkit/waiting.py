"""Waiting for a condition with a timeout, never for a fixed time.

``wait_until("the archive has 3 files", check, timeout=60)`` polls ``check`` every ``interval``
seconds; it returns the first truthy value ``check`` gives and raises :class:`WaitTimeout`
(an ``AssertionError``, so pytest shows it as a failed expectation) saying what was awaited and
the last value seen when time runs out. :func:`async_wait_until` is the same for event loops;
its ``check`` may be a coroutine function.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_INTERVAL = 0.2
"""Seconds between two checks."""


class WaitTimeout(AssertionError):
    """The awaited condition did not hold within the timeout."""


def _timeout_error(what: str, timeout: float, last: Any, detail: Callable[[], str] | None) -> str:
    message = f"timed out after {timeout:.0f}s waiting for {what} (last value: {last!r:.300})"
    if detail is not None:
        message += "\n" + detail()
    return message


def wait_until(
    what: str,
    check: Callable[[], T],
    timeout: float,
    *,
    interval: float = DEFAULT_INTERVAL,
    detail: Callable[[], str] | None = None,
) -> T:
    """Poll ``check`` until it returns something truthy; return that. ``detail`` (a log excerpt,
    say) is added to the failure message."""
    deadline = time.monotonic() + timeout
    while True:
        last = check()
        if last:
            return last
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WaitTimeout(_timeout_error(what, timeout, last, detail))
        time.sleep(min(interval, remaining))


async def async_wait_until(
    what: str,
    check: Callable[[], Any],
    timeout: float,
    *,
    interval: float = DEFAULT_INTERVAL,
    detail: Callable[[], str] | None = None,
) -> Any:
    """:func:`wait_until` in an event loop: other tasks run between checks."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        last: Any = await value if inspect.isawaitable(value) else value
        if last:
            return last
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WaitTimeout(_timeout_error(what, timeout, last, detail))
        await asyncio.sleep(min(interval, remaining))
