"""The alerter's three agents, thin around the pure rule engine, and the state they share.

1. :func:`match` reads the record topics, runs :class:`~wirestream.alerter.engine.Matcher` and
   sends each hit to the internal ``<app id>-hits`` topic keyed by ``rule\x1fgroup``.
2. :func:`evaluate` reads the hits and keeps the windows and suppression deadlines in two faust
   tables (``windows``, ``suppressed``), sending every alert to the ``alerts`` topic.
3. :func:`deliver_alerts` reads the ``alerts`` topic and POSTs each alert to its rule's webhooks;
   an alert a webhook never accepted is dead-lettered to ``alerts.dlq`` (stage ``deliver``).

Each agent only decodes, calls and sends: the steps are :class:`AlerterService`'s methods.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import faust
import orjson

import wirestream
from wirestream.alerter.engine import Evaluator, Hit, Matcher
from wirestream.alerter.metrics import AlerterMetrics
from wirestream.alerter.rules import Rule
from wirestream.alerter.webhooks import DeliveryOptions, Policy, deliver, new_session, redact_url
from wirestream.core import jsonio
from wirestream.core.contracts import AlertRecord, DeadLetter
from wirestream.errors import DeliveryError
from wirestream.streaming.deadletters import (
    build_dead_letter,
    encode,
    headers_of_message,
    position_of_message,
)
from wirestream_contracts import headers as wire_headers

logger = logging.getLogger(__name__)


def _headers(
    value: AlertRecord | DeadLetter, carried: list[wire_headers.Header] | None = None
) -> list[wire_headers.Header]:
    """The alerter's headers on a message carrying ``value`` (``wirestream_contracts.headers``)."""
    producer = f"alerter/{wirestream.__version__}"
    return wire_headers.produced_headers(value.kind, value.schema_version, producer, carried or [])


@dataclass
class AlerterService:
    """The built app and what tests reach: agents, tables, the sinks the agents send to."""

    app: faust.App
    rules: list[Rule]
    policy: Policy
    options: DeliveryOptions
    matcher: Matcher
    evaluator: Evaluator
    sinks: dict[str, Any]
    windows: Any
    suppressed: Any
    match_agent: Any = None
    evaluate_agent: Any = None
    deliver_agent: Any = None
    session: aiohttp.ClientSession | None = None
    delivered: int = 0
    dead_lettered: int = 0
    skipped: int = 0
    sleep: Any = field(default=asyncio.sleep)
    metrics: AlerterMetrics = field(default_factory=AlerterMetrics)

    async def on_record(self, value: bytes | None, timestamp_s: float | None) -> int:
        """Step 1 for one message; returns the number of hits sent (none for a tombstone)."""
        if value is None:
            return 0  # a retracted article's tombstone on the articles topic
        try:
            record = orjson.loads(value or b"")
        except orjson.JSONDecodeError:
            record = None
        if not isinstance(record, dict):
            self.skipped += 1
            self.metrics.skipped.inc()
            logger.warning("skipped a message that is not a JSON record")
            return 0
        ts = int((timestamp_s or 0.0) * 1000)
        hits = self.matcher.hits(record, ts)
        for hit in hits:
            self.metrics.hits.labels(hit.rule).inc()
            await self.sinks["hits"].send(key=hit.key.encode(), value=jsonio.dumps(hit.to_dict()))
        return len(hits)

    async def on_hit(self, value: bytes) -> AlertRecord | None:
        """Step 2 for one hit; returns the alert it fired (already sent), if any."""
        hit = Hit.from_dict(orjson.loads(value))
        alert = self.evaluator.on_hit(hit, self.windows, self.suppressed)
        if alert is not None:
            self.metrics.alerts.labels(alert.rule, alert.severity).inc()
            logger.info("alert", extra={"rule": alert.rule, "alert_id": alert.id})
            await self.sinks["alerts"].send(
                key=alert.rule.encode(), value=jsonio.dumps(alert), headers=_headers(alert)
            )
        return alert

    async def on_alert(self, value: bytes, message: Any) -> None:
        """Step 3 for one alert: every webhook of its rule, dead-lettering what fails."""
        alert = AlertRecord.model_validate_json(value)
        rule = next((r for r in self.rules if r.name == alert.rule), None)
        if rule is None or not rule.webhooks:
            return
        if self.session is None:
            self.session = new_session(self.policy)
        for url in rule.webhooks:
            try:
                attempts = await deliver(
                    self.session, self.policy, url, value, alert.id, self.options, sleep=self.sleep
                )
                self.delivered += 1
                self.metrics.deliveries.labels("delivered").inc()
                logger.info(
                    "delivered",
                    extra={"url": redact_url(url), "attempts": attempts, "id": alert.id},
                )
            except DeliveryError as exc:
                self.dead_lettered += 1
                self.metrics.deliveries.labels("dead_letter").inc()
                logger.error(
                    "webhook gave up; dead-lettered",
                    extra={"url": redact_url(url), "error": str(exc)},
                )
                original = headers_of_message(message)
                letter = build_dead_letter(
                    value, exc, "deliver", position_of_message(message), "alerter", headers=original
                )
                await self.sinks["dlq"].send(
                    key=alert.rule.encode(),
                    value=encode(letter),
                    headers=_headers(letter, wire_headers.carried(original)),
                )


# Each agent acks a message by hand once its step has returned: faust's own ack sits in a
# ``finally`` and so also acks a message whose step a stop cancelled or an error ended, which a
# graceful stop then commits (docs/DELIVERY.md, "What faust drops").


async def match(svc: AlerterService, stream: Any) -> None:
    async for event in stream.noack().events():
        await svc.on_record(event.value, event.message.timestamp)
        event.ack()


async def evaluate(svc: AlerterService, stream: Any) -> None:
    async for event in stream.noack().events():
        await svc.on_hit(event.value)
        event.ack()


async def deliver_alerts(svc: AlerterService, stream: Any) -> None:
    try:
        async for event in stream.noack().events():
            await svc.on_alert(event.value, event.message)
            event.ack()
    finally:
        if svc.session is not None:
            await svc.session.close()
            svc.session = None
