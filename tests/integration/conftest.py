"""Fixtures shared by the extractor's integration tests: fresh topics per test, worker cleanup."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest

from wirestream.streaming.provision import ensure_topics
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.workers import WorkerProcess


@pytest.fixture
def ws_kafka(kafka_bootstrap: str, unique_name: Callable[[str], str]) -> KafkaSettings:
    """Kafka settings with a topic prefix of this test's own, every declared topic created."""
    settings = KafkaSettings(
        bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("ws") + "."
    )
    asyncio.run(ensure_topics(settings))
    return settings


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    """Workers a test starts; each is stopped (SIGTERM, then SIGKILL after 40 s) at the end."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.stop(timeout=40)
