"""Consumers of record topics read committed messages only.

The extractor publishes its records in Kafka transactions; a consumer reading
``read_uncommitted`` (aiokafka's and faust's default) would see records of transactions that were
later aborted, and so duplicates after a takeover. Every Wirestream consumer of record topics
passes :data:`ISOLATION_LEVEL` (plain aiokafka consumers) or is built on
:class:`wirestream.streaming.fausthooks.WirestreamApp` (the faust apps). Messages written outside
transactions (raw articles, table changelogs) are visible as before.
"""

ISOLATION_LEVEL = "read_committed"
"""What every Wirestream consumer of record topics passes as aiokafka ``isolation_level``."""
