"""Contracts are data: the committed schemas/ must match the models, and examples must validate."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import TypeAdapter

from wirestream import schemagen
from wirestream.streaming.topics import ALL_TOPICS, TopicSpec

SCHEMAS = schemagen.SCHEMAS_DIR


@pytest.mark.parametrize("path", sorted(schemagen.render()), ids=lambda p: p.name)
def test_committed_schema_matches_models(path: Path) -> None:
    generated = schemagen.render()[path]
    assert path.exists(), f"{path} is missing: run 'make schemas' and commit"
    assert path.read_bytes() == generated, f"{path} drifted from the models: run 'make schemas'"


def test_no_stale_schema_files() -> None:
    """Every current schema file is generated; a file of an older major may stay (published)."""
    expected = {p.name for p in schemagen.render() if p.parent.name == "json"}
    current = {f"{t.value.__name__}.v{t.schema_version}.json" for t in ALL_TOPICS}
    assert expected == current
    for path in (SCHEMAS / "json").glob("*.json"):
        assert path.name in expected or path.name.split(".v")[0] in {
            n.split(".v")[0] for n in current
        }


@pytest.mark.parametrize("topic", ALL_TOPICS, ids=lambda t: t.key)
def test_every_topic_has_a_valid_example(topic: TopicSpec) -> None:
    example_path = SCHEMAS / "examples" / f"{topic.key}.json"
    assert example_path.exists(), f"no example message for topic {topic.key}: run 'make schemas'"
    example = json.loads(example_path.read_text("utf-8"))
    schema_path = SCHEMAS / "json" / f"{topic.value.__name__}.v{topic.schema_version}.json"
    jsonschema.validate(example, json.loads(schema_path.read_text("utf-8")))
    TypeAdapter(topic.value).validate_python(example)


def test_example_spans_point_into_the_body() -> None:
    """Every span in the example records satisfies text == body[start:end]."""
    body = json.loads((SCHEMAS / "examples" / "articles.json").read_text("utf-8"))["body"]
    checked = 0

    def walk(value: object) -> None:
        nonlocal checked
        if isinstance(value, dict):
            if {"start", "end", "text", "field"} <= value.keys() and value["field"] == "body":
                assert body[value["start"] : value["end"]] == value["text"]
                checked += 1
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for key in ("entities", "quotes", "events"):
        path = SCHEMAS / "examples" / f"{key}.json"
        if path.exists():
            walk(json.loads(path.read_text("utf-8")))
    assert checked > 0


def test_asyncapi_lists_every_topic() -> None:
    import yaml

    document = yaml.safe_load((SCHEMAS / "asyncapi.yaml").read_text("utf-8"))
    assert set(document["channels"]) == {t.key for t in ALL_TOPICS}
    for name, message in document["components"]["messages"].items():
        payload = message["payload"]
        assert payload["schemaFormat"] == "application/schema+json;version=draft-2020-12"
        assert (SCHEMAS / payload["schema"]["$ref"]).exists()
        example = message["examples"][0]
        assert (SCHEMAS / example["payload"]["$ref"]).exists()
        jsonschema.validate(example["headers"], message["headers"])
        assert example["headers"]["traceparent"], name
