"""faust's consumer reads committed messages only in Wirestream's apps (the override still fits faust)."""

from __future__ import annotations

import asyncio
from typing import Any

import faust
import pytest
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

from wirestream.errors import ConfigurationError
from wirestream.streaming import fausthooks
from wirestream.streaming.faustapp import build_app
from wirestream.streaming.fausthooks import WirestreamApp
from wirestream.streaming.settings import KafkaSettings


class PlainFaustApp(WirestreamApp):
    """faust's own consumer, without Wirestream's override."""

    def _new_consumer(self) -> Any:
        return faust.App._new_consumer(self)


def created_isolation_level(app_class: type[WirestreamApp]) -> str:
    """The isolation level of the aiokafka consumer ``app_class``'s worker would start."""

    async def create() -> str:
        kafka = KafkaSettings(bootstrap_servers="127.0.0.1:9", topic_prefix="iso.")
        app = build_app("isolation-test", kafka)
        app.__class__ = app_class
        thread: AIOKafkaConsumerThread = getattr(app.consumer, "_thread")  # noqa: B009
        consumer = thread._create_worker_consumer(app.transport)  # type: ignore[arg-type]
        try:
            return str(consumer._isolation_level)
        finally:
            await consumer.stop()

    return asyncio.run(create())


def test_the_faust_internals_the_override_relies_on_still_exist() -> None:
    """If this fails, faust or aiokafka changed: read the message, then adapt fausthooks.py."""
    fausthooks.check_faust_hooks()


def test_the_overridden_consumer_reads_committed_only() -> None:
    assert created_isolation_level(WirestreamApp) == "read_committed"


def test_faust_alone_reads_uncommitted() -> None:
    """Why the override exists: without exactly_once, faust reads aborted records too."""
    assert created_isolation_level(PlainFaustApp) == "read_uncommitted"


def test_a_faust_without_the_overridden_method_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(AIOKafkaConsumerThread, "_create_worker_consumer")
    with pytest.raises(ConfigurationError, match=r"_create_worker_consumer\(\) is gone.*adapt"):
        fausthooks.check_faust_hooks()


@pytest.mark.parametrize(("owner", "name"), fausthooks.HOOKS)
def test_every_hook_is_checked_and_building_an_app_fails_loudly_without_it(
    monkeypatch: pytest.MonkeyPatch, owner: type[Any], name: str
) -> None:
    for klass in owner.__mro__:  # gone from faust altogether, inherited definitions included
        if name in vars(klass):
            monkeypatch.delattr(klass, name)
    with pytest.raises(ConfigurationError, match=rf"{name}\(\) is gone"):
        build_app("hooks-test", KafkaSettings(bootstrap_servers="127.0.0.1:9", topic_prefix="h."))
