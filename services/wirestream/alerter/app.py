"""``wirestream worker alerter``: the faust app of the alerter's three thin agents (:mod:`.agents`).

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

Topics: :mod:`.topics`. Web views on ``WIRESTREAM_ALERTER_WEB_PORT`` (default 6068): ``/health``
and ``/ready`` (:mod:`.web`) and ``/metrics`` (Prometheus). :func:`main` goes through the shared
start-up (:class:`~wirestream.streaming.service.Startup`: ``--web-port``, ``--log-level``, and
``--check``).
"""

from __future__ import annotations

import argparse
import asyncio
from functools import partial

from aiokafka.admin import NewTopic

from wirestream.alerter import agents, web
from wirestream.alerter.agents import AlerterService
from wirestream.alerter.engine import Evaluator, Matcher
from wirestream.alerter.rules import Rule, check_webhooks, load_rules
from wirestream.alerter.settings import AlerterSettings
from wirestream.alerter.topics import HITS_PARTITIONS, declare, provisioned
from wirestream.alerter.webhooks import DeliveryOptions, Policy
from wirestream.streaming.faustapp import build_app, run_worker, serve_views
from wirestream.streaming.fausthooks import mark_contiguous
from wirestream.streaming.provision import ensure_new_topics, faust_new_topics
from wirestream.streaming.service import Startup
from wirestream.streaming.settings import KafkaSettings


def _add_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="validate the rules file and exit (status 2 if bad)"
    )


STARTUP = Startup(
    "alerter",
    AlerterSettings,
    topics=lambda settings: provisioned(),
    add_arguments=_add_check,
    log_extra=lambda settings: {"settings": str(settings)},
)


def policy_of(settings: AlerterSettings) -> Policy:
    return Policy(tuple(settings.webhook_allowlist), tuple(settings.webhook_allow_networks))


def load_checked_rules(settings: AlerterSettings) -> list[Rule]:
    """The rules file, validated, with every webhook checked against the allowlist."""
    path = settings.rules_file
    rules = load_rules(path)
    policy = policy_of(settings)
    check_webhooks(rules, path.read_text("utf-8"), str(path), policy.check_url)
    return rules


def delivery_options(settings: AlerterSettings) -> DeliveryOptions:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    return DeliveryOptions(
        timeout=settings.webhook_timeout,
        retries=settings.webhook_retries,
        backoff=settings.webhook_backoff,
        backoff_max=settings.webhook_backoff_max,
        secret=secret,
    )


def create_service(
    settings: AlerterSettings, kafka: KafkaSettings, rules: list[Rule]
) -> AlerterService:
    """Build the faust app and its agents (not started)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(settings.group_id, kafka, data_dir=settings.data_dir / settings.group_id)
    topics = declare(app, kafka, rules)
    mark_contiguous(app, topics.hits.get_topic_name())  # match's own, not transactional
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
    svc = AlerterService(
        app=app,
        rules=rules,
        policy=policy_of(settings),
        options=delivery_options(settings),
        matcher=Matcher(rules),
        evaluator=Evaluator(rules),
        sinks={"hits": topics.hits, "alerts": topics.alerts, "dlq": topics.dead_letters},
        windows=windows,
        suppressed=suppressed,
    )
    svc.match_agent = app.agent(topics.records, name="match")(partial(agents.match, svc))
    svc.evaluate_agent = app.agent(topics.hits, name="evaluate")(partial(agents.evaluate, svc))
    svc.deliver_agent = app.agent(topics.alerts, name="deliver")(
        partial(agents.deliver_alerts, svc)
    )
    serve_views(
        app,
        settings,
        health=partial(web.health, svc),
        ready=partial(web.ready, svc, topics.served()),
        metrics=svc.metrics.render,
    )
    return svc


def internal_topics(svc: AlerterService, kafka: KafkaSettings) -> list[NewTopic]:
    """faust's own topics of the alerter (the hits topic, the tables' changelogs), created up
    front (:func:`~wirestream.streaming.provision.faust_new_topics` says why)."""
    internal = (svc.sinks["hits"], svc.windows.changelog_topic, svc.suppressed.changelog_topic)
    return faust_new_topics(svc.app, kafka, internal)


def main(argv: list[str] | None = None) -> int:
    """Validate the rules (failing fast, with the line), then run the alerter until stopped."""
    started = STARTUP.begin(argv, json_logs=lambda args: not args.check)
    settings = started.settings
    rules = load_checked_rules(settings)
    if started.args.check:
        print(f"{settings.rules_file}: {len(rules)} rules OK")
        return 0
    kafka = STARTUP.connect(settings)
    svc = create_service(settings, kafka, rules)
    asyncio.run(ensure_new_topics(kafka, internal_topics(svc, kafka)))
    return run_worker(svc.app, log_level=settings.log_level)
