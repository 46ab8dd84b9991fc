"""``wirestream worker incidents``: the faust app of two thin agents around the pure clustering.

1. ``route`` reads the articles, events and retractions topics (keyed by article id,
   co-partitioned, so one worker sees an article's records together). It gathers an article's
   records in the ``pending`` table until complete (:class:`~wirestream.core.incidents.routing.
   Pending`), turns them into members and sends each to the members topic
   (``incidents.members``) at the partition of its coarse key (country|type), so one partition
   owns every candidate of a key. A retraction is copied to every partition. It also reads the
   copies topic (the copies stage's markings across all workers, keyed by article id): each
   marking is copied to every partition too (``op: "copy"``), like a retraction.
2. ``cluster`` reads the members topic and keeps one :class:`~wirestream.core.incidents.KeyState`
   per key, persisted in parts: the ``members`` table (per key and event id), ``incidents`` (per
   key and incident id: the last active record), ``marks`` (per key: retracted ids) and
   ``retracted`` (per partition and article id: the retractions seen), ``copied`` (per partition
   and article id: the latest copy marking, taken by members that arrive after it). Everything
   expires with the horizon (``WIRESTREAM_INCIDENTS_HORIZON_DAYS``): members, incidents and marks
   by the key's newest member day, ``retracted`` and ``copied`` notes by message time (swept once
   a day of message time per partition). Each member updates its
   key's state (held in memory between rebalances) and the incident records that changed go to
   the compacted ``incidents`` topic, keyed by incident id. A copy marking that arrives after
   its article's members re-publishes the incidents holding them, their independent outlets
   counted again.

The tables are changelogged (recovered on restart and rebalance). Delivery is at-least-once
(faust commits acked offsets): a crash replays messages onto state that may already hold some of
their effects. The state is a set of members plus sticky retractions and the incidents are a pure
function of it; a message's records are acknowledged before its table writes (marks before
removals, additions before removals), and those before the message is acked, so a replay either
finds its change whole and published or makes and sends it again, and a key restored from torn
tables is repaired to the full clustering of its members. The topic is compacted (consumers keep the latest per id). See docs/DELIVERY.md
("Incidents").

Agents: :mod:`.agents`; topics and tables: :mod:`.topics`. Web views on
``WIRESTREAM_INCIDENTS_WEB_PORT`` (default 6071): ``/health``, ``/ready`` (:mod:`.web`: assigned,
tables recovered, not rebalancing), ``/metrics``. :func:`main` goes through the shared start-up
(:class:`~wirestream.streaming.service.Startup`: ``--web-port``, ``--log-level``).
"""

from __future__ import annotations

import asyncio
from functools import partial

from aiokafka.admin import NewTopic

from wirestream.incidents import agents, web
from wirestream.incidents.agents import IncidentService
from wirestream.incidents.settings import IncidentSettings
from wirestream.incidents.topics import PROVISIONED, TABLES, declare, tables
from wirestream.streaming.faustapp import build_app, run_worker, serve_views
from wirestream.streaming.fausthooks import mark_contiguous
from wirestream.streaming.provision import ensure_new_topics, faust_new_topics
from wirestream.streaming.service import Startup
from wirestream.streaming.settings import KafkaSettings

STARTUP = Startup(
    "incidents",
    IncidentSettings,
    title="incident stage",
    topics=lambda settings: PROVISIONED,
    log_extra=lambda settings: {"settings": str(settings)},
)


def create_service(settings: IncidentSettings, kafka: KafkaSettings) -> IncidentService:
    """Build the faust app and its agents (not started)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(settings.group_id, kafka, data_dir=settings.data_dir / settings.group_id)
    topics = declare(app, kafka)
    mark_contiguous(app, topics.members.get_topic_name())  # route's own, not transactional
    svc = IncidentService(
        app=app,
        settings=settings,
        sinks={"members": topics.members, "incidents": topics.incidents},
        **tables(app),
    )
    app.on_partitions_revoked.connect(partial(agents.forget, svc))
    app.on_partitions_assigned.connect(partial(agents.forget, svc))
    svc.route_agent = app.agent(topics.inputs, name="route")(partial(agents.route, svc))
    svc.cluster_agent = app.agent(topics.members, name="cluster")(partial(agents.cluster, svc))
    serve_views(
        app,
        settings,
        health=partial(web.health, svc),
        ready=partial(web.ready, svc, topics.served()),
        metrics=svc.metrics.render,
    )
    return svc


def internal_topics(svc: IncidentService, kafka: KafkaSettings) -> list[NewTopic]:
    """The tables' changelogs as faust would declare them, created up front
    (:func:`~wirestream.streaming.provision.faust_new_topics` says why)."""
    changelogs = [getattr(svc, name).changelog_topic for name in TABLES]
    return faust_new_topics(svc.app, kafka, changelogs)


def main(argv: list[str] | None = None) -> int:
    """Run the incident stage until stopped."""
    settings = STARTUP.begin(argv).settings
    kafka = STARTUP.connect(settings)
    svc = create_service(settings, kafka)
    asyncio.run(ensure_new_topics(kafka, internal_topics(svc, kafka)))
    return run_worker(svc.app, log_level=settings.log_level)
