"""The topics the archiver reads (declared in :mod:`wirestream_contracts.topics`); it writes none.

:data:`ARCHIVED_TOPICS`: the records, retractions, copy markings and every published state of
every incident (the archive keeps their history), by record kind. At start-up it creates those
that are missing (``WIRESTREAM_ARCHIVER_PROVISION_TOPICS``).
"""

from __future__ import annotations

from wirestream.streaming.topics import COPIES, INCIDENTS, RECORD_TOPICS, RETRACTIONS, TopicSpec

ARCHIVED_TOPICS: dict[str, TopicSpec] = {
    **RECORD_TOPICS,
    "retraction": RETRACTIONS,
    "copy": COPIES,
    "incident": INCIDENTS,
}
PROVISIONED: tuple[TopicSpec, ...] = tuple(ARCHIVED_TOPICS.values())
