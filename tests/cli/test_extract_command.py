"""``wirestream extract`` as a user runs it: a real process over real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wirestream.core import jsonio
from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor


def run_extract(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wirestream.cli", "extract", "--no-progress", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        check=False,
    )


@pytest.fixture()
def inputs(tmp_path: Path, seed_article: Article) -> dict[str, Path]:
    txt = tmp_path / "talks.txt"
    txt.write_text(
        "\nTalks in Geneva\nForeign Minister Dmytro Kuleba met Wang Yi in Geneva on Monday.\n",
        encoding="utf-8",
    )
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text(
        "\n".join(
            [
                json.dumps({"id": "good-1", "body": "Russia launched drones at Odesa overnight."}),
                "{broken json",
                "",
                json.dumps({"id": "bad-2", "body": ""}),
                json.dumps(
                    {"id": "good-2", "body": "Officials in Kyiv said the talks would resume."}
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    single = tmp_path / "seed.json"
    single.write_text(seed_article.model_dump_json(), encoding="utf-8")
    return {"txt": txt, "jsonl": jsonl, "json": single}


def test_extract_prints_records_and_reports_rejects(inputs: dict[str, Path]) -> None:
    done = run_extract(str(inputs["txt"]), str(inputs["jsonl"]), str(inputs["json"]))
    assert done.returncode == 1, done.stderr.decode()
    stderr = done.stderr.decode()
    assert f"{inputs['jsonl']}:2: not JSON" in stderr
    assert f"{inputs['jsonl']}:4: body" in stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    articles = [r for r in records if r["kind"] == "article"]
    assert [a["article_id"] for a in articles] == [
        "talks",
        "good-1",
        "good-2",
        articles[3]["article_id"],
    ]
    txt_article = articles[0]
    assert txt_article["title"] == "Talks in Geneva"
    assert txt_article["body"].startswith("Foreign Minister Dmytro Kuleba")
    # Each article's records follow it, and every span points into its own body.
    texts = {"body": "", "title": ""}
    for record in records:
        if record["kind"] == "article":
            texts = {"body": record["body"], "title": record["title"] or ""}
            continue
        for mention in record.get("mentions", []):
            text = texts[mention["field"]]
            assert text[mention["start"] : mention["end"]] == mention["text"]


def test_extract_output_matches_the_library_byte_for_byte(
    inputs: dict[str, Path], seed_article: Article, extractor: Extractor
) -> None:
    done = run_extract(str(inputs["json"]))
    assert done.returncode == 0, done.stderr.decode()
    expected = b"".join(jsonio.dumps(r) + b"\n" for r in extractor.extract(seed_article).records)
    assert done.stdout == expected
    again = run_extract("-", stdin=inputs["json"].read_bytes())
    assert again.stdout == expected


def test_extract_unknown_file_type_is_rejected_not_fatal(tmp_path: Path) -> None:
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK\x03\x04")
    done = run_extract(str(odd))
    assert done.returncode == 1
    assert "unknown file type '.docx'" in done.stderr.decode()
