"""Generate ``schemas/`` from the pydantic models and the topic declarations.

``python -m wirestream.schemagen`` (``make schemas``) writes:

- ``schemas/json/<name>.v<major>.json``: the JSON Schema of every message value, per major version;
- ``schemas/history/<name>/<major>.<minor>.json``: every published version of a major, never
  edited once written: when a model's schema changes compatibly, the next minor is added (and an
  incompatible change is refused unless the major is bumped; ``wirestream_contracts.compat``);
- ``schemas/asyncapi.yaml``: an AsyncAPI 3.0 document describing every topic, its message, its
  headers and an example;
- ``schemas/examples/<topic key>.json``: an example message for every topic, made by running the
  real pipeline on a short text written for the purpose (``EXAMPLE_ARTICLE``).

``schemas/`` is the contracts distribution's package data (``contracts/src/wirestream_contracts/
schemas``). ``tests/contracts/test_schemas.py`` fails when the committed files drift from the models,
``tests/contracts/test_compatibility.py`` when a change breaks the compatibility policy.
``--check`` compares instead of writing and exits 1 on drift.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

import wirestream
from wirestream.core import jsonio
from wirestream.core.contracts import (
    AlertRecord,
    Article,
    DeadLetter,
    FingerprintEntry,
    SourcePosition,
)
from wirestream.streaming.topics import ALL_TOPICS, DEFAULT_TOPIC_PREFIX, TopicSpec
from wirestream_contracts import compat
from wirestream_contracts import headers as wire_headers
from wirestream_contracts.copies import CopyRecord
from wirestream_contracts.retractions import RetractionRecord
from wirestream_contracts.schemas import SCHEMAS_DIR, history
from wirestream_contracts.state import StoryState

__all__ = ["SCHEMAS_DIR", "asyncapi_document", "example_messages", "json_schema", "render"]

EXAMPLE_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
"""The W3C Trace Context specification's own example, shown as a carried header."""
PRODUCERS = {
    "raw": None,
    "alerts": "alerter",
    "alerts_dlq": "alerter",
    "copies": "copies",
    "incidents": "incidents",
    "incident_members": "incidents",
}
"""Which service produces each topic (the extractor when not listed; None: publishers)."""

EXAMPLE_ARTICLE: dict[str, Any] = {
    "id": "example-2024-03-04-port-strike",
    "title": "UPDATE 1-Drones hit port, officials say",
    "body": (
        "ODESA, March 4 (Wirestream) - Russia launched 12 drones at the port of Odesa overnight, "
        "Ukraine's Air Force said on Monday, adding that nine were shot down.\n\n"
        '"The attack damaged grain warehouses," Governor Oleh Kiper said. He added that at least '
        "two people were injured.\n\n(Reporting by Jane Doe; Editing by John Roe)"
    ),
    "source": "Wirestream example",
    "published_at": "2024-03-04T09:30:00Z",
    "language": "en",
}


def schema_name(model: type[BaseModel]) -> str:
    return model.__name__


def json_schema(model: type[BaseModel], version: int) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation" if model is Article else "serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"wirestream/{schema_name(model)}/v{version}"
    return schema


def _models() -> dict[str, tuple[type[BaseModel], int]]:
    out: dict[str, tuple[type[BaseModel], int]] = {}
    for topic in ALL_TOPICS:
        out[schema_name(topic.value)] = (topic.value, topic.schema_version)
    return dict(sorted(out.items()))


def compatibility_of(model: type[BaseModel]) -> str:
    """The compatibility mode of a model's topics (all its topics must agree)."""
    modes = {t.compatibility for t in ALL_TOPICS if t.value is model}
    if len(modes) != 1:
        raise ValueError(f"{model.__name__}: topics disagree on compatibility: {sorted(modes)}")
    return modes.pop()


def compatibility_problems(
    model: type[BaseModel], major: int, schema: dict[str, Any] | None = None
) -> dict[str, list[str]]:
    """Problems of ``schema`` (default: the model's current one) with every published version of
    the same major, by published file name; empty when compatible (or nothing is published)."""
    current = schema if schema is not None else json_schema(model, major)
    mode = compat.mode_of(compatibility_of(model))
    out: dict[str, list[str]] = {}
    for minor, path in history(schema_name(model), major):
        found = compat.problems(jsonio.loads(path.read_bytes()), current, mode)
        if found:
            out[f"{major}.{minor}"] = found
    return out


def _history_file(model: type[BaseModel], major: int, data: bytes) -> Path:
    """The published version ``data`` is: the latest one when equal, else the next minor."""
    published = history(schema_name(model), major)
    if published and published[-1][1].read_bytes() == data:
        return published[-1][1]
    minor = published[-1][0] + 1 if published else 0
    return SCHEMAS_DIR / "history" / schema_name(model) / f"{major}.{minor}.json"


def _producer(topic: TopicSpec) -> str | None:
    return PRODUCERS.get(topic.key, "extractor")


def headers_schema(topic: TopicSpec) -> dict[str, Any]:
    """The JSON Schema of a topic's Kafka headers (values as UTF-8 text)."""
    trace = {
        "traceparent": {
            "type": "string",
            "description": "W3C Trace Context traceparent; carried from the raw message.",
        },
        "tracestate": {"type": "string", "description": "W3C Trace Context tracestate; carried."},
        "baggage": {"type": "string", "description": "W3C Baggage; carried."},
    }
    extra = {
        "type": "string",
        "description": "Publishers' own headers named x-... (carried from the raw message); any "
        "other header may appear too and is to be ignored.",
    }
    producer = _producer(topic)
    if producer is None:
        return {
            "type": "object",
            "description": "Optional. Headers named traceparent, tracestate, baggage or x-... are "
            f"carried onto every record derived from the message (up to "
            f"{wire_headers.MAX_CARRIED_BYTES} bytes); others are kept only in dead letters.",
            "properties": trace,
            "additionalProperties": extra,
        }
    kind = topic.value.model_fields["kind"].default
    return {
        "type": "object",
        "properties": {
            wire_headers.CONTENT_TYPE: {"type": "string", "const": wire_headers.JSON},
            wire_headers.KIND: {
                "type": "string",
                "const": kind,
                "description": "The value's kind.",
            },
            wire_headers.SCHEMA_VERSION: {
                "type": "string",
                "const": str(topic.schema_version),
                "description": "The value's major schema version "
                f"(json/{schema_name(topic.value)}.v{topic.schema_version}.json).",
            },
            wire_headers.PRODUCER: {
                "type": "string",
                "pattern": f"^{producer}/",
                "description": "The producing service and its version (service/version).",
            },
            **trace,
        },
        "required": list(wire_headers.OWN),
        "additionalProperties": extra,
    }


def example_headers(topic: TopicSpec) -> dict[str, str]:
    carried = {"traceparent": EXAMPLE_TRACEPARENT}
    producer = _producer(topic)
    if producer is None:
        return carried
    kind = topic.value.model_fields["kind"].default
    pairs = wire_headers.produced_headers(
        kind,
        topic.schema_version,
        f"{producer}/{wirestream.__version__}",
        [(k, v.encode()) for k, v in carried.items()],
    )
    return wire_headers.as_text(pairs)


def _message(topic: TopicSpec) -> dict[str, Any]:
    name = schema_name(topic.value)
    doc = (topic.value.__doc__ or "").strip().splitlines()[0]
    return {
        "name": name,
        "title": name,
        "summary": doc,
        "description": f"Compatibility within a major version: {topic.compatibility} "
        "(see docs/CONSUMERS.md). Published versions: "
        f"history/{name}/{topic.schema_version}.<minor>.json.",
        "contentType": "application/json",
        "headers": headers_schema(topic),
        "payload": {
            "schemaFormat": "application/schema+json;version=draft-2020-12",
            "schema": {"$ref": f"json/{name}.v{topic.schema_version}.json"},
        },
        "bindings": {"kafka": {"key": {"type": "string"}, "bindingVersion": "0.5.0"}},
        "examples": [
            {
                "name": topic.key,
                "summary": f"examples/{topic.key}.json, made by the real pipeline.",
                "headers": example_headers(topic),
                "payload": {"$ref": f"examples/{topic.key}.json"},
            }
        ],
    }


def _channel(topic: TopicSpec) -> dict[str, Any]:
    bindings: dict[str, Any] = {
        "topic": topic.name(),
        "partitions": topic.partitions,
        "topicConfiguration": {
            "cleanup.policy": topic.config()["cleanup.policy"].split(","),
            "retention.ms": topic.retention_ms,
            "max.message.bytes": int(topic.config()["max.message.bytes"]),
        },
        "bindingVersion": "0.5.0",
    }
    description = topic.description
    if topic.dead_letter:
        description += f" Dead letters go to channel '{topic.dead_letter}'."
    if topic.raw_bytes_in:
        description += " Producers may send any bytes; invalid ones become dead letters."
    return {
        "address": topic.name(),
        "description": description,
        "messages": {topic.key: {"$ref": f"#/components/messages/{topic.key}"}},
        "bindings": {"kafka": bindings},
    }


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document for every declared topic (default names)."""
    messages = {t.key: _message(t) for t in ALL_TOPICS}
    channels = {t.key: _channel(t) for t in ALL_TOPICS}
    operations: dict[str, Any] = {}
    for topic in ALL_TOPICS:
        action = "send" if topic.key == "raw" else "receive"
        operations[f"{action}-{topic.key}"] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{topic.key}"},
            "summary": (
                "Publishers send raw articles here."
                if action == "send"
                else f"Consumers read {topic.key} here (key: {topic.message_key})."
            ),
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Wirestream",
            "version": "1",
            "description": (
                f"Topics of a Wirestream deployment. Names are the default prefix "
                f"'{DEFAULT_TOPIC_PREFIX}' plus the declared suffix (WIRESTREAM_KAFKA_TOPIC_PREFIX). "
                "Read with isolation.level=read_committed. Span offsets are Unicode code points. "
                "Consumer guide: docs/CONSUMERS.md. Generated from "
                "contracts/src/wirestream_contracts/topics.py by `make schemas`; do not edit."
            ),
        },
        "servers": {
            "local": {
                "host": "localhost:9092",
                "protocol": "kafka",
                "description": "The local broker of `wirestream kafka start`.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def example_messages() -> dict[str, Any]:
    """One example value per topic, made by the real pipeline on ``EXAMPLE_ARTICLE``."""
    from wirestream.core.extraction import Extractor

    article = Article.model_validate(EXAMPLE_ARTICLE)
    result = Extractor.load().extract(article)
    first = {
        "article": result.article,
        "entity": result.entities[0] if result.entities else None,
        "quote": result.quotes[0] if result.quotes else None,
        "event": result.events[0] if result.events else None,
    }
    raw = jsonio.dumps(EXAMPLE_ARTICLE)
    dead = _dead_letter_example()
    record_ids = [r.id for r in result.events[:1]] or [result.article.id]
    alert = AlertRecord(
        id="alr_example",
        rule="casualties-in-ukraine",
        severity="high",
        summary="ASSAULT in Ukraine: at least 2 injured (Ukraine's Air Force)",
        record_ids=record_ids,
        article_ids=[article.id],
        fired_at="2024-03-04T09:31:02Z",
    )
    out: dict[str, Any] = {
        **_incident_examples(result.article, result.events),
        "raw": jsonio.loads(raw),
        **_state_examples(article, result),
        "raw_dlq": dead.model_dump(mode="json"),
        "alerts": alert.model_dump(mode="json"),
        "alerts_dlq": dead.model_copy(
            update={"stage": "deliver", "service": "alerter", "error_type": "DeliveryError"}
        ).model_dump(mode="json"),
    }
    for kind, topic_key in (
        ("article", "articles"),
        ("entity", "entities"),
        ("quote", "quotes"),
        ("event", "events"),
    ):
        record = first[kind]
        if record is not None:
            out[topic_key] = record.model_dump(mode="json")
    return out


def _dead_letter_example() -> DeadLetter:
    """The dead letter of a raw message without a body."""
    bad = b'{"title": "no body"}'
    dead = DeadLetter(
        stage="validate",
        error_type="InputError",
        error_message="body: Field required",
        source=SourcePosition(topic="wirestream.articles.raw", partition=0, offset=42),
        original_b64=base64.b64encode(bad).decode(),
        original_size=len(bad),
        original_sha256=hashlib.sha256(bad).hexdigest(),
        failed_at="2024-03-04T09:31:00Z",
        service="extractor",
    )
    return dead


def _state_examples(article: Article, result: Any) -> dict[str, Any]:
    """The retraction, fingerprint, story-version and copy examples of the example article."""
    fingerprint = FingerprintEntry(
        article_id=article.id, fingerprint=result.article.fingerprint, timestamp=1709544600.0
    )
    retraction = RetractionRecord(
        id="ret_" + result.article.id[:24],
        article_id=article.id,
        revision=result.article.revision,
        story_id=article.id,
        reason="superseded",
        superseded_by=article.id + "-2",
        record_ids=[result.article.id, *(r.id for r in result.events[:1])],
        retracted_at="2024-03-04T10:02:00Z",
    )
    story = StoryState(
        story_id=article.id,
        article_id=article.id,
        revision=result.article.revision or "",
        version=1,
        published=1709544600.0,
        timestamp=1709544600.0,
        record_ids=[r.id for r in result.records],
    )
    copy = CopyRecord(
        article_id=article.id + "-afp",
        duplicate_of=article.id,
        similarity=0.984375,
        fingerprint=result.article.fingerprint,
        timestamp=1709544660.0,
    )
    return {
        "retractions": retraction.model_dump(mode="json"),
        "fingerprints": fingerprint.model_dump(mode="json"),
        "stories": story.model_dump(mode="json"),
        "copy_fingerprints": fingerprint.model_dump(mode="json"),
        "copies": copy.model_dump(mode="json"),
    }


def _incident_examples(article: Any, events: Any) -> dict[str, Any]:
    """The example article's first member and the incident it founds (the pure clustering)."""
    from wirestream.core.incidents import build_incident, cluster, members_of_article

    members = members_of_article(article, events)
    if not members:
        return {}
    incident_id, group = next(iter(cluster(members).items()))
    return {
        "incident_members": members[0].model_dump(mode="json"),
        "incidents": build_incident(incident_id, group).model_dump(mode="json"),
    }


def render() -> dict[Path, bytes]:
    """Every generated file (path → bytes), schemas and AsyncAPI only (examples are separate)."""
    files: dict[Path, bytes] = {}
    for name, (model, version) in _models().items():
        data = jsonio.dumps_pretty(json_schema(model, version)) + b"\n"
        files[SCHEMAS_DIR / "json" / f"{name}.v{version}.json"] = data
        files[_history_file(model, version, data)] = data
    files[SCHEMAS_DIR / "asyncapi.yaml"] = yaml.safe_dump(
        asyncapi_document(), sort_keys=False, allow_unicode=True, width=100
    ).encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wirestream.schemagen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare; exit 1 when files drift")
    parser.add_argument("--no-examples", action="store_true", help="do not regenerate examples")
    args = parser.parse_args(argv)
    files = render()
    broken = {
        name: found
        for name, (model, version) in _models().items()
        for found in [compatibility_problems(model, version)]
        if found
    }
    for name, found in broken.items():
        print(f"{name}: incompatible with published versions {found}", file=sys.stderr)
    if broken:
        print(
            "refused: an incompatible change needs a new major version (bump the model's "
            "schema_version and the topic's schema_version); see docs/CONSUMERS.md",
            file=sys.stderr,
        )
        return 1
    if args.check:
        drift = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
        for path in drift:
            print(f"drifted: {path.relative_to(SCHEMAS_DIR.parent)} (run 'make schemas')")
        return 1 if drift else 0
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if not args.no_examples:
        examples_dir = SCHEMAS_DIR / "examples"
        examples_dir.mkdir(parents=True, exist_ok=True)
        for key, value in example_messages().items():
            (examples_dir / f"{key}.json").write_bytes(jsonio.dumps_pretty(value) + b"\n")
    print(f"wrote {len(files)} schema files to {SCHEMAS_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
