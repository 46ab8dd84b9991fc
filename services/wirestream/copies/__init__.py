"""The copies stage: syndicated-copy marking across every extractor worker (``wirestream worker
copies``); :mod:`.marking` is the pure part, :mod:`.loop` the Kafka part."""
