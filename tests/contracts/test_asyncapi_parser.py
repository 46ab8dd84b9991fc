"""schemas/asyncapi.yaml parses without errors in the reference AsyncAPI parser (@asyncapi/parser,
pinned in tools/asyncapi/package-lock.json, installed by `make install`), every message with its
headers, its payload's JSON Schema format and an example."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from wirestream_contracts.schemas import SCHEMAS_DIR
from wirestream_contracts.topics import ALL_TOPICS

TOOL = Path(__file__).resolve().parents[2] / "tools" / "asyncapi"
PARSE_TIMEOUT = 120.0
"""Seconds for Node to load the parser and resolve the document's references."""


def test_asyncapi_document_parses_without_errors() -> None:
    node = shutil.which("node")
    assert node, "Node.js 20+ is needed to run the AsyncAPI parser"
    assert (TOOL / "node_modules" / "@asyncapi" / "parser").is_dir(), (
        "@asyncapi/parser is not installed: run 'make install' (npm ci in tools/asyncapi)"
    )
    run = subprocess.run(
        [node, str(TOOL / "check.mjs"), str(SCHEMAS_DIR / "asyncapi.yaml")],
        capture_output=True,
        text=True,
        timeout=PARSE_TIMEOUT,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == "errors 0"
    messages = {line.split()[1]: line.split()[2:] for line in lines if line.startswith("message ")}
    assert set(messages) == {t.key for t in ALL_TOPICS}
    for key, (schema_format, headers, payload, examples) in messages.items():
        assert schema_format == "application/schema+json;version=draft-2020-12", key
        assert int(headers.split("=")[1]) >= 3, key
        assert int(payload.split("=")[1]) > 0, key
        assert examples == "examples=1", key
