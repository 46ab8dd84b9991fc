"""End-to-end throughput, latency and memory of the extractor (a benchmark, not a timed test).

Runs only with ``WIRESTREAM_BENCH=1`` (minutes of CPU); reads ``../shared/data/load`` at run time:

    WIRESTREAM_BENCH=1 WIRESTREAM_BENCH_ARTICLES=300 \
        pytest -m integration -s tests/integration/test_extractor_bench.py

Prints bare ``nlp.pipe`` throughput on the same texts, end-to-end throughput with 1 and 2 workers,
latency at half of the 1-worker maximum rate (p50, p99) and peak memory per worker. It asserts
only that every article completed; the targets (≥ 0.85 × bare per worker, 2 workers ≥ 1.7 × one,
p99 ≤ 1 s, ≤ 600 MB) are printed next to the numbers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from wirestream.core import jsonio
from wirestream.extractor.harness import StreamRun, bare_pipe_rate, load_messages, run_stream
from wirestream.streaming.settings import KafkaSettings

pytestmark = [
    pytest.mark.integration,
    pytest.mark.shared_data,
    pytest.mark.skipif(os.environ.get("WIRESTREAM_BENCH") != "1", reason="set WIRESTREAM_BENCH=1"),
]


def test_extractor_throughput_latency_memory(
    kafka_bootstrap: str,
    shared_data: Path,
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    count = int(os.environ.get("WIRESTREAM_BENCH_ARTICLES", "300"))
    messages = load_messages(shared_data / "load" / "bbc.jsonl", count)
    texts = [str(jsonio.loads(value)["body"]) for _, value in messages]
    bare = bare_pipe_rate(texts)

    def run(workers: int, rate: float | None = None) -> StreamRun:
        kafka = KafkaSettings(
            bootstrap_servers=kafka_bootstrap, topic_prefix=unique_name("bench") + "."
        )
        return run_stream(
            kafka,
            messages,
            workers=workers,
            app_id=unique_name("extractor"),
            work_dir=tmp_path / unique_name("run"),
            rate=rate,
        )

    one = run(1)
    two = run(2)
    half = run(1, rate=max(1.0, one.rate / 2))
    mb = 1024 * 1024
    print(f"\narticles: {len(messages)} (bbc.jsonl)")
    print(f"bare nlp.pipe:        {bare:7.1f} articles/s")
    print(
        f"1 worker end to end:  {one.rate:7.1f} articles/s  ({one.rate / bare:.2f} x bare; target 0.85)"
    )
    print(
        f"2 workers end to end: {two.rate:7.1f} articles/s  ({two.rate / one.rate:.2f} x one; target 1.7)"
    )
    print(
        f"latency at {one.rate / 2:.1f}/s: p50 {half.percentile(0.5):.3f}s "
        f"p99 {half.percentile(0.99):.3f}s (target p99 1 s)"
    )
    for label, result in (("1 worker", one), ("2 workers", two), ("half rate", half)):
        peaks = ", ".join(f"{(p or 0) / mb:.0f} MB" for p in result.peak_rss)
        print(f"peak memory ({label}): {peaks} (target 600 MB)")
    for result in (one, two, half):
        assert result.articles == len(messages)
