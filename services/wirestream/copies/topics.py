"""The topics the copies stage reads and writes (declared in :mod:`wirestream_contracts.topics`).

It reads :data:`COPY_FINGERPRINTS` (every article's fingerprint, written by the extractor; one
partition) and writes :data:`COPIES` (the copy markings, compacted, keyed by article id). At
start-up it creates every declared topic that is missing (:data:`PROVISIONED`,
``WIRESTREAM_COPIES_PROVISION_TOPICS``).
"""

from __future__ import annotations

from wirestream.streaming.topics import ALL_TOPICS, COPIES, COPY_FINGERPRINTS, TopicSpec

PROVISIONED: tuple[TopicSpec, ...] = tuple(ALL_TOPICS)

__all__ = ["COPIES", "COPY_FINGERPRINTS", "PROVISIONED"]
