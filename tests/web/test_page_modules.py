"""The page's pure ES modules under node's own test runner (node is what `make install` uses)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def test_span_segmentation_in_node() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (make install needs it for npm ci too)", pytrace=False)
    done = subprocess.run(
        [node, "--test", str(HERE / "spans.test.mjs")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# pass 5" in done.stdout and "# fail 0" in done.stdout, done.stdout
