"""The schema files shipped with this package: JSON Schema per model and major version, the
published history of every major, the AsyncAPI document and an example message per topic.

``schemas/`` in the Wirestream repository is this directory; ``make schemas`` writes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
"""``json/<Model>.v<major>.json``, ``history/<Model>/<major>.<minor>.json``, ``asyncapi.yaml``,
``examples/<topic key>.json``."""

_VERSION = re.compile(r"^(\d+)\.(\d+)\.json$")


def schema_path(model_name: str, major: int) -> Path:
    """The current JSON Schema of ``model_name`` (``EventRecord``) for its ``major`` version."""
    return SCHEMAS_DIR / "json" / f"{model_name}.v{major}.json"


def load_schema(model_name: str, major: int) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(schema_path(model_name, major).read_text("utf-8"))
    return result


def history(model_name: str, major: int) -> list[tuple[int, Path]]:
    """Every published version of ``model_name`` within ``major``: ``(minor, path)``, in order."""
    folder = SCHEMAS_DIR / "history" / model_name
    out: list[tuple[int, Path]] = []
    for path in folder.glob(f"{major}.*.json") if folder.is_dir() else []:
        match = _VERSION.match(path.name)
        if match and int(match.group(1)) == major:
            out.append((int(match.group(2)), path))
    return sorted(out)


def example(topic_key: str) -> Any:
    """The example message of a topic (``events``, ``raw_dlq`` ...), parsed."""
    return json.loads((SCHEMAS_DIR / "examples" / f"{topic_key}.json").read_text("utf-8"))
