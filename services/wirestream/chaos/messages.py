"""The messages a chaos run publishes: articles and poison (pure, apart from reading load files).

Articles come from ``<data>/load/*.jsonl`` (default ``../shared/data``, see
:func:`wirestream.evaluation.data.default_data_dir`), sent as the exact lines of the files, or are
generated here from short sentences written for the tests (:func:`generated_article`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wirestream.core import jsonio
from wirestream.errors import InputError
from wirestream.inputs import decode_article

FAULT_MARKER_ENV = "WIRESTREAM_EXTRACTOR_FAULT_MARKER"
"""Set on every worker the harness starts. The worker's contract: when it is set to a token, an
article whose ``metadata`` holds ``{"wirestream_fault": "<token>"}`` makes extraction raise
``InjectedFault`` (so the article must come out as a dead letter with stage ``extract``)."""
FAULT_METADATA_KEY = "wirestream_fault"
NESTED_DEPTH = 300
HUGE_BYTES = 7_000_000

Message = tuple[bytes, bytes]
"""(key, value) as published."""

PEOPLE = [
    ("Maria Kowalska", "Polish foreign minister"),
    ("Daniel Okafor", "Nigerian trade minister"),
    ("Ines Moreau", "French defence minister"),
    ("Tomas Berg", "Norwegian prime minister"),
    ("Aiko Tanaka", "Japanese ambassador"),
    ("Rafael Duarte", "Brazilian finance minister"),
    ("Helena Novak", "Czech president"),
    ("Samuel Adeyemi", "UN envoy"),
]
CITIES = ["Warsaw", "Lagos", "Paris", "Oslo", "Tokyo", "Brasilia", "Prague", "Geneva"]
ORGS = ["the World Health Organization", "the European Commission", "the Red Cross", "NATO"]
SENTENCES = [
    "{p} arrived in {c} on {day} for talks with {o} about the {n}-point plan.",
    '"We are ready to sign an agreement this month," {last} told reporters in {c}.',
    "Police in {c} said {n} protesters were arrested outside the parliament on {day}.",
    "At least {k} people were killed and {n} injured when a bridge collapsed near {c}.",
    "{o} accused the government of blocking aid convoys to the north for {k} weeks.",
    '{last} said the {role} would "not accept threats" from anyone.',
    "Officials in {c} announced sanctions against {k} companies linked to the smuggling ring.",
    "Thousands marched through {c} on {day} to protest against rising fuel prices.",
    "The {role} met {o} representatives and promised {n} million dollars in emergency aid.",
    "Farmers near {c} reported that the harvest had fallen by {n} percent this year.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def generated_article(index: int) -> dict[str, Any]:
    """A short, distinct news-like article, id ``chaos-gen-<index>`` (seeded by ``index``)."""
    rng = random.Random(index)
    person, role = PEOPLE[index % len(PEOPLE)]
    fill = {
        "p": person,
        "last": person.split()[-1],
        "role": role,
        "c": rng.choice(CITIES),
        "o": rng.choice(ORGS),
        "day": rng.choice(DAYS),
        "n": rng.randint(3, 400),
        "k": rng.randint(2, 30),
    }
    sentences = [s.format(**fill) for s in rng.sample(SENTENCES, 5)]
    return {
        "id": f"chaos-gen-{index:05d}",
        "title": f"{person} in {fill['c']}: talks, protests and aid (report {index})",
        "body": " ".join(s[0].upper() + s[1:] for s in sentences),
        "source": "Wirestream Chaos Wire",
        "published_at": f"2026-03-{1 + index % 28:02d}T{index % 24:02d}:15:00Z",
        "language": "en",
    }


def generated_pool(size: int) -> list[Message]:
    """``size`` generated articles as (id, JSON) messages."""
    return [
        (f"chaos-gen-{i:05d}".encode(), jsonio.dumps(generated_article(i))) for i in range(size)
    ]


def load_pool(folder: Path) -> list[Message]:
    """Every valid article line of ``folder/*.jsonl`` as (id, the line's bytes), alternating
    between the files; invalid lines are skipped. Raises :class:`InputError` when none is found."""
    per_file: list[list[Message]] = []
    for path in sorted(folder.glob("*.jsonl")):
        messages = []
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                line = line.rstrip(b"\r\n")
                if not line.strip():
                    continue
                try:
                    article = decode_article(line, f"{path.name}:{number}")
                except InputError:
                    continue
                messages.append((article.id.encode("utf-8"), line))
        per_file.append(messages)
    mixed: list[Message] = []
    for i in range(max(map(len, per_file), default=0)):
        mixed.extend(messages[i] for messages in per_file if i < len(messages))
    if not mixed:
        raise InputError(
            f"no load articles in {folder} (expected *.jsonl files of articles): pass --data DIR "
            "with a load/ folder, or --generated"
        )
    return mixed


def nested_json(depth: int) -> bytes:
    """``{"level":{"level": ... {}}}``, ``depth`` objects deep, as JSON text (written by hand: the
    JSON module refuses to serialise more than 254 levels, which is the point of this poison)."""
    return b'{"level":' * (depth - 1) + b"{}" + b"}" * (depth - 1)


def poison_message(kind: str, number: int, marker: str) -> Message:
    """The poison message ``kind`` (see :data:`wirestream.chaos.plan.POISON_KINDS`), key
    ``chaos-<kind>-<number>``; ``marker`` is the run's fault-marker token."""
    key = f"chaos-{kind}-{number}"
    body = f"Officials in Geneva said on Monday that talks would resume ({key})."
    if kind == "nested":
        shell = jsonio.dumps({"id": key, "title": "Nested", "body": body, "metadata": {}})
        return key.encode(), shell.replace(
            b'"metadata":{}', b'"metadata":' + nested_json(NESTED_DEPTH)
        )
    if kind == "fault":
        article = {
            "id": key,
            "title": "Fault",
            "body": body,
            "metadata": {FAULT_METADATA_KEY: marker},
        }
        return key.encode(), jsonio.dumps(article)
    if kind == "huge":
        chunk = f"{key} is not JSON; ".encode()
        return key.encode(), (chunk * (HUGE_BYTES // len(chunk) + 1))[:HUGE_BYTES]
    if kind == "not_json":
        return key.encode(), f"{{{key} is not JSON".encode()
    if kind == "wrong_shape":
        return key.encode(), jsonio.dumps({"headline": key, "text": number})
    raise ValueError(f"unknown poison kind {kind!r}")


def build_messages(
    order: Sequence[tuple[str, int | str]], pool: Sequence[Message], marker: str
) -> list[Message]:
    """The plan's ``order`` as messages: pool articles by index, poison numbered in order."""
    messages = []
    for number, (what, which) in enumerate(order):
        if what == "article":
            messages.append(pool[int(which)])
        else:
            messages.append(poison_message(str(which), number, marker))
    return messages


def depth(value: Any) -> int:
    """Nesting depth of a decoded JSON value (a scalar is 0)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
            deepest = max(deepest, level + 1)
    return deepest


def _nesting(value: bytes) -> str:
    """`` (metadata nested N deep)`` for a message whose metadata nests deeper than 20 levels
    (the article contract refuses more than 32), else empty."""
    import json  # the standard parser: orjson refuses what nests deeper than 1,024 levels

    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return ""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    nest = depth(metadata) if metadata is not None else 0
    return f" (metadata nested {nest} deep)" if nest > 20 else ""


def describe(value: bytes) -> tuple[str | None, str]:
    """(the article id a worker must emit a record for, or None; what the message is)."""
    try:
        article = decode_article(value, "chaos")
    except InputError as exc:
        return None, f"{exc.stage} failure{_nesting(value)}, {len(value)} bytes"
    except (ValueError, RecursionError) as exc:
        return None, f"undecodable ({type(exc).__name__}), {len(value)} bytes"
    what = f"article {article.id}"
    if article.metadata.get(FAULT_METADATA_KEY):
        what += " (fault marker)"
    nest = depth(article.metadata)
    if nest > 20:
        what += f" (metadata nested {nest} deep)"
    return article.id, what
