"""The copies stage's ``/health`` and ``/ready`` (served with ``/metrics`` by
:func:`wirestream.streaming.service.run_until_stopped`).

- ``/health`` - 200 while the process runs; ``active`` says whether this instance owns the
  fingerprint partition;
- ``/ready`` - 200 once the consumer exists; with ``active``, the position, the number of
  articles in the index and the time.
"""

from __future__ import annotations

import time
from typing import Any

from wirestream.copies.loop import CopiesLoop


def health(loop: CopiesLoop) -> tuple[bool, dict[str, Any]]:
    return True, {"status": "ok", "active": loop.owning}


def readiness(loop: CopiesLoop) -> tuple[bool, dict[str, Any]]:
    ready = loop.consumer is not None
    return ready, {
        "ready": ready,
        "active": loop.owning,
        "position": loop.position,
        "articles": len(loop.index.entries),
        "at": time.time(),
    }
