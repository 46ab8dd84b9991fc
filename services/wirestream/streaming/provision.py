"""Create topics from their declarations (:mod:`wirestream.streaming.topics`), idempotently.

Workers call :func:`ensure_topics` before starting faust, so a fresh broker (or a fresh
``WIRESTREAM_KAFKA_TOPIC_PREFIX``) works without a separate provisioning step; existing topics are
left as they are. Retries while the broker is not reachable yet, up to ``timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError

from wirestream.errors import EnvironmentNotReadyError
from wirestream.streaming.connection import check_connection
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import ALL_TOPICS, TopicSpec

logger = logging.getLogger(__name__)


def new_topic(spec: TopicSpec, kafka: KafkaSettings) -> NewTopic:
    return NewTopic(
        name=spec.name(kafka),
        num_partitions=spec.partitions,
        replication_factor=kafka.replication_factor,
        topic_configs=spec.config(),
    )


async def ensure_topics(
    kafka: KafkaSettings,
    specs: Iterable[TopicSpec] = ALL_TOPICS,
    *,
    timeout: float = 60.0,
) -> list[str]:
    """Create the declared topics that do not exist yet; returns the names created."""
    return await ensure_new_topics(
        kafka, [new_topic(spec, kafka) for spec in specs], timeout=timeout
    )


async def ensure_new_topics(
    kafka: KafkaSettings, wanted: list[NewTopic], *, timeout: float = 60.0
) -> list[str]:
    """:func:`ensure_topics` for topics given as they are created (e.g. faust's internal ones)."""
    await check_connection(kafka)  # TLS or SASL refused: fail now, naming the setting
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(**kafka.client_options(), request_timeout_ms=10_000)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [topic for topic in wanted if topic.name not in existing]
            created: list[str] = []
            for topic in missing:
                try:
                    await admin.create_topics([topic])
                    created.append(topic.name)
                except TopicAlreadyExistsError:
                    pass  # another worker created it meanwhile
            if created:
                logger.info("created topics", extra={"topics": created})
            return created
        except (KafkaConnectionError, KafkaError, OSError) as exc:
            last_error = exc
            logger.warning("broker not ready for topic creation: %s", exc)
            await asyncio.sleep(1.0)
        finally:
            await admin.close()
    raise EnvironmentNotReadyError(
        f"could not create topics on {kafka.bootstrap_servers} within {timeout:.0f}s "
        f"({last_error}): start a broker ('wirestream kafka start') or set "
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"
    )
