"""Every raw offset against the outputs (pure).

A raw message at (partition, offset) is *accounted for* when an article record with its article id
exists (the id decoded from the raw value, derived from the content when the article has none), or
a dead letter whose ``source`` names the raw topic and that partition and offset. Everything else is
*lost*. A record id seen more times than the raw topic carries its article is a *visible
duplicate*: byte-identical when every copy has the same bytes, else differing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wirestream.chaos.messages import describe
from wirestream.core import jsonio

DEAD_LETTER_TOPIC = "raw_dlq"
"""The topic key (``wirestream.streaming.topics``) of the raw topic's dead letters."""


@dataclass(frozen=True)
class RawMessage:
    """One raw message as read back from the raw topic, with what it should produce."""

    partition: int
    offset: int
    key: bytes | None
    article_id: str | None
    what: str
    size: int

    @classmethod
    def read(cls, partition: int, offset: int, key: bytes | None, value: bytes) -> RawMessage:
        article_id, what = describe(value)
        return cls(partition, offset, key, article_id, what, len(value))

    def as_dict(self) -> dict[str, Any]:
        return {
            "partition": self.partition,
            "offset": self.offset,
            "key": self.key.decode("utf-8", "replace") if self.key is not None else None,
            "article_id": self.article_id,
            "what": self.what,
            "size": self.size,
        }


@dataclass
class OutputIndex:
    """What a read_committed consumer has seen so far on the record and dead-letter topics.

    ``raw_topic`` is the full name of the raw topic: dead letters of other sources are ignored.
    """

    raw_topic: str
    article_ids: set[str] = field(default_factory=set)
    dead_letters: Counter[tuple[int, int]] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)
    dead_letter_stage: dict[tuple[int, int], str] = field(default_factory=dict)
    records: dict[str, tuple[str, list[bytes]]] = field(default_factory=dict)
    unreadable: int = 0

    def add(self, topic_key: str, value: bytes) -> None:
        """One output message; ``topic_key`` is ``articles``, ``entities``, ... or ``raw_dlq``."""
        try:
            data = jsonio.loads(value)
            if topic_key == DEAD_LETTER_TOPIC:
                self._add_dead_letter(data)
            else:
                self._add_record(data, value)
        except (ValueError, KeyError, TypeError):
            self.unreadable += 1

    def _add_dead_letter(self, data: dict[str, Any]) -> None:
        source = data["source"]
        if source["topic"] != self.raw_topic:
            return
        position = (int(source["partition"]), int(source["offset"]))
        self.dead_letters[position] += 1
        self.stages[str(data["stage"])] += 1
        self.dead_letter_stage.setdefault(position, str(data["stage"]))

    def _add_record(self, data: dict[str, Any], value: bytes) -> None:
        article_id = str(data["article_id"])
        if data["kind"] == "article":
            self.article_ids.add(article_id)
        self.records.setdefault(str(data["id"]), (article_id, []))[1].append(value)


@dataclass(frozen=True)
class Duplicate:
    record_id: str
    article_id: str
    copies: int
    expected: int
    identical: bool


@dataclass(frozen=True)
class Reconciliation:
    """The outcome for one run (see the module docstring)."""

    raw: int
    accounted: int
    lost: tuple[RawMessage, ...]
    duplicates: tuple[Duplicate, ...]
    dead_letters_by_stage: dict[str, int]
    duplicate_dead_letters: int
    outcomes: dict[str, str]
    unreadable_outputs: int

    @property
    def identical_duplicates(self) -> int:
        return sum(1 for d in self.duplicates if d.identical)

    @property
    def differing_duplicates(self) -> int:
        return sum(1 for d in self.duplicates if not d.identical)


def reconcile(raw: Sequence[RawMessage], index: OutputIndex) -> Reconciliation:
    """Account for every raw message (see the module docstring)."""
    lost = []
    outcomes: dict[str, str] = {}
    for message in raw:
        position = (message.partition, message.offset)
        label = message.key.decode("utf-8", "replace") if message.key else f"@{position}"
        if position in index.dead_letters:
            outcomes[label] = f"dead letter ({index.dead_letter_stage[position]})"
        elif message.article_id is not None and message.article_id in index.article_ids:
            outcomes[label] = "records"
        else:
            outcomes[label] = "lost"
            lost.append(message)
    return Reconciliation(
        raw=len(raw),
        accounted=len(raw) - len(lost),
        lost=tuple(lost),
        duplicates=tuple(find_duplicates(raw, index)),
        dead_letters_by_stage=dict(sorted(index.stages.items())),
        duplicate_dead_letters=sum(n - 1 for n in index.dead_letters.values() if n > 1),
        outcomes=outcomes,
        unreadable_outputs=index.unreadable,
    )


def find_duplicates(raw: Iterable[RawMessage], index: OutputIndex) -> list[Duplicate]:
    """Record ids seen more often than the raw topic carries their article."""
    carried = Counter(m.article_id for m in raw if m.article_id is not None)
    found = []
    for record_id, (article_id, values) in sorted(index.records.items()):
        expected = max(1, carried.get(article_id, 0))
        if len(values) > expected:
            identical = len(set(values)) == 1
            found.append(Duplicate(record_id, article_id, len(values), expected, identical))
    return found


def committed_past(lost: Iterable[RawMessage], committed: Mapping[int, int]) -> list[RawMessage]:
    """The lost messages the consumer group has committed past (skipped for good), as opposed to
    those still at or after the committed offset (stalled: the group may yet process them)."""
    return [m for m in lost if committed.get(m.partition, 0) > m.offset]
