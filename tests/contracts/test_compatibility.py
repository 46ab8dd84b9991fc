"""The compatibility policy, enforced: the current models against every published version.

Records (everything Wirestream writes) are FULL_TRANSITIVE within a major version, the raw input
BACKWARD_TRANSITIVE; no field is removed or renamed within a major. See docs/CONSUMERS.md.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, Field

from wirestream import schemagen
from wirestream_contracts import EntityRecord, EventRecord, compat, schemas
from wirestream_contracts.topics import ALL_TOPICS, TopicSpec

MODELS = sorted({(t.value, t.schema_version) for t in ALL_TOPICS}, key=lambda m: m[0].__name__)


@pytest.mark.parametrize("model,major", MODELS, ids=lambda m: getattr(m, "__name__", str(m)))
def test_current_models_are_compatible_with_every_published_version(
    model: type[BaseModel], major: int
) -> None:
    published = schemas.history(model.__name__, major)
    assert published, f"{model.__name__} v{major} has no published version: run 'make schemas'"
    assert schemagen.compatibility_problems(model, major) == {}


def test_the_latest_published_version_is_the_current_schema() -> None:
    for model, major in MODELS:
        latest = schemas.history(model.__name__, major)[-1][1]
        assert latest.read_bytes() == schemas.schema_path(model.__name__, major).read_bytes()


def test_every_topic_states_its_compatibility_mode() -> None:
    modes = {t.key: t.compatibility for t in ALL_TOPICS}
    assert modes.pop("raw") == "BACKWARD_TRANSITIVE"
    assert set(modes.values()) == {"FULL_TRANSITIVE"}


# -- what passes and what fails -----------------------------------------------------------------


class EntityRecordWithSentiment(EntityRecord):
    """A next minor version: one added optional field."""

    sentiment: float | None = Field(default=None, description="Added optional field.")


def _event_schema() -> dict[str, Any]:
    return schemas.load_schema("EventRecord", 1)


def test_an_added_optional_field_is_compatible() -> None:
    new = schemagen.json_schema(EntityRecordWithSentiment, 1)
    assert schemagen.compatibility_problems(EntityRecord, 1, new) == {}


def test_a_record_with_an_added_field_validates_and_parses() -> None:
    example = schemas.example("entities")
    newer = {**example, "sentiment": 0.25}
    for _minor, path in schemas.history("EntityRecord", 1):
        jsonschema.validate(newer, json.loads(path.read_text("utf-8")))
    jsonschema.validate(newer, schemas.load_schema("EntityRecord", 1))
    record = EntityRecord.model_validate(newer)
    assert record.id == example["id"]
    assert "sentiment" not in record.model_dump()  # read tolerantly, never written back


def _broken(change: str) -> dict[str, Any]:
    schema = copy.deepcopy(_event_schema())
    props = schema["properties"]
    if change == "removed field":
        del props["mode"]
        schema["required"].remove("mode")
    elif change == "removed optional field":
        del props["weapons"]
    elif change == "renamed field":
        props["event_mode"] = props.pop("mode")
        schema["required"] = ["event_mode" if r == "mode" else r for r in schema["required"]]
    elif change == "changed type":
        props["confidence"] = {"type": "string"}
    elif change == "changed nested type":
        schema["$defs"]["Span"]["properties"]["start"] = {"type": "string"}
    elif change == "narrowed enum":
        props["type"]["enum"] = props["type"]["enum"][:-1]
    elif change == "widened enum":
        props["type"]["enum"] = [*props["type"]["enum"], "CYBER"]
    elif change == "new required field":
        props["severity"] = {"type": "integer"}
        schema["required"].append("severity")
    elif change == "tightened bound":
        props["confidence"]["maximum"] = 0.5
    return schema


@pytest.mark.parametrize(
    "change",
    [
        "removed field",
        "removed optional field",
        "renamed field",
        "changed type",
        "changed nested type",
        "narrowed enum",
        "new required field",
        "tightened bound",
    ],
)
def test_an_incompatible_change_fails(change: str) -> None:
    found = schemagen.compatibility_problems(EventRecord, 1, _broken(change))
    assert found, f"a {change} passed the compatibility check"


def test_a_widened_enum_passes_enums_are_open() -> None:
    """A new event type is a minor change: readers accept enum values they do not know."""
    assert schemagen.compatibility_problems(EventRecord, 1, _broken("widened enum")) == {}


def test_a_bumped_major_is_checked_against_its_own_versions_only() -> None:
    """An incompatible change ships as a new major: nothing of v2 is published, so it passes."""
    assert schemagen.compatibility_problems(EventRecord, 2, _broken("removed field")) == {}


def test_the_input_is_backward_only() -> None:
    """The raw input is closed (typos are refused) and read by Wirestream only: an added optional
    field passes, a removed one fails, a widened enum would pass."""
    article = schemas.load_schema("Article", 1)
    assert article["additionalProperties"] is False
    added = copy.deepcopy(article)
    added["properties"]["region"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert compat.problems(article, added, "BACKWARD") == []
    removed = copy.deepcopy(article)
    del removed["properties"]["url"]
    assert compat.problems(article, removed, "BACKWARD")


@pytest.mark.parametrize("topic", ALL_TOPICS, ids=lambda t: t.key)
def test_reading_schemas_are_open_and_the_input_closed(topic: TopicSpec) -> None:
    schema = schemas.load_schema(topic.value.__name__, topic.schema_version)
    closed = schema.get("additionalProperties") is False
    assert closed is (topic.key == "raw")


def test_spans_state_their_offset_unit() -> None:
    for model, major in MODELS:
        span = schemas.load_schema(model.__name__, major).get("$defs", {}).get("Span")
        if span is not None:
            assert span["x-offset-unit"] == "unicode-code-point"
            assert "code points" in span["properties"]["start"]["description"]
