"""The live view's HTTP side on a real aiohttp server: page, CSP, token, stream, look-ups."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from liveview_records import XSS_BODY, XSS_NAME, article, entity, event, incident
from wirestream.web.hub import Hub
from wirestream.web.routes import CONTENT_SECURITY_POLICY, TOKEN_COOKIE, LiveRoutes, build_live_app
from wirestream.web.store import LiveStore

TOKEN = "s3cret-token"


def _app(store: LiveStore, hub: Hub, token: str | None) -> Any:
    routes = LiveRoutes(store, hub, page_limit=100, backlog=10)
    return build_live_app(
        routes,
        token=token,
        health=lambda: (True, {"status": "ok"}),
        ready=lambda: (True, {"ready": True}),
        metrics=lambda: b"# nothing\n",
    )


@pytest.fixture
def store() -> LiveStore:
    store = LiveStore(backlog=10, articles=10)
    store.add("article", article("x", title="<b>T</b>", body=XSS_BODY), 1)
    store.add("entity", entity("x", XSS_NAME, XSS_BODY), 2)
    store.add("event", event("x", type_="ASSAULT"), 3)
    store.add("event", event("y", type_="AID"), 4)
    return store


@pytest.fixture
async def client(store: LiveStore) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(_app(store, Hub(), None))) as client:
        yield client


async def read_events(response: Any, until: str) -> list[tuple[str, Any]]:
    """Server-sent events up to and including the first named ``until``."""
    events: list[tuple[str, Any]] = []
    name = None
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode().rstrip("\n")
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: ") and name is not None:
            events.append((name, json.loads(line.removeprefix("data: "))))
            if name == until:
                return events


async def test_every_response_has_the_content_security_policy(client: TestClient[Any, Any]) -> None:
    page = await client.get("/")
    assert page.status == 200
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    html = await page.text()
    assert "<script>" not in html and "style=" not in html  # no inline script or style
    script = await client.get("/static/main.js")
    assert script.status == 200 and script.headers["X-Content-Type-Options"] == "nosniff"
    missing = await client.get("/api/articles/nope")
    assert missing.status == 404 and "Content-Security-Policy" in missing.headers


async def test_the_page_code_never_writes_html() -> None:
    from wirestream.web.routes import STATIC_DIR

    for path in STATIC_DIR.glob("*.js"):
        code = path.read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, f"{path.name} uses {sink}"


async def test_the_stream_sends_the_filtered_snapshot_then_what_arrives(
    store: LiveStore,
) -> None:
    hub = Hub()
    async with TestClient(TestServer(_app(store, hub, None))) as client:
        response = await client.get("/api/stream?type=AID")
        assert response.headers["Content-Type"] == "text/event-stream"
        events = await read_events(response, "live")
        assert events[0][0] == "hello" and "ASSAULT" in events[0][1]["event_types"]
        items = [i for name, data in events if name == "items" for i in data]
        assert [(i["kind"], i["article_id"]) for i in items] == [("article", "x"), ("event", "y")]
        hub.publish(
            [
                item
                for item in (
                    store.add("event", event("z", type_="ASSAULT"), 5),
                    store.add("event", event("w", type_="AID"), 6),
                )
                if item is not None
            ]
        )
        (name, data), *_ = await read_events(response, "items")
        assert name == "items" and [i["article_id"] for i in data] == ["w"]
        bad = await client.get("/api/stream?country=Ukraine")
        assert bad.status == 400


async def test_article_and_record_look_ups(client: TestClient[Any, Any]) -> None:
    view = await (await client.get("/api/articles/x")).json()
    assert view["article"]["title"] == "<b>T</b>"
    assert [e["name"] for e in view["entities"]] == [XSS_NAME]
    record = await client.get("/api/records/event/evt-x-0?article_id=x")
    assert (await record.json())["type"] == "ASSAULT"
    assert (await client.get("/api/records/event/nope")).status == 404


async def test_with_a_token_every_request_but_the_operational_views_needs_it(
    store: LiveStore,
) -> None:
    async with TestClient(TestServer(_app(store, Hub(), TOKEN))) as client:
        for path in ("/", "/static/main.js", "/api/stream", "/api/articles/x"):
            assert (await client.get(path)).status == 401, path
        for path in ("/health", "/ready", "/metrics"):
            assert (await client.get(path)).status == 200, path
        assert (await client.get("/?token=wrong")).status == 401
        bearer = await client.get("/api/articles/x", headers={"Authorization": f"Bearer {TOKEN}"})
        assert bearer.status == 200
        first = await client.get(f"/?token={TOKEN}&x=1", allow_redirects=False)
        assert first.status == 303 and first.headers["Location"] == "/?x=1"
        cookie = first.cookies[TOKEN_COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        # the client keeps the cookie: the page, its files and the stream now answer
        assert (await client.get("/")).status == 200
        assert (await client.get("/static/style.css")).status == 200
        stream = await client.get("/api/stream")
        assert stream.status == 200
        stream.close()


async def test_an_incident_is_looked_up_by_its_id(store: LiveStore) -> None:
    record = incident("odesa")
    store.add("incident", record, 5)
    async with TestClient(TestServer(_app(store, Hub(), None))) as client:
        found = await client.get(f"/api/records/incident/{record['id']}")
        assert found.status == 200 and (await found.json()) == record
        missing = await client.get("/api/records/incident/inc_000")
        assert missing.status == 404
