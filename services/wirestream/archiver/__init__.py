"""The archiver: records from the article, entity, quote and event topics into Parquet files.

Pure modules (no faust): :mod:`.settings`, :mod:`.store`, :mod:`.parquet`, :mod:`.batches`,
:mod:`.compaction`, :mod:`.query`. The Kafka edge is :mod:`.consumer` (aiokafka, manual commits) and
:mod:`.app` (the faust worker hosting it).
"""
