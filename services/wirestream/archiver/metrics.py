"""Prometheus metrics of the archiver, in their own registry (names ``wirestream_archiver_*``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, generate_latest

from wirestream.streaming.metrics import service_registry


class ArchiverMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or service_registry()
        self.records = Counter(
            "wirestream_archiver_records",
            "Records archived and committed, by kind folder (article, entity, ..., rejected).",
            ["kind"],
            registry=self.registry,
        )
        self.files = Counter(
            "wirestream_archiver_files",
            "Parquet files written and committed.",
            registry=self.registry,
        )
        self.commit_failures = Counter(
            "wirestream_archiver_commit_failures",
            "Files written whose offsets could not be committed (rewritten by the next owner).",
            registry=self.registry,
        )
        self.discarded = Counter(
            "wirestream_archiver_discarded_files",
            "Uncommitted files of a crashed or rebalanced predecessor, deleted on assignment.",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
