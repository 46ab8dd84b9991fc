"""Consumers that read committed messages only (``isolation_level="read_committed"``).

The extractor publishes its records in Kafka transactions; a consumer reading
``read_uncommitted`` (aiokafka's and faust's default) would see records of transactions that were
later aborted, and so duplicates after a takeover. Every Wirestream consumer of record topics reads
``read_committed``: the plain aiokafka consumers pass :data:`ISOLATION_LEVEL`; the faust apps
(archiver, alerter) use :class:`ReadCommittedConsumer`, because faust picks ``read_committed``
only when its own ``processing_guarantee`` is ``exactly_once``, which would also turn on faust's
transactional producers. Messages written outside transactions (raw articles, table changelogs)
are visible as before.

faust's driver has no setting for it, so :class:`ReadCommittedConsumerThread` overrides the
private ``AIOKafkaConsumerThread._create_worker_consumer`` (faust-streaming 0.11-0.15) and sets
the consumer's isolation level before it starts; :func:`check_faust_compatible` fails with a
clear message when faust or aiokafka no longer have what this relies on (a test calls it).

In ``build_app``'s app class::

    def _new_consumer(self) -> Any:
        return read_committed_consumer(self)
"""

from __future__ import annotations

from typing import Any

import aiokafka
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.transport.drivers.aiokafka import Consumer as _FaustAIOKafkaConsumer

from wirestream.errors import ConfigurationError

ISOLATION_LEVEL = "read_committed"
"""What every Wirestream consumer of record topics passes as aiokafka ``isolation_level``."""
_OVERRIDDEN = "_create_worker_consumer"
_AIOKAFKA_ATTRIBUTE = "_isolation_level"


def _incompatible(what: str) -> ConfigurationError:
    return ConfigurationError(
        f"{what}: wirestream.streaming.isolation cannot make faust's consumer read committed "
        "messages only with the installed faust-streaming/aiokafka. Pin the versions in "
        "pyproject.toml, or adapt ReadCommittedConsumerThread to the new faust driver."
    )


def check_faust_compatible() -> None:
    """Raise :class:`ConfigurationError` unless faust and aiokafka still have what the override
    relies on: ``AIOKafkaConsumerThread._create_worker_consumer`` and aiokafka's
    ``AIOKafkaConsumer._isolation_level`` (read when the consumer starts its fetcher)."""
    if not callable(getattr(AIOKafkaConsumerThread, _OVERRIDDEN, None)):
        raise _incompatible(f"faust's AIOKafkaConsumerThread has no {_OVERRIDDEN}() any more")
    if not callable(getattr(_FaustAIOKafkaConsumer, "_new_consumer_thread", None)):
        raise _incompatible("faust's aiokafka Consumer has no _new_consumer_thread() any more")
    init_names = aiokafka.AIOKafkaConsumer.__init__.__code__.co_names
    if _AIOKAFKA_ATTRIBUTE not in init_names:
        raise _incompatible(f"aiokafka's AIOKafkaConsumer no longer sets {_AIOKAFKA_ATTRIBUTE}")


class ReadCommittedConsumerThread(AIOKafkaConsumerThread):
    """faust's consumer thread whose aiokafka consumer reads committed messages only."""

    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        if _AIOKAFKA_ATTRIBUTE not in vars(consumer):
            raise _incompatible(f"aiokafka's AIOKafkaConsumer has no {_AIOKAFKA_ATTRIBUTE}")
        setattr(consumer, _AIOKAFKA_ATTRIBUTE, ISOLATION_LEVEL)
        return consumer


class ReadCommittedConsumer(_FaustAIOKafkaConsumer):
    """faust's aiokafka consumer, reading committed messages only."""

    def _new_consumer_thread(self) -> AIOKafkaConsumerThread:
        return ReadCommittedConsumerThread(self, loop=self.loop, beacon=self.beacon)


def read_committed_consumer(app: Any) -> ReadCommittedConsumer:
    """What a faust App's ``_new_consumer`` returns: faust's own consumer, read committed.

    Same arguments as ``faust.App._new_consumer`` passes to ``transport.create_consumer``.
    """
    check_faust_compatible()
    return ReadCommittedConsumer(
        app.transport,
        callback=app.topics.on_message,
        on_partitions_revoked=app._on_partitions_revoked,
        on_partitions_assigned=app._on_partitions_assigned,
        beacon=app.beacon,
        loop=app.transport.loop,
    )
