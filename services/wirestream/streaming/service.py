"""What every Wirestream service shares: its settings' common fields and its start-up.

Each service package has the same files in the same roles - ``settings.py`` (a
:class:`ServiceSettings`), ``topics.py`` (the declared topics it reads and writes), ``agents.py``
(module-level faust agents) or its loop, ``web.py`` (its ``/health`` and ``/ready`` checks,
served by :func:`wirestream.streaming.web.build_web_app`), ``metrics.py`` (a
:class:`~wirestream.streaming.metrics.ServiceMetrics`) and ``app.py`` (its factory and
``main(argv)``, built on :class:`Startup`); README "Layout" has the table.

:class:`ServiceSettings` holds the fields every service has, under the same names: ``web_port``,
``web_bind``, ``log_level``, ``provision_topics``; each service's own settings class adds the
rest and its env prefix. :class:`Startup` is the start-up every ``main`` goes through: parse the
common flags (``--web-port``, ``--log-level``) and the service's own, read the settings (a flag
overrides its variable), configure JSON logs, check the connection to the broker (TLS or SASL
refused: exit now, naming the setting to fix) and create the declared topics that are missing.
:func:`run_until_stopped` then serves the web views and runs an asyncio loop (the extractor's
and copies stage's aiokafka loops, the live view's consumer) until SIGTERM or SIGINT; faust
services serve them with :func:`wirestream.streaming.faustapp.serve_views` and run in faust's
worker (:func:`wirestream.streaming.faustapp.run_worker`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar

from aiohttp import web
from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings

from wirestream.errors import ConfigurationError
from wirestream.streaming.settings import KafkaSettings, settings_error
from wirestream.streaming.topics import TopicSpec
from wirestream.streaming.web import WebServer

logger = logging.getLogger(__name__)

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")
WEB_STOP_TIMEOUT = 10.0
"""Seconds the web server may take to stop after the loop ended."""


class ServiceSettings(BaseSettings):
    """The fields every service's settings have (a subclass sets ``model_config``'s env prefix,
    ``SERVICE`` and its own ``web_port`` default).

    - ``web_port`` — ``<PREFIX>WEB_PORT``: ``/health``, ``/ready``, ``/metrics``; each service has
      its own default (6066 extractor, 6067 archiver, 6068 alerter, 6069 web, 6070 copies, 6071
      incidents).
    - ``web_bind`` — ``<PREFIX>WEB_BIND``; default ``127.0.0.1`` (loopback only; ``0.0.0.0`` in a
      container whose port is scraped).
    - ``log_level`` — ``<PREFIX>LOG_LEVEL``; default ``INFO`` (``--log-level`` overrides it).
    - ``provision_topics`` — ``<PREFIX>PROVISION_TOPICS``; default true: create the declared
      topics that are missing before starting.
    """

    SERVICE: ClassVar[str] = "service"
    """The service's name in messages (``invalid <SERVICE> settings: ...``)."""

    web_port: int = Field(default=6066, ge=1, le=65535)
    web_bind: str = Field(default="127.0.0.1", min_length=1)
    log_level: LogLevel = "INFO"
    provision_topics: bool = True

    @classmethod
    def env_prefix(cls) -> str:
        return str(cls.model_config.get("env_prefix", ""))

    @classmethod
    def from_env(cls: type[S], **overrides: object) -> S:
        """Read the environment once (``overrides`` win); a bad value raises ConfigurationError
        naming the variable."""
        try:
            return cls(**overrides)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise ConfigurationError(
                f"invalid {cls.SERVICE} settings: {settings_error(exc, cls.env_prefix())}"
            ) from exc


S = TypeVar("S", bound=ServiceSettings)


def group_id_field(default: str, env_prefix: str, *, old_name: str | None = None) -> Any:
    """The ``group_id`` field of a service's settings (``<PREFIX>GROUP_ID``); ``old_name`` is a
    variable read as well, for settings that had another name (the settings class needs
    ``populate_by_name=True`` so that ``group_id=...`` still works in code)."""
    names = [f"{env_prefix}GROUP_ID", *([f"{env_prefix}{old_name}"] if old_name else [])]
    return Field(default=default, min_length=1, validation_alias=AliasChoices(*names))


@dataclass(frozen=True)
class Started(Generic[S]):
    """What :meth:`Startup.begin` read: the parsed flags and the service's settings."""

    args: argparse.Namespace
    settings: S


@dataclass(frozen=True)
class Startup(Generic[S]):
    """The start-up of one service: ``wirestream worker <name>``.

    ``topics`` gives the declared topics to create when missing (``provision_topics``; none for
    a read-only service);
    ``add_arguments`` adds the service's own flags to the common ones."""

    name: str
    settings_class: type[S]
    topics: Callable[[S], Iterable[TopicSpec]]
    description: str = ""
    title: str = ""
    """What the logs call it (default ``name``): ``starting the <title>``."""
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    log_extra: Callable[[S], dict[str, Any]] = field(default=lambda settings: {})

    def parser(self) -> argparse.ArgumentParser:
        prefix = self.settings_class.env_prefix()
        default_port = self.settings_class.model_fields["web_port"].default
        parser = argparse.ArgumentParser(
            prog=f"wirestream worker {self.name}",
            description=self.description
            or f"Run the {self.title or self.name} ({prefix}* variables).",
        )
        parser.add_argument(
            "--web-port", type=int, help=f"overrides {prefix}WEB_PORT (default {default_port})"
        )
        parser.add_argument(
            "--log-level",
            type=str.upper,
            choices=LOG_LEVELS,
            help=f"overrides {prefix}LOG_LEVEL (default INFO)",
        )
        if self.add_arguments is not None:
            self.add_arguments(parser)
        return parser

    def begin(
        self,
        argv: Sequence[str] | None,
        *,
        json_logs: Callable[[argparse.Namespace], bool] = lambda args: True,
    ) -> Started[S]:
        """Parse the flags, read the settings (flags win), configure the logs (JSON lines unless
        ``json_logs(args)`` says otherwise, e.g. for a command-line check)."""
        from wirestream import logs

        args = self.parser().parse_args(list(argv or []))
        overrides = {
            key: value
            for key, value in (("web_port", args.web_port), ("log_level", args.log_level))
            if value is not None
        }
        settings = self.settings_class.from_env(**overrides)
        logs.configure(settings.log_level, json=json_logs(args))
        return Started(args, settings)

    def connect(self, settings: S) -> KafkaSettings:
        """The Kafka settings, checked against the broker, with the service's topics created."""
        from wirestream.streaming.connection import require_connection
        from wirestream.streaming.provision import ensure_topics

        kafka = KafkaSettings.from_env()
        logger.info(
            f"starting the {self.title or self.name}",
            extra={
                "kafka": kafka.describe(),
                "topic_prefix": kafka.topic_prefix,
                "web": f"{settings.web_bind}:{settings.web_port}",
                **self.log_extra(settings),
            },
        )
        require_connection(kafka)
        topics = list(self.topics(settings))
        if settings.provision_topics and topics:
            asyncio.run(ensure_topics(kafka, topics))
        return kafka


class Loop(Protocol):
    """An aiokafka processing loop as :func:`run_until_stopped` runs it."""

    def stop(self) -> None: ...
    async def run(self) -> None: ...


async def run_until_stopped(
    loop: Loop,
    settings: ServiceSettings,
    app: web.Application,
    *,
    on_signal: Callable[[int], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    cleanup: Callable[[], None] | None = None,
) -> int:
    """Serve ``app`` (its views built with :func:`~wirestream.streaming.web.build_web_app`, or a
    service's own aiohttp app holding them) on ``web_bind:web_port`` and run ``loop`` until
    SIGTERM/SIGINT stop it (``on_signal`` instead of ``loop.stop`` when given). Then ``cleanup``
    and the server stops (within :data:`WEB_STOP_TIMEOUT`). The exit status: 0, or 1 when the
    loop failed (after ``on_failure``)."""
    server = await WebServer.start(app, settings.web_bind, settings.web_port)
    running = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        if on_signal is None:
            running.add_signal_handler(signum, loop.stop)
        else:
            running.add_signal_handler(signum, on_signal, signum)
    try:
        await loop.run()
    except Exception as exc:
        if on_failure is not None:
            on_failure(exc)
        logger.exception("the %s failed", settings.SERVICE)
        return 1
    finally:
        if cleanup is not None:
            cleanup()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.stop(), WEB_STOP_TIMEOUT)
    return 0
