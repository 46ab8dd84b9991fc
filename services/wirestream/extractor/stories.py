"""The extractor's story-version state: the standing version of each story, per raw partition.

Every version of a story reaches one raw partition (publishers key raw messages by story id), so
the partition's owner alone decides its versions (:func:`wirestream.core.stories.decide`). The
state of a partition is its **committed** entries - read back from the
:data:`~wirestream.streaming.topics.EXTRACTOR_STORIES` changelog (``read_committed``) when the
worker takes the partition or resets it, and updated when a transaction carrying new entries
commits - overlaid with the entries **staged** by the batches prepared since under the
partition's current generation (batch N+1 is prepared while batch N commits, and must see N's
versions). A reset or a rebalance changes the generation, so what a voided batch staged is
ignored: the messages are processed again against the committed state, and get the same
decisions.

Reading back is bounded by ``WIRESTREAM_EXTRACTOR_RESTORE_TIMEOUT`` (default 10 s) and, unlike
the fingerprint restore, must finish: a partition whose story state could not be read is reset
and tried again rather than processed against a partial state (an older version could then
overwrite a newer one).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError

from wirestream.errors import WirestreamError
from wirestream.streaming.readback import read_to_end
from wirestream_contracts.state import StoryState

logger = logging.getLogger(__name__)


class StoryRestoreError(WirestreamError):
    """The story state of a partition could not be read back in time."""


@dataclass
class StoryBook:
    """Committed and staged story states per raw partition (see the module docstring)."""

    committed: dict[int, dict[str, StoryState]] = field(default_factory=dict)
    staged: dict[int, tuple[int, dict[str, StoryState]]] = field(default_factory=dict)

    def get(self, partition: int, generation: int, story_id: str) -> StoryState | None:
        gen, staged = self.staged.get(partition, (None, {}))
        if gen == generation and story_id in staged:
            return staged[story_id]
        return self.committed.get(partition, {}).get(story_id)

    def stage(self, partition: int, generation: int, state: StoryState) -> None:
        gen, staged = self.staged.get(partition, (None, {}))
        if gen is not None and generation < gen:
            return  # a batch of a voided generation: it is never committed
        if gen != generation:
            staged = {}
            self.staged[partition] = (generation, staged)
        staged[state.story_id] = state

    def unstage(self, partition: int, state: StoryState) -> bool:
        """Take back ``state`` (its message was dead-lettered, not published): the story falls
        back to its committed state. False when a later message staged another state for the
        story meanwhile (it was decided against ``state``: the partition must be reset)."""
        _, staged = self.staged.get(partition, (None, {}))
        current = staged.get(state.story_id)
        if current is not None and current != state:
            return False
        staged.pop(state.story_id, None)
        return True

    def commit(self, partition: int, states: Iterable[StoryState]) -> None:
        """States of a committed transaction become the partition's committed state."""
        book = self.committed.setdefault(partition, {})
        for state in states:
            book[state.story_id] = state

    def forget(self, partition: int) -> None:
        self.committed.pop(partition, None)
        self.staged.pop(partition, None)

    def load(self, partition: int, states: Iterable[StoryState]) -> None:
        """Replace the partition's state with what was read back (nothing staged stands)."""
        self.forget(partition)
        self.committed[partition] = {state.story_id: state for state in states}


async def read_back(
    make_consumer: Callable[[], AIOKafkaConsumer],
    topic: str,
    partitions: Collection[int],
    *,
    timeout: float,
) -> dict[int, list[StoryState]]:
    """Every committed entry of ``partitions`` of the changelog ``topic`` (latest per story), by
    partition; raises :class:`StoryRestoreError` when it takes longer than ``timeout`` seconds."""
    started = time.monotonic()
    states: dict[int, dict[str, StoryState]] = {p: {} for p in partitions}

    def on_message(message: Any) -> None:
        _remember(states[message.partition], message.key, message.value)

    if not await read_to_end(make_consumer, topic, partitions, on_message, timeout=timeout):
        raise StoryRestoreError(
            f"the story state of partitions {sorted(partitions)} was not read back "
            f"within {timeout}s (WIRESTREAM_EXTRACTOR_RESTORE_TIMEOUT)"
        )
    logger.info(
        "story state restored",
        extra={
            "partitions": sorted(partitions),
            "stories": sum(map(len, states.values())),
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    return {p: list(found.values()) for p, found in states.items()}


async def restore_into(
    book: StoryBook,
    make_consumer: Callable[[], AIOKafkaConsumer],
    topic: str,
    partitions: Collection[int],
    *,
    timeout: float,
) -> None:
    """Replace ``partitions``' state in ``book`` with what :func:`read_back` reads (raises as it
    does, or ``TimeoutError`` when the broker does not answer)."""
    if not partitions:
        return
    states = await asyncio.wait_for(
        read_back(make_consumer, topic, partitions, timeout=timeout), timeout + 5.0
    )
    for partition, found in states.items():
        book.load(partition, found)


def _remember(states: dict[str, StoryState], key: bytes | None, value: bytes | None) -> None:
    if not value:
        if key:
            states.pop(key.decode("utf-8", "replace"), None)
        return
    try:
        state = StoryState.model_validate_json(value)
    except ValidationError:
        logger.warning("skipping an unreadable story state entry")
        return
    states[state.story_id] = state
