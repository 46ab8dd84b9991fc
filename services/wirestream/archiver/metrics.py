"""Prometheus metrics of the archiver, in their own registry (names ``wirestream_archiver_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from wirestream.streaming.metrics import ServiceMetrics


class ArchiverMetrics(ServiceMetrics):
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        super().__init__(registry)
        self.records = self.counter(
            "wirestream_archiver_records",
            "Records archived and committed, by kind folder (article, entity, ..., rejected).",
            ["kind"],
        )
        self.files = self.counter(
            "wirestream_archiver_files",
            "Parquet files written and committed.",
        )
        self.commit_failures = self.counter(
            "wirestream_archiver_commit_failures",
            "Files written whose offsets could not be committed (rewritten by the next owner).",
        )
        self.discarded = self.counter(
            "wirestream_archiver_discarded_files",
            "Uncommitted files of a crashed or rebalanced predecessor, deleted on assignment.",
        )
