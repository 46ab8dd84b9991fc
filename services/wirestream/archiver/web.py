"""The archiver's ``/health`` and ``/ready`` (served with ``/metrics`` by
:func:`wirestream.streaming.faustapp.serve_views`; nothing else is served).

- ``/health`` - 200 while the worker runs;
- ``/ready`` - 200 once its consumer holds partitions (:meth:`Archiver.ready`), with the files
  and records written so far.
"""

from __future__ import annotations

from typing import Any

from wirestream.archiver.consumer import Archiver


def health(archiver: Archiver) -> tuple[bool, dict[str, Any]]:
    return True, {"status": "ok"}


def ready(archiver: Archiver) -> tuple[bool, dict[str, Any]]:
    ok = archiver.ready()
    return ok, {
        "ready": ok,
        "files_written": archiver.files_written,
        "records_written": archiver.records_written,
    }
