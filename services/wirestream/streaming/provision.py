"""Create topics from their declarations (:mod:`wirestream.streaming.topics`), idempotently.

Workers call :func:`ensure_topics` before starting faust, so a fresh broker (or a fresh
``WIRESTREAM_KAFKA_TOPIC_PREFIX``) works without a separate provisioning step; existing topics are
left as they are. Retries while the broker is not reachable yet, up to ``timeout`` seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_delay,
    wait_fixed,
)

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


def _log_retry(state: RetryCallState) -> None:
    outcome = state.outcome
    error = outcome.exception() if outcome is not None else None
    logger.warning("broker not ready for topic creation: %s", error)


async def _create_missing(kafka: KafkaSettings, wanted: list[NewTopic]) -> list[str]:
    """One attempt: list the topics, create the missing ones; the names created."""
    admin = AIOKafkaAdminClient(**kafka.client_options(), request_timeout_ms=10_000)
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        created: list[str] = []
        for topic in (t for t in wanted if t.name not in existing):
            try:
                await admin.create_topics([topic])
                created.append(topic.name)
            except TopicAlreadyExistsError:
                pass  # another worker created it meanwhile
        if created:
            logger.info("created topics", extra={"topics": created})
        return created
    finally:
        await admin.close()


async def ensure_new_topics(
    kafka: KafkaSettings, wanted: list[NewTopic], *, timeout: float = 60.0
) -> list[str]:
    """:func:`ensure_topics` for topics given as they are created (e.g. faust's internal ones)."""
    await check_connection(kafka)  # TLS or SASL refused: fail now, naming the setting
    retrying = AsyncRetrying(
        retry=retry_if_exception_type((KafkaConnectionError, KafkaError, OSError)),
        stop=stop_after_delay(timeout),
        wait=wait_fixed(1.0),
        before_sleep=_log_retry,
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt:
                return await _create_missing(kafka, wanted)
    except (KafkaConnectionError, KafkaError, OSError) as exc:
        raise EnvironmentNotReadyError(
            f"could not create topics on {kafka.bootstrap_servers} within {timeout:.0f}s "
            f"({exc}): start a broker ('wirestream kafka start') or set "
            "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"
        ) from exc
    raise AssertionError("AsyncRetrying neither returned nor raised")  # not reached


def faust_new_topics(app: Any, kafka: KafkaSettings, topics: Iterable[Any]) -> list[NewTopic]:
    """faust topics (an internal topic, a table's ``changelog_topic``) of ``app`` as faust would
    declare them: their config, cleanup policy (``compact``/``delete``) and retention.

    faust declares its own topics only while its consumer joins the group, so on a fresh broker
    the first assignment could miss them and nothing was read from them until the next metadata
    refresh, 5 minutes later (seen in the compose stack); created up front with
    :func:`ensure_new_topics`, they are there for the first assignment."""
    out = []
    for topic in topics:
        config = {k: str(v) for k, v in (topic.config or {}).items()}
        policy = [
            flag for flag, on in (("compact", topic.compacting), ("delete", topic.deleting)) if on
        ]
        if policy:
            config.setdefault("cleanup.policy", ",".join(policy))
        if topic.retention:
            config.setdefault("retention.ms", str(int(topic.retention * 1000)))
        out.append(
            NewTopic(
                name=topic.get_topic_name(),
                num_partitions=topic.partitions or app.conf.topic_partitions,
                replication_factor=topic.replicas or kafka.replication_factor,
                topic_configs=config,
            )
        )
    return out
