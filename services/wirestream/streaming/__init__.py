"""What every Kafka-facing service shares: topic declarations, connection settings, codecs."""
