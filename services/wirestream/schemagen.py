"""Generate ``schemas/`` from the pydantic models and the topic declarations.

``python -m wirestream.schemagen`` (``make schemas``) writes:

- ``schemas/json/<name>.v<version>.json``: the JSON Schema of every message value;
- ``schemas/asyncapi.yaml``: an AsyncAPI 3.0 document describing every topic and its message;
- ``schemas/examples/<topic key>.json``: an example message for every topic, made by running the
  real pipeline on a short text written for the purpose (``EXAMPLE_ARTICLE``).

``tests/contracts/test_schemas.py`` fails when the committed files drift from the models.
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

from wirestream.core import jsonio
from wirestream.core.contracts import (
    AlertRecord,
    Article,
    DeadLetter,
    FingerprintEntry,
    SourcePosition,
)
from wirestream.streaming.settings import KafkaSettings
from wirestream.streaming.topics import ALL_TOPICS, TopicSpec

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"

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


def _channel(topic: TopicSpec, settings: KafkaSettings) -> dict[str, Any]:
    name = schema_name(topic.value)
    bindings: dict[str, Any] = {
        "topic": topic.name(settings),
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
        "address": topic.name(settings),
        "description": description,
        "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        "bindings": {"kafka": bindings},
    }


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document for every declared topic (default names)."""
    settings = KafkaSettings(bootstrap_servers="localhost:9092")
    messages: dict[str, Any] = {}
    for name, (model, version) in _models().items():
        messages[name] = {
            "name": name,
            "title": name,
            "summary": (model.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "payload": {"$ref": f"json/{name}.v{version}.json"},
            "bindings": {"kafka": {"key": {"type": "string"}, "bindingVersion": "0.5.0"}},
        }
    channels = {t.key: _channel(t, settings) for t in ALL_TOPICS}
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
                "Topics of a Wirestream deployment. Names are the default prefix 'wirestream.' plus "
                "the declared suffix (WIRESTREAM_KAFKA_TOPIC_PREFIX). Generated from "
                "services/wirestream/streaming/topics.py by `make schemas`; do not edit."
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
    fingerprint = FingerprintEntry(
        article_id=article.id, fingerprint=result.article.fingerprint, timestamp=1709544600.0
    )
    out: dict[str, Any] = {
        "raw": jsonio.loads(raw),
        "fingerprints": fingerprint.model_dump(mode="json"),
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


def render() -> dict[Path, bytes]:
    """Every generated file (path → bytes), schemas and AsyncAPI only (examples are separate)."""
    files: dict[Path, bytes] = {}
    for name, (model, version) in _models().items():
        files[SCHEMAS_DIR / "json" / f"{name}.v{version}.json"] = (
            jsonio.dumps_pretty(json_schema(model, version)) + b"\n"
        )
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
