"""A real single-node Apache Kafka broker for development and tests, run with ``java``.

- :mod:`.settings` — :class:`LocalKafkaSettings` (env prefix ``WIRESTREAM_LOCALKAFKA_``): ports,
  data directory, jar cache, timeouts.
- :mod:`.jars` — resolves ``org.apache.kafka:kafka_2.13`` and its logging backend with Maven
  (``deploy/kafka/pom.xml``) into a cache directory, once.
- :mod:`.broker` — :class:`LocalBroker`: formats KRaft storage, starts the broker+controller
  process, waits for a real metadata round trip, stops it with SIGTERM (controlled shutdown).

Nothing here imports faust; the readiness probe uses aiokafka's admin client.
"""

from __future__ import annotations

from wirestream.localkafka.broker import BrokerStatus, LocalBroker, probe_metadata
from wirestream.localkafka.jars import resolve_jars
from wirestream.localkafka.settings import LocalKafkaSettings

__all__ = ["BrokerStatus", "LocalBroker", "LocalKafkaSettings", "probe_metadata", "resolve_jars"]
