"""The pure core: contracts and extraction. Nothing here imports faust or Kafka."""
