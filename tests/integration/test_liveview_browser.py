"""The live view in a real browser (Debian's chromium driven by Playwright) against the broker.

What a person at the page would see: the first paint shows what the topics already hold; an
article published with ``wirestream publish`` reaches the feed within 5 s of being sent, with its
marker on the map; a type filter hides other events, also those that arrive afterwards; the
article view highlights the seed's entity, quote and event spans and greys its noise; an article
whose title, body and entity names carry ``<script>`` and ``<img onerror>`` is shown as text; an
incident on the incidents topic appears in the feed and on the map, obeys the filters, opens its
record, leaves when merged, and shows its names as text; the
page comes back by itself after the service or the broker restarts; 10,000 events do not freeze
it; records of aborted transactions never reach it. Screenshots go to ``var/liveview/``.

Chromium comes from the project's own install step (``deploy/images/install-host-tools.sh``,
run by ``make test``); without it these tests fail saying so, they never skip.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from liveview_records import XSS_BODY, XSS_NAME, XSS_TITLE, article, entity, event, incident
from wirestream.core import jsonio
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import BY_KEY
from wirestream.testkit.net import free_port
from wirestream.testkit.workers import WorkerProcess, start_workers

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "data" / "seed_article.json"
SHOTS = ROOT / "var" / "liveview"
FEED_WITHIN = 5.0
"""Seconds from ``wirestream publish`` returning to the article's event in the feed."""

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")


def chromium_path() -> str:
    found = os.environ.get("WIRESTREAM_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(
            "chromium is not installed: the live view's browser tests drive Debian's chromium. "
            "Install it with deploy/images/install-host-tools.sh (as root; `make test` runs it) "
            "or `apt-get install chromium`, or set WIRESTREAM_CHROMIUM to a Chromium binary",
            pytrace=False,
        )
    return found


def wirestream(kafka: KafkaSettings, *args: str, timeout: float = 120) -> float:
    """Run a ``wirestream`` command against ``kafka``; the monotonic time it returned."""
    env = dict(os.environ, **kafka.environment())
    subprocess.run(
        [sys.executable, "-m", "wirestream.cli", *args], env=env, check=True, timeout=timeout
    )
    return time.monotonic()


def send(kafka: KafkaSettings, topic: str, records: list[dict[str, Any]], tmp: Path) -> float:
    """Produce ``records`` to a record topic keyed by article id, as the extractor does (an
    incident by its id, as the incident stage does; no transaction: read_committed readers see
    them as they are); the monotonic time when acked."""

    async def produce() -> None:
        producer = AIOKafkaProducer(**kafka.client_options(), acks="all")
        await producer.start()
        try:
            name = BY_KEY[topic].name(kafka)
            batch = [
                await producer.send(
                    name, jsonio.dumps(r), key=str(r.get("article_id") or r["id"]).encode()
                )
                for r in records
            ]
            await asyncio.gather(*batch)
        finally:
            await producer.stop()

    # Playwright's sync API keeps an event loop in this thread: produce from another one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, produce()).result(timeout=60)
    return time.monotonic()


def start_web(
    kafka: KafkaSettings,
    tmp: Path,
    webs: list[WorkerProcess],
    extractor_group: str = "extractor",
    **extra: str,
) -> WorkerProcess:
    env = dict(os.environ, **kafka.environment())
    env.update(
        {"WIRESTREAM_WEB_EXTRACTOR_GROUP": extractor_group, "WIRESTREAM_WEB_STATS_INTERVAL": "1"}
    )
    env.update(extra)
    web = WorkerProcess(free_port(), env, tmp / "web.log", service="web").start()
    webs.append(web)
    web.wait_ready(90)
    return web


@pytest.fixture
def webs() -> Iterator[list[WorkerProcess]]:
    """Live view processes a test starts; each is stopped at the end."""
    started: list[WorkerProcess] = []
    yield started
    for web in started:
        web.stop(timeout=20)


@pytest.fixture
def browser() -> Iterator[Any]:
    executable = chromium_path()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


def open_page(browser: Any, port: int, errors: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.goto(f"http://127.0.0.1:{port}/")
    wait_live(page)
    return page


def wait_live(page: Any, timeout: float = 30) -> None:
    page.wait_for_selector("#status.status-live", timeout=timeout * 1000)


def row(article_id: str) -> str:
    return f'#feed .row[data-article-id="{article_id}"]'


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def api(port: int, path: str) -> Any:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return json.loads(response.read())


def check_filters(
    page: Any, kafka: KafkaSettings, port: int, seed_id: str, before: str, tmp_path: Path
) -> None:
    """Type, country, entity and time filters: on what is shown and on what arrives next."""
    # a type filter hides other events, those already shown and those arriving next
    view = api(port, f"/api/articles/{seed_id}")
    seed_types = sorted({e["type"] for e in view["events"]})
    assert seed_types and "PROTEST" not in seed_types, seed_types
    wanted = seed_types[0]
    page.select_option("#f-type", wanted)
    page.wait_for_function(
        "([t, a]) => { const rows = [...document.querySelectorAll('#feed .row')];"
        " return rows.length > 0 && rows.every(r => r.dataset.type === t)"
        " && rows.some(r => r.dataset.articleId === a); }",
        arg=[wanted, seed_id],
        timeout=10_000,
    )
    wait_live(page)
    after = "after-filter"
    send(
        kafka,
        "events",
        [event(after, index=0, type_="PROTEST"), event(after, index=1, type_=wanted)],
        tmp_path,
    )
    page.wait_for_selector(f'{row(after)}[data-type="{wanted}"]', timeout=10_000)
    assert page.locator(f'{row(after)}[data-type="PROTEST"]').count() == 0
    assert page.locator(row(before)).count() == 0
    page.click("#f-clear")
    page.wait_for_selector(row(before), timeout=10_000)

    # country, entity and time filters
    page.fill("#f-country", "FR")
    only_fr = (
        "() => { const rows = [...document.querySelectorAll('#feed .row')];"
        " return rows.length > 0 && rows.every(r => r.querySelector('.place')"
        " && r.querySelector('.place').textContent.endsWith(', FR')); }"
    )
    page.wait_for_function(only_fr, timeout=10_000)
    page.fill("#f-country", "")
    page.fill("#f-entity", "kuleba")
    page.wait_for_function(
        "() => { const rows = [...document.querySelectorAll('#feed .row')];"
        " return rows.length > 0 && rows.every(r => r.textContent.includes('Kuleba')); }",
        timeout=10_000,
    )
    page.fill("#f-entity", "")
    page.fill("#f-since", "2099-01-01T00:00:00")
    page.wait_for_function(
        "() => document.getElementById('feed-count').textContent === '0 events'", timeout=10_000
    )
    page.click("#f-clear")
    page.wait_for_selector(row(seed_id), timeout=10_000)


def check_article_view(page: Any, port: int, seed_id: str) -> None:
    """The seed's spans highlighted as its records give them, noise greyed; the speakers view."""
    view = api(port, f"/api/articles/{seed_id}")
    # the article view highlights the seed's spans as the records give them
    page.locator(row(seed_id)).first.click()
    page.wait_for_selector(f'#tab-article[data-article-id="{seed_id}"] .article-body')
    marks = page.evaluate(
        "() => [...document.querySelectorAll('#tab-article .article-body .mark')]"
        ".map(m => ({kinds: m.dataset.kinds, id: m.dataset.recordId || null, text: m.textContent}))"
    )
    body = view["article"]["body"]
    want_entities = {
        e["id"] for e in view["entities"] if any(m["field"] == "body" for m in e["mentions"])
    }
    got_entities = {m["id"] for m in marks if m["kinds"].split()[0] == "entity"}
    assert got_entities == want_entities
    got_quotes = {m["id"] for m in marks if m["kinds"].split()[0] == "quote"}
    assert got_quotes <= {q["id"] for q in view["quotes"]} and got_quotes
    got_events = {m["id"] for m in marks if m["kinds"].split()[0] == "event"}
    assert got_events == {e["id"] for e in view["events"] if e["trigger"]["field"] == "body"}
    noise = [n for n in view["article"]["noise"] if n["span"]["field"] == "body"]
    assert noise, "the seed article has boilerplate the cleaner sets aside"
    greyed = "".join(m["text"] for m in marks if "noise" in m["kinds"].split())
    assert greyed == "".join(body[n["span"]["start"] : n["span"]["end"]] for n in noise)
    text = page.inner_text("#tab-article .article-body").replace("\n", "")
    assert "Dmitry Peskov" in text
    page.locator("#tab-article .article-body .mark.k-event").first.click()
    record = json.loads(page.inner_text("#record-json"))
    assert record["kind"] == "event" and record["article_id"] == seed_id
    page.click('.tab[data-tab="article"]')
    shot(page, "article")

    # the speakers view groups the seed's quotes by speaker
    page.click('.tab[data-tab="speakers"]')
    page.wait_for_selector("#tab-speakers .speaker")
    speakers = page.locator("#tab-speakers .speaker-name").all_inner_texts()
    assert any("Peskov" in s for s in speakers), speakers
    shot(page, "speakers")


def check_xss(page: Any, kafka: KafkaSettings, tmp_path: Path) -> None:
    """Title, body and entity names with markup are shown as text; nothing is executed: records
    made to carry it everywhere, and an article through the extractor."""
    extracted = tmp_path / "xss-extracted.json"
    extracted.write_text(
        json.dumps(
            {
                "id": "xss-extracted",
                "title": XSS_TITLE,
                "body": f"KYIV (Reuters) - {XSS_BODY} Russian drones attacked Odesa overnight, "
                "killing at least three people, Ukrainian President Volodymyr Zelenskyy said.",
                "source": '<img src=x onerror="window.__xss=3">',
                "language": "en",
            }
        ),
        "utf-8",
    )
    wirestream(kafka, "publish", "--no-progress", str(extracted))
    page.wait_for_selector(row("xss-extracted"), timeout=10_000)
    page.locator(row("xss-extracted")).first.click()
    page.wait_for_selector('#tab-article[data-article-id="xss-extracted"] .article-body .mark')
    assert page.inner_text("#tab-article .article-title").startswith("<script>")
    assert '<img src=x onerror="window.__xss=3">' in page.inner_text("#tab-article .article-meta")
    assert page.evaluate("() => document.querySelectorAll('img, main script').length") == 0

    xss = "xss-article"
    send(kafka, "articles", [article(xss, title=XSS_TITLE, body=XSS_BODY)], tmp_path)
    send(kafka, "entities", [entity(xss, XSS_NAME, XSS_BODY)], tmp_path)
    send(kafka, "events", [event(xss, type_="ASSAULT", actor=XSS_NAME)], tmp_path)
    page.wait_for_selector(row(xss), timeout=10_000)
    assert XSS_NAME in page.locator(row(xss)).inner_text()
    page.locator(row(xss)).click()
    page.wait_for_selector(f'#tab-article[data-article-id="{xss}"] .article-body')
    assert page.inner_text("#tab-article .article-title").startswith("<script>")
    assert XSS_NAME in page.inner_text("#tab-article .article-body")
    assert page.locator(f'#tab-article .mark.k-entity[data-record-id="ent-{xss}-0"]').count() == 1
    assert page.evaluate("() => document.querySelectorAll('img, main script').length") == 0
    assert page.evaluate("() => window.__xss === undefined")
    shot(page, "xss")


def check_incidents(page: Any, kafka: KafkaSettings, port: int, tmp_path: Path) -> None:
    """An incident in the feed and on the map, under the filters, its record, gone when merged;
    an incident whose names carry markup shows them as text."""
    record = incident("odesa-inc")
    send(kafka, "incidents", [record], tmp_path)
    row_of = f'#feed .row[data-kind="incident"][data-id="{record["id"]}"]'
    page.wait_for_selector(row_of, timeout=10_000)
    text = page.locator(row_of).inner_text()
    for part in ("incident", "ASSAULT", "Odesa, UA", "killed 5 (5–5, 3 reports)", "Russia"):
        assert part in text, (part, text)
    assert "3 articles · 3 outlets · independent: AP, Reuters" in text
    marker = f'#map circle.marker-incident[data-id="{record["id"]}"]'
    page.wait_for_selector(marker, timeout=5000)
    # the filters apply to incidents: another type or country hides it, its own shows it
    page.fill("#f-country", "FR")
    page.wait_for_selector(row_of, state="detached", timeout=10_000)
    page.fill("#f-country", "UA")
    page.wait_for_selector(row_of, timeout=10_000)
    page.click("#f-clear")
    page.wait_for_function(  # the unfiltered stream again: the Lyon events are back
        "() => [...document.querySelectorAll('#feed .row .place')]"
        ".some(p => p.textContent.endsWith(', FR'))",
        timeout=10_000,
    )
    wait_live(page)
    page.wait_for_selector(row_of, timeout=10_000)
    # its record, looked up by incident id
    page.locator(row_of).click()
    page.wait_for_function(
        "id => { const r = document.getElementById('record-json');"
        " return r.dataset.kind === 'incident' && r.textContent.includes(id); }",
        arg=record["id"],
        timeout=10_000,
    )
    assert json.loads(page.inner_text("#record-json")) == record
    shot(page, "incident")

    # merged into another: it leaves the feed and the map
    merged = {**record, "status": "merged", "merged_into": "inc_elsewhere"}
    send(kafka, "incidents", [merged], tmp_path)
    page.wait_for_selector(row_of, state="detached", timeout=10_000)
    page.wait_for_selector(marker, state="detached", timeout=5000)

    xss = incident(
        "xss-inc",
        actor=XSS_NAME,
        place=(XSS_TITLE, "UA", 50.45, 30.52),
        outlets=('<img src=x onerror="window.__xss=4">', "<script>window.__xss=5</script>", "C"),
        killed=((2, "exact"), (2, "exact"), (2, "exact")),
    )
    send(kafka, "incidents", [xss], tmp_path)
    xss_row = f'#feed .row[data-id="{xss["id"]}"]'
    page.wait_for_selector(xss_row, timeout=10_000)
    shown = page.locator(xss_row).inner_text()
    assert XSS_NAME in shown and XSS_TITLE in shown and "<script>window.__xss=5</script>" in shown
    page.wait_for_selector(f'#map circle.marker-incident[data-id="{xss["id"]}"]', timeout=5000)
    assert page.evaluate("() => document.querySelectorAll('img, main script').length") == 0
    assert page.evaluate("() => window.__xss === undefined")
    shot(page, "incident-xss")


def test_live_view_in_chromium(
    ws_kafka: KafkaSettings,
    workers: list[WorkerProcess],
    webs: list[WorkerProcess],
    browser: Any,
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    kafka = ws_kafka
    seed = json.loads(SEED.read_text("utf-8"))
    before = "before-start"
    send(
        kafka,
        "articles",
        [article(before, title="Already there", body="Lyon. Dock workers")],
        tmp_path,
    )
    send(kafka, "events", [event(before, type_="PROTEST")], tmp_path)

    app_id = unique_name("extractor")
    workers.extend(start_workers(1, kafka, app_id=app_id, work_dir=tmp_path / "workers"))
    web = start_web(kafka, tmp_path, webs, extractor_group=app_id)
    errors: list[str] = []
    page = open_page(browser, web.web_port, errors)

    # first paint: what the topics held before the service started
    page.wait_for_selector(row(before), timeout=10_000)

    # an article published now reaches the feed, and the map
    sent = wirestream(kafka, "publish", "--no-progress", str(SEED))
    page.wait_for_selector(row(seed["id"]), timeout=FEED_WITHIN * 1000)
    took = time.monotonic() - sent
    print(f"seed article in the feed {took:.2f}s after wirestream publish returned")
    assert took <= FEED_WITHIN
    page.wait_for_selector(f'#map circle.marker[data-article-id="{seed["id"]}"]', timeout=5000)
    page.wait_for_function("() => document.querySelector('#map svg').dataset.countries > 100")
    # the stream strip: the extractor's group has committed everything it read
    page.wait_for_function(
        "() => { const lag = document.querySelector('#strip .strip-lag');"
        " return lag && /p0 0 · p1 0 · p2 0 · p3 0$/.test(lag.textContent); }",
        timeout=15_000,
    )
    assert app_id in page.inner_text("#strip .strip-lag")
    shot(page, "live-view")
    check_filters(page, kafka, web.web_port, seed["id"], before, tmp_path)
    check_article_view(page, web.web_port, seed["id"])
    check_xss(page, kafka, tmp_path)
    check_incidents(page, kafka, web.web_port, tmp_path)
    assert not errors, errors


def test_live_view_comes_back_after_restarts(
    ws_kafka: KafkaSettings,
    broker: Any,
    webs: list[WorkerProcess],
    browser: Any,
    tmp_path: Path,
) -> None:
    kafka = ws_kafka
    send(kafka, "events", [event("first", type_="ASSAULT")], tmp_path)
    web = start_web(kafka, tmp_path, webs)
    errors: list[str] = []
    page = open_page(browser, web.web_port, errors)
    page.wait_for_selector(row("first"), timeout=10_000)
    send(kafka, "raw_dlq", [{"article_id": "dead", "reason": "test"}] * 3, tmp_path)
    page.wait_for_function(
        "() => (document.querySelector('#strip .strip-dlq') || {}).textContent"
        " === 'dead letters 3'",
        timeout=15_000,
    )

    web.stop()
    page.wait_for_selector("#status.status-reconnecting", timeout=10_000)
    web = WorkerProcess(web.web_port, web.env, tmp_path / "web-2.log", service="web").start()
    webs.append(web)
    web.wait_ready(90)
    wait_live(page, timeout=30)
    page.wait_for_selector(row("first"), timeout=10_000)

    broker.stop()
    broker.start()
    send(kafka, "events", [event("after-broker", type_="AID")], tmp_path)
    page.wait_for_selector(row("after-broker"), timeout=60_000)
    assert [e for e in errors if "stream" not in e and "ERR_CONNECTION_REFUSED" not in e] == []


def test_ten_thousand_events_do_not_freeze_the_page(
    ws_kafka: KafkaSettings, webs: list[WorkerProcess], browser: Any, tmp_path: Path
) -> None:
    kafka = ws_kafka
    count = 10_000
    places = [
        ("Lyon", "FR", 45.75, 4.85),
        ("Odesa", "UA", 46.48, 30.74),
        ("Quito", "EC", -0.22, -78.5),
    ]
    types = ["PROTEST", "ASSAULT", "AID", "CONSULT"]
    records = [
        event(f"bulk-{i // 10}", index=i, type_=types[i % 4], place=places[i % 3])
        for i in range(count)
    ]
    send(kafka, "events", records, tmp_path)
    web = start_web(kafka, tmp_path, webs, WIRESTREAM_WEB_BACKLOG=str(count))
    errors: list[str] = []
    started = time.monotonic()
    page = open_page(browser, web.web_port, errors)
    page.wait_for_function(
        f"() => document.getElementById('feed-count').textContent === '{count} events'",
        timeout=30_000,
    )
    loaded = time.monotonic() - started
    assert page.locator("#feed .row").count() < 100, "the feed is not virtualised"
    # scroll through the list: each scroll is rendered within a frame or two
    worst = page.evaluate(
        """async () => {
            const feed = document.getElementById('feed');
            let worst = 0;
            for (const fraction of [0.25, 0.5, 0.75, 1, 0]) {
                const t0 = performance.now();
                feed.scrollTop = fraction * feed.scrollHeight;
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                worst = Math.max(worst, performance.now() - t0);
            }
            return worst;
        }"""
    )
    assert page.locator("#feed .row").count() > 5
    page.wait_for_function("() => Number(document.querySelector('#map svg').dataset.markers) > 100")
    print(f"{count} events: page live in {loaded:.1f}s, worst scroll frame {worst:.0f} ms")
    assert worst < 500, f"a scroll took {worst:.0f} ms to render"
    shot(page, "ten-thousand")
    assert not errors, errors


def test_records_of_aborted_transactions_never_reach_the_page(
    ws_kafka: KafkaSettings, webs: list[WorkerProcess], tmp_path: Path
) -> None:
    """The service reads read_committed: an extractor's aborted batch is never shown."""
    kafka = ws_kafka
    aborted, committed = event("aborted", type_="ASSAULT"), event("committed", type_="AID")

    async def produce() -> None:
        producer = AIOKafkaProducer(
            **kafka.client_options(), transactional_id=f"{kafka.topic_prefix}liveview-test"
        )
        await producer.start()
        try:
            name = BY_KEY["events"].name(kafka)
            for record, commit in ((aborted, False), (committed, True)):
                await producer.begin_transaction()
                await producer.send_and_wait(name, jsonio.dumps(record), key=b"k")
                await (producer.commit_transaction() if commit else producer.abort_transaction())
        finally:
            await producer.stop()

    asyncio.run(produce())
    web = start_web(kafka, tmp_path, webs)  # ready: the topics are read to their end
    assert api(web.web_port, f"/api/records/event/{committed['id']}")["type"] == "AID"
    with pytest.raises(urllib.error.HTTPError) as missing:
        api(web.web_port, f"/api/records/event/{aborted['id']}")
    assert missing.value.code == 404


def test_with_a_token_the_page_opens_once_with_it_and_streams(
    ws_kafka: KafkaSettings, webs: list[WorkerProcess], browser: Any, tmp_path: Path
) -> None:
    """WIRESTREAM_WEB_TOKEN: refused without it; ``/?token=`` once, then the cookie carries the
    page, its files and the stream (EventSource sends it), and the address no longer shows it."""
    kafka = ws_kafka
    send(kafka, "events", [event("tokened", type_="AID")], tmp_path)
    web = start_web(kafka, tmp_path, webs, WIRESTREAM_WEB_TOKEN="t0ken-for-the-test")
    page = browser.new_page()
    refused = page.goto(f"http://127.0.0.1:{web.web_port}/")
    assert refused is not None and refused.status == 401
    page.goto(f"http://127.0.0.1:{web.web_port}/?token=t0ken-for-the-test")
    assert page.url == f"http://127.0.0.1:{web.web_port}/"
    wait_live(page)
    page.wait_for_selector(row("tokened"), timeout=10_000)
