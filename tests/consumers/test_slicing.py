"""Span offsets are code points: the Java example slices them right where UTF-16 indices fail."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path
from typing import Any

from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor

from .test_examples import EMOJI_ARTICLE, EXAMPLES

JAVA_TIMEOUT = 120.0
"""Seconds for the JVM to compile and run the single-file example."""


def _spans(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        own = [value] if {"start", "end", "text", "field"} <= value.keys() else []
        return own + [s for v in value.values() for s in _spans(v)]
    if isinstance(value, list):
        return [s for v in value for s in _spans(v)]
    return []


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_java_slices_code_point_offsets(extractor: Extractor, tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "Java 11+ is needed (it also runs the test broker)"
    result = extractor.extract(Article.model_validate(EMOJI_ARTICLE))
    body = result.article.body
    records = [*result.entities, *result.quotes, *result.events]
    spans = [s for r in records for s in _spans(r.model_dump()) if s["field"] == "body"]
    assert spans
    lines = [b64(body)] + [f"{s['start']}\t{s['end']}\t{b64(s['text'])}" for s in spans]
    path = tmp_path / "spans.tsv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    run = subprocess.run(
        [java, str(EXAMPLES / "java" / "SliceSpans.java"), str(path)],
        capture_output=True,
        text=True,
        timeout=JAVA_TIMEOUT,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    matched, naive_wrong = int(run.stdout.split()[1]), int(run.stdout.split()[3])
    assert matched == len(spans)
    assert naive_wrong > 0  # String.substring with code-point offsets would be wrong
