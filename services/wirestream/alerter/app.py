"""``wirestream worker alerter``: three thin faust agents around the pure rule engine.

1. ``match`` reads the article, entity, quote, event and incident topics (only those some rule
   is about),
   runs :class:`~wirestream.alerter.engine.Matcher` and sends each hit to the internal topic
   ``<app id>-hits`` keyed by ``rule\\x1fgroup`` - so each rule+group is owned by one partition.
2. ``evaluate`` reads the hits and keeps the windows and suppression deadlines in two faust tables
   (``windows``, ``suppressed``; changelogged, recovered on restart), sending every alert to the
   ``alerts`` topic (AlertRecord, keyed by rule name).
3. ``deliver`` reads the ``alerts`` topic and POSTs each alert to its rule's webhooks (timeouts,
   retries with exponential backoff, HMAC signature); an alert a webhook never accepted is
   dead-lettered to ``alerts.dlq`` (DeadLetter, stage ``deliver``, the alert's bytes).

faust acks an event when the agent moves past it and commits acked offsets, so each stage is
at-least-once: a crash re-delivers, with the same (deterministic) alert id for receivers to drop
repeats (``X-Wirestream-Alert-Id``). Records that are not JSON objects are logged and skipped: they
are the extractor's output, already validated there.

Web views on ``WIRESTREAM_ALERTER_WEB_PORT`` (default 6068): ``/health`` (the process is up),
``/ready`` (partitions assigned, tables recovered, not rebalancing: 200, else 503), ``/metrics``
(Prometheus) and ``/alerter/`` (delivery counts).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import faust
import orjson
from aiokafka.admin import NewTopic

import wirestream
from wirestream.alerter.engine import Evaluator, Hit, Matcher
from wirestream.alerter.metrics import AlerterMetrics
from wirestream.alerter.rules import Rule, check_webhooks, load_rules
from wirestream.alerter.settings import AlerterSettings
from wirestream.alerter.webhooks import DeliveryOptions, Policy, deliver, new_session, redact_url
from wirestream.core import jsonio
from wirestream.core.contracts import AlertRecord, DeadLetter
from wirestream.errors import DeliveryError
from wirestream.logs import configure
from wirestream.streaming.deadletters import (
    build_dead_letter,
    encode,
    headers_of_message,
    position_of_message,
)
from wirestream.streaming.faustapp import build_app, run_worker, serve_views
from wirestream.streaming.provision import ensure_new_topics, ensure_topics
from wirestream.streaming.readiness import group_readiness
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import ALERT_DEAD_LETTERS, ALERTS, INCIDENTS, RECORD_TOPICS
from wirestream_contracts import headers as wire_headers

logger = logging.getLogger(__name__)

RULE_TOPICS = {**RECORD_TOPICS, "incident": INCIDENTS}
"""The topic of each record kind a rule can be about (incidents from the incident stage)."""
HITS_PARTITIONS = 4
"""Partitions of the internal hits topic (and so of the tables' changelogs)."""


def policy_of(settings: AlerterSettings) -> Policy:
    return Policy(tuple(settings.webhook_allowlist), tuple(settings.webhook_allow_networks))


def load_checked_rules(settings: AlerterSettings) -> list[Rule]:
    """The rules file, validated, with every webhook checked against the allowlist."""
    path = settings.rules_file
    rules = load_rules(path)
    policy = policy_of(settings)
    check_webhooks(rules, path.read_text("utf-8"), str(path), policy.check_url)
    return rules


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


def create_service(
    settings: AlerterSettings, kafka: KafkaSettings, rules: list[Rule]
) -> AlerterService:
    """Build the faust app and its agents (not started)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(
        settings.group_id,
        kafka,
        data_dir=settings.data_dir / settings.group_id,
    )
    kinds = sorted({r.match.kind for r in rules})
    record_topic = app.topic(
        *[RULE_TOPICS[k].name(kafka) for k in kinds], value_serializer="raw", key_serializer="raw"
    )
    hits_topic = app.topic(
        f"{app.conf.id}-hits",
        internal=True,
        partitions=HITS_PARTITIONS,
        key_serializer="raw",
        value_serializer="raw",
    )
    alerts_topic = app.topic(ALERTS.name(kafka), key_serializer="raw", value_serializer="raw")
    dlq_topic = app.topic(
        ALERT_DEAD_LETTERS.name(kafka), key_serializer="raw", value_serializer="raw"
    )
    # No key_type/value_type: keys and values go through faust's JSON codec as plain data. (A
    # builtin such as ``list`` as value_type breaks changelog recovery: faust calls
    # ``list.from_data`` on every restored value; the restart integration test caught it.)
    windows = app.Table(
        "windows",
        partitions=HITS_PARTITIONS,
        help="Per rule+group: [timestamp ms, record id, article id, summary] in the window.",
    )
    suppressed = app.Table(
        "suppressed",
        partitions=HITS_PARTITIONS,
        help="Per rule+group: the timestamp (ms) until which the rule stays quiet.",
    )
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    svc = AlerterService(
        app=app,
        rules=rules,
        policy=policy_of(settings),
        options=DeliveryOptions(
            timeout=settings.webhook_timeout,
            retries=settings.webhook_retries,
            backoff=settings.webhook_backoff,
            backoff_max=settings.webhook_backoff_max,
            secret=secret,
        ),
        matcher=Matcher(rules),
        evaluator=Evaluator(rules),
        sinks={"hits": hits_topic, "alerts": alerts_topic, "dlq": dlq_topic},
        windows=windows,
        suppressed=suppressed,
    )

    async def match(stream: Any) -> None:
        async for event in stream.events():
            await svc.on_record(event.value, event.message.timestamp)

    async def evaluate(stream: Any) -> None:
        async for value in stream:
            await svc.on_hit(value)

    async def deliver_alerts(stream: Any) -> None:
        try:
            async for event in stream.events():
                await svc.on_alert(event.value, event.message)
        finally:
            if svc.session is not None:
                await svc.session.close()
                svc.session = None

    svc.match_agent = app.agent(record_topic, name="match")(match)
    svc.evaluate_agent = app.agent(hits_topic, name="evaluate")(evaluate)
    svc.deliver_agent = app.agent(alerts_topic, name="deliver")(deliver_alerts)

    served = {*record_topic.topics, hits_topic.get_topic_name(), alerts_topic.get_topic_name()}

    def health() -> tuple[bool, dict[str, Any]]:
        return True, {"status": "ok"}

    def ready() -> tuple[bool, dict[str, Any]]:
        ok, body = group_readiness(app, served)
        counts = {"delivered": svc.delivered, "dead_lettered": svc.dead_lettered}
        return ok, {**body, **counts, "skipped": svc.skipped}

    serve_views(
        app,
        health=health,
        ready=ready,
        metrics=svc.metrics.render,
        bind=settings.web_bind,
        port=settings.web_port,
    )

    return svc


def main(argv: list[str] | None = None) -> int:
    """Validate the rules (failing fast, with the line), then run the alerter until stopped."""
    parser = argparse.ArgumentParser(prog="wirestream worker alerter")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--web-port", type=int, help="overrides WIRESTREAM_ALERTER_WEB_PORT")
    parser.add_argument(
        "--check", action="store_true", help="validate the rules file and exit (status 2 if bad)"
    )
    args = parser.parse_args(argv or [])
    configure(args.log_level, json=not args.check)
    settings = AlerterSettings.from_env()
    rules = load_checked_rules(settings)
    if args.check:
        print(f"{settings.rules_file}: {len(rules)} rules OK")
        return 0
    kafka = KafkaSettings.from_env()
    logger.info(
        "starting the alerter",
        extra={"settings": str(settings), "rules": len(rules), "kafka": kafka.describe()},
    )
    asyncio.run(ensure_topics(kafka, [*RULE_TOPICS.values(), ALERTS, ALERT_DEAD_LETTERS]))
    if args.web_port is not None:
        settings = settings.model_copy(update={"web_port": args.web_port})
    svc = create_service(settings, kafka, rules)
    asyncio.run(ensure_new_topics(kafka, internal_topics(svc, kafka)))
    return run_worker(svc.app, log_level=args.log_level)


def internal_topics(svc: AlerterService, kafka: KafkaSettings) -> list[NewTopic]:
    """faust's own topics of the alerter (the hits topic, the tables' changelogs) as faust would
    declare them. faust declares them itself only while its consumer joins the group, so on a
    fresh broker the first assignment could miss them and no hit was evaluated until the next
    metadata refresh, 5 minutes later (seen in the compose stack); created up front, they are
    there for the first assignment."""
    topics = []
    for topic in (svc.sinks["hits"], svc.windows.changelog_topic, svc.suppressed.changelog_topic):
        config = {k: str(v) for k, v in (topic.config or {}).items()}
        policy = [
            flag for flag, on in (("compact", topic.compacting), ("delete", topic.deleting)) if on
        ]
        if policy:
            config.setdefault("cleanup.policy", ",".join(policy))
        if topic.retention:
            config.setdefault("retention.ms", str(int(topic.retention * 1000)))
        topics.append(
            NewTopic(
                name=topic.get_topic_name(),
                num_partitions=topic.partitions or svc.app.conf.topic_partitions,
                replication_factor=topic.replicas or kafka.replication_factor,
                topic_configs=config,
            )
        )
    return topics
