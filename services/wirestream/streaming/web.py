"""The web views a Wirestream service serves: ``/health``, ``/ready`` and ``/metrics``.

:func:`build_web_app` takes three callables - health and readiness each answer ``(ok, body)``,
metrics answer the Prometheus text exposition - and serves them with aiohttp: 200 when ok, else
503, the body as JSON. Nothing else is served.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from wirestream.core import jsonio

Check = Callable[[], tuple[bool, dict[str, Any]]]

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _json(ok: bool, body: dict[str, Any]) -> web.Response:
    return web.Response(
        body=jsonio.dumps(body), status=200 if ok else 503, content_type="application/json"
    )


def build_web_app(health: Check, ready: Check, metrics: Callable[[], bytes]) -> web.Application:
    """An aiohttp application serving the three views."""

    async def health_view(request: web.Request) -> web.Response:
        return _json(*health())

    async def ready_view(request: web.Request) -> web.Response:
        return _json(*ready())

    async def metrics_view(request: web.Request) -> web.Response:
        response = web.Response(body=metrics())
        response.headers["Content-Type"] = PROMETHEUS_CONTENT_TYPE
        return response

    app = web.Application()
    app.router.add_get("/health", health_view)
    app.router.add_get("/ready", ready_view)
    app.router.add_get("/metrics", metrics_view)
    return app


@dataclass
class WebServer:
    """A running :func:`build_web_app` on ``host:port``; :meth:`stop` closes it."""

    runner: web.AppRunner

    @classmethod
    async def start(cls, app: web.Application, host: str, port: int) -> WebServer:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        return cls(runner)

    async def stop(self) -> None:
        await self.runner.cleanup()
