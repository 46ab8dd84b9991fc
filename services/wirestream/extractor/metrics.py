"""Prometheus metrics of the extractor, in their own registry (one per app, so tests can count)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from wirestream.streaming.metrics import ServiceMetrics

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class ExtractorMetrics(ServiceMetrics):
    """The extractor's metrics (names start with ``wirestream_extractor_``)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        super().__init__(registry)
        self.articles = self.counter(
            "wirestream_extractor_articles",
            "Raw messages handled, by outcome (extracted, duplicate, stale, killed, dead_letter).",
            ["outcome"],
        )
        self.records = self.counter(
            "wirestream_extractor_records",
            "Records emitted, by kind (article, entity, quote, event).",
            ["kind"],
        )
        self.dead_letters = self.counter(
            "wirestream_extractor_dead_letters",
            "Messages dead-lettered, by stage (decode, validate, extract, encode, publish) and error "
            "type.",
            ["stage", "reason"],
        )
        self.extraction_seconds = self.histogram(
            "wirestream_extractor_extraction_seconds",
            "Wall time of one extraction batch (spaCy and rules), seconds.",
            LATENCY_BUCKETS,
        )
        self.batch_size = self.histogram(
            "wirestream_extractor_batch_articles",
            "Articles per extraction batch.",
            (1, 2, 4, 8, 16, 32, 64),
        )
        self.send_retries = self.counter(
            "wirestream_extractor_send_retries",
            "Batches retried after a failed transaction (the partition was reset to its "
            "committed offset and processed again).",
        )
        self._add_loop_metrics()

    def _add_loop_metrics(self) -> None:
        """The processing loop's partitions, transactions and health."""
        self.lag = self.gauge(
            "wirestream_extractor_consumer_lag",
            "Messages of an assigned raw partition not committed yet (high water - committed "
            "offset).",
            ["topic", "partition"],
        )
        self.stalled = self.gauge(
            "wirestream_extractor_partition_stalled_seconds",
            "Seconds an assigned raw partition has had lag without its committed offset moving "
            "(0 without lag).",
            ["topic", "partition"],
        )
        self.healthy = self.gauge(
            "wirestream_extractor_healthy",
            "1 when /health answers 200, else 0.",
        )
        self.transactions = self.counter(
            "wirestream_extractor_transactions",
            "Transactions (one per raw partition per batch), by outcome (committed, failed).",
            ["outcome"],
        )
        self.restarts = self.counter(
            "wirestream_extractor_loop_restarts",
            "Times the processing loop reset its state after a failure outside one message.",
        )
        self.retractions = self.counter(
            "wirestream_extractor_retractions",
            "Retraction records built (an older story version superseded, or a story killed).",
        )
