"""A minimal faust worker for ``test_faust_compat.py``, run as its own process.

Built with the project's own :func:`wirestream.streaming.faustapp.build_app` (idempotent producer,
acks=all, commit every second). One agent reads ``PROBE_SOURCE`` and writes each value upper-cased
to ``PROBE_SINK``; after ``PROBE_COUNT`` values and two commit intervals it sends itself SIGTERM,
so the worker shuts down the way a deployed one does (offsets committed on the way out).

Environment: ``PROBE_BOOTSTRAP``, ``PROBE_SOURCE``, ``PROBE_SINK``, ``PROBE_GROUP``,
``PROBE_COUNT``, ``PROBE_WEB_PORT``, ``PROBE_DATA_DIR``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import faust

from wirestream.streaming.faustapp import build_app, run_worker
from wirestream.streaming.settings import KafkaSettings


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    kafka = KafkaSettings(bootstrap_servers=os.environ["PROBE_BOOTSTRAP"], topic_prefix="")
    count = int(os.environ["PROBE_COUNT"])
    app = build_app(
        os.environ["PROBE_GROUP"],
        kafka,
        data_dir=Path(os.environ["PROBE_DATA_DIR"]),
        topic_partitions=2,
    )
    source = app.topic(os.environ["PROBE_SOURCE"], value_type=bytes, value_serializer="raw")
    sink = app.topic(os.environ["PROBE_SINK"], value_type=bytes, value_serializer="raw")
    seen: list[bytes] = []

    @app.agent(source)
    async def upper(stream: faust.StreamT[bytes]) -> None:
        async for value in stream:
            await sink.send(value=value.upper())
            seen.append(value)
            if len(seen) == count:
                print(f"probe consumed {count}", flush=True)
                asyncio.get_running_loop().call_later(2.5, os.kill, os.getpid(), signal.SIGTERM)

    return run_worker(app, log_level="WARNING")


if __name__ == "__main__":
    sys.exit(main())
