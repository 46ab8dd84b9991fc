"""Prometheus metrics of the extractor, in their own registry (one per app, so tests can count)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from wirestream.streaming.metrics import service_registry

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class ExtractorMetrics:
    """The extractor's metrics (names start with ``wirestream_extractor_``)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or service_registry()
        self.articles = Counter(
            "wirestream_extractor_articles",
            "Raw messages handled, by outcome (extracted, duplicate, stale, killed, dead_letter).",
            ["outcome"],
            registry=self.registry,
        )
        self.records = Counter(
            "wirestream_extractor_records",
            "Records emitted, by kind (article, entity, quote, event).",
            ["kind"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "wirestream_extractor_dead_letters",
            "Messages dead-lettered, by stage (decode, validate, extract, encode, publish) and error "
            "type.",
            ["stage", "reason"],
            registry=self.registry,
        )
        self.extraction_seconds = Histogram(
            "wirestream_extractor_extraction_seconds",
            "Wall time of one extraction batch (spaCy and rules), seconds.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "wirestream_extractor_batch_articles",
            "Articles per extraction batch.",
            buckets=(1, 2, 4, 8, 16, 32, 64),
            registry=self.registry,
        )
        self.send_retries = Counter(
            "wirestream_extractor_send_retries",
            "Batches retried after a failed transaction (the partition was reset to its "
            "committed offset and processed again).",
            registry=self.registry,
        )
        self.lag = Gauge(
            "wirestream_extractor_consumer_lag",
            "Messages of an assigned raw partition not committed yet (high water - committed "
            "offset).",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.stalled = Gauge(
            "wirestream_extractor_partition_stalled_seconds",
            "Seconds an assigned raw partition has had lag without its committed offset moving "
            "(0 without lag).",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.healthy = Gauge(
            "wirestream_extractor_healthy",
            "1 when /health answers 200, else 0.",
            registry=self.registry,
        )
        self.transactions = Counter(
            "wirestream_extractor_transactions",
            "Transactions (one per raw partition per batch), by outcome (committed, failed).",
            ["outcome"],
            registry=self.registry,
        )
        self.restarts = Counter(
            "wirestream_extractor_loop_restarts",
            "Times the processing loop reset its state after a failure outside one message.",
            registry=self.registry,
        )
        self.retractions = Counter(
            "wirestream_extractor_retractions",
            "Retraction records built (an older story version superseded, or a story killed).",
            registry=self.registry,
        )

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return bytes(generate_latest(self.registry))
