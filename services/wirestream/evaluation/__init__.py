"""Evaluation and benchmarks: ``wirestream eval`` and ``wirestream bench``.

- :mod:`.data`: finding and reading the labelled data sets (never copied into the repository).
- :mod:`.scoring`: the scorers, pure functions tested on hand-counted gold files.
- :mod:`.baselines`: raw spaCy NER and textacy's direct quotations on the same texts.
- :mod:`.tasks`: one function per task: read, extract with the public pipeline, score.
- :mod:`.report`: Markdown tables, JSON with versions and data hashes, PNG charts.
- :mod:`.bench`: throughput, words per second and peak memory, offline and through Kafka.
"""
