"""The live view's HTTP side (aiohttp): the page, its files, the stream, and JSON look-ups.

- ``/`` — the page (``static/index.html``); ``/static/...`` its scripts, styles and basemap.
- ``/api/stream`` — server-sent events: ``hello`` (settings the page needs), ``items`` (a JSON
  array of feed items: first the snapshot, in chunks, then everything that arrives), ``live``
  (the snapshot is complete), ``stats`` (the stream strip). Query parameters are the filters
  (:mod:`wirestream.web.filters`). The browser's EventSource reconnects by itself after a
  restart of this service (``retry``), and every connection starts with a fresh snapshot.
- ``/api/articles/{article_id}`` — the article record with its current entities, quotes and
  events (the article view); ``/api/records/{kind}/{id}`` — one record's JSON.
- ``/health``, ``/ready``, ``/metrics`` as every service has them.

Every response carries a Content Security Policy that allows scripts, styles and images from
this service only (no inline script or style, no other origin), and the page renders every
field with DOM text nodes, never as HTML. With ``WIRESTREAM_WEB_TOKEN`` set, every request but
the three operational views needs the token (:func:`token_middleware`).
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from aiohttp import web

from wirestream.core import jsonio
from wirestream.errors import InputError
from wirestream.streaming.web import PROMETHEUS_CONTENT_TYPE
from wirestream.web.filters import FeedFilter
from wirestream.web.hub import Hub, batch, sse
from wirestream.web.store import LiveStore
from wirestream_contracts.records import EventType

STATIC_DIR = Path(str(resources.files("wirestream.web") / "static"))
"""The page's files: index.html, the ES modules, the stylesheet, ``vendor/`` (the basemap,
copied from npm packages by ``make install``)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
TOKEN_COOKIE = "wirestream_web_token"
OPEN_PATHS = frozenset({"/health", "/ready", "/metrics"})
"""Served without the token: operational views that show no record."""
SNAPSHOT_CHUNK = 1000
KEEPALIVE_SECONDS = 15.0
RECONNECT_MS = 1000
EVENT_TYPES = list(get_args(EventType))
"""The type filter's choices, as the contracts declare them."""

Check = Callable[[], tuple[bool, dict[str, Any]]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(body: Any, status: int = 200) -> web.Response:
    return web.Response(body=jsonio.dumps(body), status=status, content_type="application/json")


def token_middleware(token: str | None) -> Any:
    """Without a token: nothing. With one: ``?token=`` (sets an HttpOnly cookie, then redirects
    to the address without it), the cookie, or ``Authorization: Bearer``; else 401."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if token is None or request.path in OPEN_PATHS:
            return await handler(request)
        given = request.query.get("token")
        if given is not None and hmac.compare_digest(given.encode(), token.encode()):
            query = {k: v for k, v in request.query.items() if k != "token"}
            response = web.HTTPSeeOther(str(request.rel_url.with_query(query)))
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
            raise response
        header = request.headers.get("Authorization", "")
        candidates = [request.cookies.get(TOKEN_COOKIE, ""), header.removeprefix("Bearer ")]
        if any(c and hmac.compare_digest(c.encode(), token.encode()) for c in candidates):
            return await handler(request)
        return web.Response(
            status=401,
            text="token required: open this address once with ?token=... "
            "(WIRESTREAM_WEB_TOKEN), or send Authorization: Bearer ...\n",
        )

    return middleware


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"


class LiveRoutes:
    """The handlers, over the store and the hub the consumer feeds."""

    def __init__(self, store: LiveStore, hub: Hub, *, page_limit: int, backlog: int) -> None:
        self.store = store
        self.hub = hub
        self.page_limit = page_limit
        self.backlog = backlog

    async def index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def article(self, request: web.Request) -> web.Response:
        view = self.store.article_view(request.match_info["article_id"])
        if view is None:
            return _json({"error": "article not kept (older than the live view's memory)"}, 404)
        return _json(view)

    async def record(self, request: web.Request) -> web.Response:
        found = self.store.record(
            request.match_info["kind"],
            request.match_info["record_id"],
            request.query.get("article_id"),
        )
        if found is None:
            return _json({"error": "record not kept"}, 404)
        return _json(found)

    async def stream(self, request: web.Request) -> web.StreamResponse:
        try:
            wanted = FeedFilter.from_query(request.query)
        except InputError as exc:
            return _json({"error": str(exc)}, 400)
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        page = self.hub.subscribe(wanted)  # before the snapshot: nothing falls in between
        try:
            await response.write(f"retry: {RECONNECT_MS}\n\n".encode())
            hello = {
                "page_limit": self.page_limit,
                "backlog": self.backlog,
                "event_types": EVENT_TYPES,
            }
            await response.write(sse("hello", jsonio.dumps(hello)))
            items = self.store.snapshot(wanted)
            for start in range(0, len(items), SNAPSHOT_CHUNK):
                chunk = items[start : start + SNAPSHOT_CHUNK]
                await response.write(sse("items", batch(jsonio.dumps(i) for i in chunk)))
            await response.write(sse("live", jsonio.dumps({"snapshot": len(items)})))
            if self.hub.last_stats is not None:
                await response.write(self.hub.last_stats)
            while True:
                try:
                    message = await asyncio.wait_for(page.queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": keepalive\n\n")
                    continue
                if message is None:
                    break
                await response.write(message)
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            self.hub.unsubscribe(page)
        return response


async def no_icon(request: web.Request) -> web.Response:
    """The page has no icon: say so instead of a 404 the browser reports as an error."""
    return web.Response(status=204)


def build_live_app(
    routes: LiveRoutes,
    *,
    token: str | None,
    health: Check,
    ready: Check,
    metrics: Callable[[], bytes],
) -> web.Application:
    """The aiohttp application: page, files, stream, look-ups, and the operational views."""

    async def health_view(request: web.Request) -> web.Response:
        ok, body = health()
        return _json(body, 200 if ok else 503)

    async def ready_view(request: web.Request) -> web.Response:
        ok, body = ready()
        return _json(body, 200 if ok else 503)

    async def metrics_view(request: web.Request) -> web.Response:
        response = web.Response(body=metrics())
        response.headers["Content-Type"] = PROMETHEUS_CONTENT_TYPE
        return response

    async def close_streams(app: web.Application) -> None:
        routes.hub.close()

    app = web.Application(middlewares=[token_middleware(token)])
    app.on_response_prepare.append(_security_headers)
    app.on_shutdown.append(close_streams)
    app.router.add_get("/", routes.index)
    app.router.add_get("/favicon.ico", no_icon)
    app.router.add_static("/static/", STATIC_DIR, follow_symlinks=False)
    app.router.add_get("/api/stream", routes.stream)
    app.router.add_get("/api/articles/{article_id}", routes.article)
    app.router.add_get("/api/records/{kind}/{record_id}", routes.record)
    app.router.add_get("/health", health_view)
    app.router.add_get("/ready", ready_view)
    app.router.add_get("/metrics", metrics_view)
    return app
