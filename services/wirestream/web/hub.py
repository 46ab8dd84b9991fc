"""Pages connected to the stream, each with its filter and a bounded queue of encoded messages.

:meth:`Hub.publish` encodes each item once and hands every page the items its filter lets
through as one server-sent event. A page whose queue is full (it reads too slowly) is closed
rather than allowed to hold memory: its browser reconnects by itself and starts from a fresh
snapshot. :meth:`Hub.close` ends every stream (service shutdown).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from wirestream.core import jsonio
from wirestream.web.feed import Item
from wirestream.web.filters import FeedFilter

QUEUE_MESSAGES = 256
"""Messages a page may have waiting before it is closed (it reconnects and starts over)."""


def sse(event: str, data: bytes) -> bytes:
    """One server-sent event (``data`` is one line of JSON: JSON escapes every newline)."""
    return b"event: " + event.encode() + b"\ndata: " + data + b"\n\n"


def batch(encoded: Iterable[bytes]) -> bytes:
    """A JSON array of already encoded items."""
    return b"[" + b",".join(encoded) + b"]"


@dataclass(eq=False)
class Page:
    """One connected stream: what it wants and what waits to be written to it."""

    wanted: FeedFilter
    queue: asyncio.Queue[bytes | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_MESSAGES)
    )
    closed: bool = False

    def offer(self, message: bytes | None) -> bool:
        """Queue ``message`` (None ends the stream); False when the page is too far behind."""
        if self.closed:
            return False
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.closed = True
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)
            return False
        return True


class Hub:
    """Every connected page; publishes feed items and stream-strip numbers to them."""

    def __init__(self, on_drop: Callable[[], None] | None = None) -> None:
        self.pages: set[Page] = set()
        self.last_stats: bytes | None = None
        self.dropped = 0
        self.on_drop = on_drop

    def subscribe(self, wanted: FeedFilter) -> Page:
        page = Page(wanted)
        self.pages.add(page)
        return page

    def unsubscribe(self, page: Page) -> None:
        self.pages.discard(page)

    def publish(self, items: list[Item]) -> None:
        """Send ``items`` (one batch per page, only what its filter lets through)."""
        if not items or not self.pages:
            return
        encoded = [(item, jsonio.dumps(item)) for item in items]
        everything = sse("items", batch(data for _, data in encoded))
        for page in list(self.pages):
            if not page.wanted.active:
                message = everything
            else:
                chosen = [data for item, data in encoded if page.wanted.matches(item)]
                if not chosen:
                    continue
                message = sse("items", batch(chosen))
            self._offer(page, message)

    def publish_stats(self, stats: dict[str, Any]) -> None:
        self.last_stats = sse("stats", jsonio.dumps(stats))
        for page in list(self.pages):
            self._offer(page, self.last_stats)

    def _offer(self, page: Page, message: bytes) -> None:
        if not page.offer(message):
            self.dropped += 1
            self.pages.discard(page)
            if self.on_drop is not None:
                self.on_drop()

    def close(self) -> None:
        for page in list(self.pages):
            page.offer(None)
        self.pages.clear()
