"""Story versions: which version of a story stands, and what a new message retracts. Pure.

A wire story is re-sent as it develops. An article says which story it belongs to and where in
it it stands (``Article.story_id``, ``version``, ``status``; see ``docs/CONSUMERS.md``, "Story
versions and retractions"), and :func:`decide` compares a new message with the story's standing
version (:class:`~wirestream_contracts.state.StoryState`, or None for a story not seen):

- its **order** is ``(version, published_at, Kafka timestamp, article id, revision)``; the
  version is the input's ``version``, else the wire tag's (:func:`wire_version`: "UPDATE 2-" is
  the third version, a plain "UPDATE-" the second), else 1; a missing ``published_at`` sorts
  first;
- a message ordered **after** the standing version is published: its records stand, and the
  standing version's records it no longer produces are retracted (reason ``superseded``), with a
  tombstone for the standing article id when the new version has another one;
- a message ordered **before** (or at) the standing version is **stale**: nothing of it is
  published (an older version never overwrites a newer one); the same message again (equal
  order) is published again unchanged, as an idempotent replay;
- a **kill** (``status`` ``killed``/``withdrawn``, or a ``kill`` version tag: "KILL-",
  "WITHDRAWN-", "ELIMINATE-") retracts the standing version whatever its order (reason
  ``killed``), tombstones its article id, and is final: every later message of the story is
  stale.

The same inputs in the same order always give the same decisions and records (retraction ids and
times come from the messages, never the clock), so a replay is byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wirestream_contracts.ids import content_id
from wirestream_contracts.retractions import RetractionReason, RetractionRecord
from wirestream_contracts.state import StoryState

KILL_STATUSES = frozenset({"killed", "withdrawn"})


@dataclass(frozen=True)
class Tag:
    """A version tag as the envelope found it: ``kind`` ("update", "kill" ...) and number."""

    kind: str
    number: int | None = None


@dataclass(frozen=True)
class Message:
    """What :func:`decide` needs of one new message of a story."""

    story_id: str
    article_id: str
    revision: str
    version: int
    published: float | None
    timestamp: float
    killed: bool
    record_ids: tuple[str, ...] = ()

    @property
    def order(self) -> tuple[int, float, float, str, str]:
        published = self.published if self.published is not None else float("-inf")
        return (self.version, published, self.timestamp, self.article_id, self.revision)


@dataclass(frozen=True)
class Decision:
    """What to do with a message: ``publish`` its records, or not (``stale``, ``kill``);
    ``retractions`` and ``tombstones`` (article ids on the compacted articles topic) to send;
    ``state`` the story's standing version afterwards (None: unchanged)."""

    action: str
    retractions: list[RetractionRecord] = field(default_factory=list)
    tombstones: list[str] = field(default_factory=list)
    state: StoryState | None = None


def wire_version(tags: Iterable[Tag]) -> int | None:
    """The version a wire tag gives: "UPDATE n-" → n + 1, "UPDATE-" → 2; None without one."""
    for tag in tags:
        if tag.kind == "update":
            return (tag.number or 1) + 1
    return None


def is_kill(status: str | None, tags: Iterable[Tag]) -> bool:
    """A kill or withdrawal notice: ``status`` killed/withdrawn, or a ``kill`` tag."""
    return status in KILL_STATUSES or any(tag.kind == "kill" for tag in tags)


def effective_version(given: int | None, tags: Sequence[Tag]) -> int:
    """The input's ``version``, else the wire tag's, else 1."""
    if given is not None:
        return given
    return wire_version(tags) or 1


def order_of(state: StoryState) -> tuple[int, float, float, str, str]:
    published = state.published if state.published is not None else float("-inf")
    return (state.version, published, state.timestamp, state.article_id, state.revision)


def decide(standing: StoryState | None, message: Message) -> Decision:
    """The decision for ``message`` given the story's ``standing`` version (module docstring)."""
    if standing is not None and standing.killed:
        return Decision("stale")
    if message.killed:
        return _kill(standing, message)
    if standing is not None and message.order < order_of(standing):
        return Decision("stale")
    state = _state_of(message, record_ids=list(message.record_ids))
    if standing is None:
        return Decision("publish", state=state)
    dropped = [rid for rid in standing.record_ids if rid not in set(message.record_ids)]
    moved = standing.article_id != message.article_id
    retractions = []
    if dropped or moved:
        retractions.append(
            retraction(standing, "superseded", message, dropped, superseded_by=message.article_id)
        )
    return Decision(
        "publish",
        retractions=retractions,
        tombstones=[standing.article_id] if moved else [],
        state=state,
    )


def _state_of(message: Message, **fields: Any) -> StoryState:
    """The story's state once ``message`` stands (``fields``: its record ids, or killed)."""
    return StoryState(
        story_id=message.story_id,
        article_id=message.article_id,
        revision=message.revision,
        version=message.version,
        published=message.published,
        timestamp=message.timestamp,
        **fields,
    )


def _kill(standing: StoryState | None, message: Message) -> Decision:
    if standing is None:
        # Nothing of the story seen here: retract every record of the article id the notice names.
        record = _record(
            message.article_id, None, message.story_id, "killed", message, [], superseded_by=None
        )
        retractions, tombstones = [record], [message.article_id]
    else:
        retractions = [retraction(standing, "killed", message, list(standing.record_ids))]
        tombstones = sorted({standing.article_id, message.article_id})
    state = _state_of(message, killed=True)
    return Decision("kill", retractions=retractions, tombstones=tombstones, state=state)


def retraction(
    standing: StoryState,
    reason: RetractionReason,
    by: Message,
    record_ids: list[str],
    *,
    superseded_by: str | None = None,
) -> RetractionRecord:
    """The retraction of ``standing``'s ``record_ids`` because of message ``by``."""
    return _record(
        standing.article_id,
        standing.revision,
        standing.story_id,
        reason,
        by,
        record_ids,
        superseded_by=superseded_by,
    )


def _record(
    article_id: str,
    revision: str | None,
    story_id: str,
    reason: RetractionReason,
    by: Message,
    record_ids: list[str],
    *,
    superseded_by: str | None,
) -> RetractionRecord:
    key = "\x1e".join(
        [article_id, revision or "", reason, by.article_id, by.revision, repr(by.timestamp)]
    )
    return RetractionRecord(
        id="retraction-" + content_id(key).removeprefix("sha256-"),
        article_id=article_id,
        revision=revision,
        story_id=story_id,
        reason=reason,
        superseded_by=superseded_by,
        record_ids=record_ids,
        retracted_at=datetime.fromtimestamp(by.timestamp, UTC).isoformat().replace("+00:00", "Z"),
    )
