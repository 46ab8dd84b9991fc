"""The alerter's faust agents with ``agent.test_context()`` (no broker), one stage at a time.

Outbound topics are replaced by recording sinks and the tables by dicts (the tables' changelogs
need a broker; the integration tests run them for real).
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

import wirestream
from alerter.conftest import event
from wirestream.alerter.agents import AlerterService
from wirestream.alerter.app import create_service
from wirestream.alerter.rules import parse_rules
from wirestream.alerter.settings import AlerterSettings
from wirestream.core import jsonio
from wirestream.core.contracts import AlertRecord, DeadLetter
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.recording import RecordingTopic
from wirestream.testkit.waiting import async_wait_until
from wirestream.testkit.webhooks import WebhookReceiver
from wirestream_contracts import headers as wire_headers

URL_TOKEN = "qtok-5a4b3c"
RULES = """\
rules:
  - name: casualties
    severity: high
    match: {kind: event, event_type: ASSAULT, casualties_at_least: 1}
    webhooks: ["URL"]
  - name: cluster
    severity: critical
    match: {kind: event, event_type: ASSAULT}
    window: {count: 3, within: 1h}
    group_by: place
"""


@pytest.fixture
def hook() -> Iterator[tuple[WebhookReceiver, str]]:
    with WebhookReceiver(ok_status=200, failure_status=503) as rec:
        # A token in the query, as some receivers want: it must never reach a log or dead letter.
        yield rec, rec.url(f"/hook?token={URL_TOKEN}")


@pytest.fixture
async def service(hook: tuple[WebhookReceiver, str]) -> AsyncIterator[AlerterService]:
    settings = AlerterSettings(
        web_port=6998,
        webhook_allowlist=["127.0.0.1"],
        webhook_allow_networks=[ipaddress.ip_network("127.0.0.0/8")],
        webhook_retries=2,
        webhook_secret="k",
    )
    rules = parse_rules(RULES.replace("URL", hook[1]))
    svc = create_service(settings, KafkaSettings(topic_prefix="test-alerter."), rules)
    app = svc.app
    app.loop = asyncio.get_running_loop()
    app.finalize()
    app.flow_control.resume()
    svc.sinks = {name: RecordingTopic() for name in svc.sinks}
    svc.windows, svc.suppressed = {}, {}

    async def no_sleep(delay: float) -> None:
        return None

    svc.sleep = no_sleep
    yield svc
    if svc.session is not None:
        await svc.session.close()


def sent(svc: AlerterService, name: str) -> list[tuple[bytes | None, bytes]]:
    sink = svc.sinks[name]
    assert isinstance(sink, RecordingTopic)
    return sink.sent


async def wait_for(condition: Any, timeout: float = 20.0) -> None:
    await async_wait_until("the agent", condition, timeout, interval=0.02)


async def test_match_then_evaluate_then_deliver(
    service: AlerterService, hook: tuple[WebhookReceiver, str], seed_records: list[dict[str, Any]]
) -> None:
    records = [*seed_records, *(event(i) for i in range(3))]
    async with service.match_agent.test_context() as agent:
        for record in records:
            await agent.put(jsonio.dumps(record), key=record["article_id"].encode())
        await agent.put(b"not json")
        await wait_for(lambda: service.skipped == 1)
    hits = sent(service, "hits")
    assert service.skipped == 1
    assert {json.loads(v)["rule"] for _, v in hits} == {"casualties", "cluster"}
    assert all(
        k == (json.loads(v)["rule"] + "\x1f" + json.loads(v)["group"]).encode() for k, v in hits
    )

    async with service.evaluate_agent.test_context() as agent:
        for _, value in hits:
            await agent.put(value)
        await wait_for(lambda: len(sent(service, "alerts")) == 2)
    alerts = [AlertRecord.model_validate_json(v) for _, v in sent(service, "alerts")]
    assert sorted(a.rule for a in alerts) == ["casualties", "cluster"]
    cluster = next(a for a in alerts if a.rule == "cluster")
    assert cluster.record_ids == ["evt_0", "evt_1", "evt_2"] and cluster.window_key == "Kharkiv"
    sink = service.sinks["alerts"]
    assert isinstance(sink, RecordingTopic)
    for headers in sink.headers:
        assert wire_headers.as_text(headers) == {
            "content-type": "application/json",
            "wirestream-kind": "alert",
            "wirestream-schema-version": "1",
            "wirestream-producer": f"alerter/{wirestream.__version__}",
        }

    receiver, _ = hook
    receiver.failures = 2
    async with service.deliver_agent.test_context() as agent:
        for key, value in sent(service, "alerts"):
            await agent.put(value, key=key)
        await wait_for(lambda: receiver.received)
    casualty = next(v for _, v in sent(service, "alerts") if b'"rule":"casualties"' in v)
    assert [hit.body for hit in receiver.received] == [casualty]  # the cluster rule has no webhook
    assert sent(service, "dlq") == [] and service.delivered == 1
    metrics = service.metrics.render().decode()
    assert 'wirestream_alerter_alerts_total{rule="cluster",severity="critical"} 1.0' in metrics
    assert 'wirestream_alerter_webhook_deliveries_total{outcome="delivered"} 1.0' in metrics


async def test_failed_delivery_is_dead_lettered(
    service: AlerterService, hook: tuple[WebhookReceiver, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver, _ = hook
    receiver.failures = 10
    alert = AlertRecord(
        id="alr_x",
        rule="casualties",
        severity="high",
        summary="s",
        record_ids=["evt_1"],
        article_ids=["art_1"],
        fired_at="2024-07-24T15:00:00Z",
    )
    async with service.deliver_agent.test_context() as agent:
        await agent.put(
            jsonio.dumps(alert),
            key=b"casualties",
            headers=[("traceparent", b"00-t-s-01"), ("other", b"kept in the letter only")],
        )
        await wait_for(lambda: sent(service, "dlq"))
    [(key, value)] = sent(service, "dlq")
    letter = DeadLetter.model_validate_json(value)
    assert [h.key for h in letter.headers] == ["traceparent", "other"]
    sink = service.sinks["dlq"]
    assert isinstance(sink, RecordingTopic)
    (headers,) = sink.headers
    assert wire_headers.as_text(headers)["wirestream-kind"] == "dead_letter"
    assert wire_headers.as_text(headers)["traceparent"] == "00-t-s-01"
    assert "other" not in wire_headers.as_text(headers)
    assert key == b"casualties" and letter.stage == "deliver" and letter.service == "alerter"
    assert "failed after 3 attempts" in letter.error_message
    assert "/hook" in letter.error_message and URL_TOKEN not in letter.error_message
    assert URL_TOKEN not in value.decode(), value.decode()
    assert URL_TOKEN not in caplog.text
    assert "webhook gave up" in caplog.text
    assert AlertRecord.model_validate_json(base64.b64decode(letter.original_b64)) == alert
    assert receiver.received == []
