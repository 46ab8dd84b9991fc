"""What the extractor does with a batch of raw messages, without Kafka.

decode + validate each message (:func:`wirestream.inputs.decode_article`) → extract the valid ones
in one batch (on failure, one by one, so only the bad article is dead-lettered) → for each
message, on its own: mark near-duplicates, build and serialise its records, check their sizes →
a :class:`Processed` per message: the messages to send for it (its records to the topic of their
kind keyed by article id, and its fingerprint entry to the changelog partition of its source), or
one dead letter. Any exception in one message's processing after decode dead-letters that message
with its stage and cause; its neighbours are not touched.

The loop (:mod:`wirestream.extractor.loop`) sends each partition's messages and commits the
source offsets in one Kafka transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import wirestream
from wirestream.core import jsonio
from wirestream.core.contracts import (
    Article,
    ArticleRecord,
    DeadLetter,
    FingerprintEntry,
    SourcePosition,
)
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.pipeline import AnyRecord, ArticleResult
from wirestream.core.stories import Decision, Message, Tag, decide, effective_version, is_kill
from wirestream.errors import InputError, WirestreamError
from wirestream.extractor.dedup import DuplicateIndex
from wirestream.extractor.faults import FaultInjector
from wirestream.extractor.metrics import ExtractorMetrics
from wirestream.extractor.stories import StoryBook
from wirestream.inputs import decode_article
from wirestream.streaming import deadletters
from wirestream.streaming.topics import (
    ARTICLES,
    COPY_FINGERPRINTS,
    EXTRACTOR_FINGERPRINTS,
    EXTRACTOR_STORIES,
    MAX_MESSAGE_BYTES,
    RAW_DEAD_LETTERS,
    RECORD_TOPICS,
    RETRACTIONS,
)
from wirestream_contracts import headers as wire_headers
from wirestream_contracts.deadletter import DeadLetterStage
from wirestream_contracts.retractions import RetractionRecord
from wirestream_contracts.state import StoryState

logger = logging.getLogger(__name__)

_NO_ENVELOPE = type("_NoEnvelope", (), {"tags": ()})()

SERVICE = "extractor"
RECORD_MAX_BYTES = MAX_MESSAGE_BYTES - 64 * 1024
"""Largest serialised record sent; a larger one dead-letters its article (stage ``encode``)
instead of being refused by the broker (the topics' ``max.message.bytes`` less room for the
record batch's own framing)."""


class RecordTooLargeError(WirestreamError):
    """A record would exceed the topics' message size limit."""


@dataclass(frozen=True)
class Incoming:
    """One raw message: its value and where it came from (``timestamp`` in seconds)."""

    value: bytes
    source: SourcePosition
    key: bytes | None
    timestamp: float
    headers: tuple[tuple[str, bytes], ...] = ()

    @property
    def location(self) -> str:
        return f"{self.source.topic}[{self.source.partition}]@{self.source.offset}"


@dataclass(frozen=True)
class Outgoing:
    """One message to send: ``topic`` is a declared topic key (``entities``, ``raw_dlq`` ...);
    ``partition`` None lets the producer's partitioner choose by key; ``headers`` are Wirestream's
    own and those carried from the raw message (:mod:`wirestream_contracts.headers`); ``value``
    None is a tombstone (on a compacted topic)."""

    topic: str
    key: bytes | None
    value: bytes | None
    partition: int | None = None
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class Processed:
    """One raw message's outcome: ``extracted``, ``duplicate``, ``stale`` (an older version of a
    story: nothing published), ``killed`` (a kill notice: retractions only) or ``dead_letter``,
    and what to send for it; ``story`` is the story state it leaves standing (None: unchanged).
    ``stall`` is set only by an injected fault (:mod:`.faults`)."""

    incoming: Incoming
    outcome: str
    messages: list[Outgoing]
    stall: bool = False
    story: StoryState | None = None


@dataclass
class _Slot:
    incoming: Incoming
    article: Article | None = None
    result: ArticleResult | None = None
    failure: DeadLetter | None = None


Offload = Callable[[Callable[[list[_Slot]], list[_Slot]], list[_Slot]], Awaitable[list[_Slot]]]
"""How :meth:`BatchProcessor.prepare` has the extraction stage run: ``offload(extract, slots)``."""


@dataclass
class BatchProcessor:
    """Turns raw messages into the messages to publish; see the module docstring.

    ``dedup`` is optional (no near-duplicate marking without it); ``stories`` too (without it
    every message is published as it comes, no version ordering or retractions); ``faults``
    injects faults only when configured with a marker.
    """

    extractor: Extractor
    dedup: DuplicateIndex | None = None
    stories: StoryBook | None = None
    metrics: ExtractorMetrics = field(default_factory=ExtractorMetrics)
    faults: FaultInjector = field(default_factory=FaultInjector)
    service: str = SERVICE

    # -- stage 1: decode and validate (cheap, on the event loop) --------------------------------
    def decode(self, batch: Sequence[Incoming]) -> list[_Slot]:
        slots = []
        for incoming in batch:
            slot = _Slot(incoming)
            try:
                slot.article = decode_article(incoming.value, incoming.location)
            except InputError as exc:
                stage: DeadLetterStage = "decode" if exc.stage == "decode" else "validate"
                slot.failure = self.dead_letter(incoming, exc, stage)
            slots.append(slot)
        return slots

    # -- stage 2: extraction (CPU-bound: on the event loop or a worker thread, see the loop) -----
    @staticmethod
    def text_size(slots: Sequence[_Slot]) -> int:
        """Characters of article text a batch holds (what extraction time grows with)."""
        return sum(len(slot.article.body) for slot in slots if slot.article is not None)

    def _extract(self, articles: list[Article]) -> list[ArticleResult]:
        self.faults.check_batch(articles)
        return self.extractor.extract_batch(articles)

    def extract(self, slots: list[_Slot]) -> list[_Slot]:
        """Fill ``result`` (or ``failure``) of every decoded slot; returns ``slots``."""
        todo = [slot for slot in slots if slot.article is not None]
        if not todo:
            return slots
        started = time.perf_counter()
        try:
            results = self._extract([s.article for s in todo if s.article])
            for slot, result in zip(todo, results, strict=True):
                slot.result = result
        except Exception:  # noqa: BLE001 - any failure: retry one by one to isolate the culprit
            logger.warning("batch extraction failed; retrying %d articles one by one", len(todo))
            for slot in todo:
                assert slot.article is not None
                try:
                    slot.result = self._extract([slot.article])[0]
                except Exception as exc:
                    logger.exception("extraction failed", extra={"article_id": slot.article.id})
                    slot.failure = self.dead_letter(slot.incoming, exc, "extract")
        self.metrics.extraction_seconds.observe(time.perf_counter() - started)
        self.metrics.batch_size.observe(len(todo))
        return slots

    # -- stage 3: duplicates and outgoing messages, one message at a time -----------------------
    def outgoing(
        self, slots: list[_Slot], generations: Mapping[int, int] | None = None
    ) -> list[Processed]:
        """Each message's outcome and messages, in source order; marks duplicates and orders
        story versions (``generations``: each raw partition's generation, default 0)."""
        out = []
        for slot in slots:
            if slot.failure is None:
                try:
                    generation = (generations or {}).get(slot.incoming.source.partition, 0)
                    processed = self._records(slot, generation)
                except Exception as exc:
                    logger.exception(
                        "building records failed", extra={"at": slot.incoming.location}
                    )
                    slot.failure = self.dead_letter(slot.incoming, exc, "encode")
                else:
                    out.append(processed)
                    continue
            out.append(Processed(slot.incoming, "dead_letter", [self.letter_message(slot.failure)]))
        for processed in out:
            self.metrics.articles.labels(processed.outcome).inc()
        return out

    def _records(self, slot: _Slot, generation: int = 0) -> Processed:
        result = slot.result
        assert result is not None and slot.article is not None
        tags = [Tag(t.kind, t.number) for t in (result.article.envelope or _NO_ENVELOPE).tags]
        version = effective_version(slot.article.version, tags)
        story_id = slot.article.story
        update: dict[str, Any] = {
            "story_id": story_id if story_id != result.article.article_id else None,
            "story_version": version if version != 1 else None,
        }
        decision: Decision | None = None
        if self.stories is not None:
            decision = self._decide(slot, generation, version, tags)
            if decision.action != "publish":
                return self._story_only(slot, decision)
        outcome = "extracted"
        if self.dedup is not None:
            duplicate = self.dedup.observe(
                result.article.article_id, result.article.fingerprint, slot.incoming.timestamp
            )
            if duplicate is not None:
                outcome = "duplicate"
                update["duplicate_of"] = duplicate.of
                update["duplicate_similarity"] = duplicate.similarity
        # One copy of the article record with every change (story fields, duplicate marking).
        article = result.article.model_copy(update=update)
        records: list[AnyRecord] = [article, *result.entities, *result.quotes, *result.events]
        messages = self._messages(slot, article, records, decision)
        for record in records:
            self.metrics.records.labels(record.kind).inc()
        return Processed(
            slot.incoming,
            outcome,
            messages,
            stall=self.faults.stalls(slot.article),
            story=decision.state if decision is not None else None,
        )

    def _decide(self, slot: _Slot, generation: int, version: int, tags: list[Tag]) -> Decision:
        """The story-version decision on ``slot``'s article (its new state staged)."""
        assert self.stories is not None and slot.result is not None and slot.article is not None
        article = slot.result.article
        story_id = slot.article.story
        message = Message(
            story_id=story_id,
            article_id=article.article_id,
            revision=article.revision or "",
            version=version,
            published=(
                slot.article.published_at.timestamp() if slot.article.published_at else None
            ),
            timestamp=slot.incoming.timestamp,
            killed=is_kill(slot.article.status, tags),
            record_ids=tuple(record.id for record in slot.result.records),
        )
        partition = slot.incoming.source.partition
        decision = decide(self.stories.get(partition, generation, story_id), message)
        if decision.state is not None:
            self.stories.stage(partition, generation, decision.state)
        return decision

    def _messages(
        self,
        slot: _Slot,
        article: ArticleRecord,
        records: list[AnyRecord],
        decision: Decision | None,
    ) -> list[Outgoing]:
        """The records' messages, the fingerprint entry (to the extractor's state and to the
        copies stage) and the story-version messages."""
        key = article.article_id.encode("utf-8")
        carried = wire_headers.carried(slot.incoming.headers)
        messages = [
            self._encode(RECORD_TOPICS[r.kind].key, key, r, self.headers(r, carried))
            for r in records
        ]
        entry = FingerprintEntry(
            article_id=article.article_id,
            fingerprint=article.fingerprint,
            timestamp=slot.incoming.timestamp,
        )
        entry_value = jsonio.dumps(entry)
        entry_headers = self.headers(entry, carried)
        messages.append(
            Outgoing(
                EXTRACTOR_FINGERPRINTS.key,
                key,
                entry_value,
                partition=slot.incoming.source.partition,
                headers=entry_headers,
            )
        )
        messages.append(Outgoing(COPY_FINGERPRINTS.key, key, entry_value, 0, entry_headers))
        if decision is not None:
            messages.extend(self._story_messages(slot, decision, carried))
        return messages

    def _story_only(self, slot: _Slot, decision: Decision) -> Processed:
        """A stale message (nothing sent) or a kill notice (its retractions and tombstones)."""
        carried = wire_headers.carried(slot.incoming.headers)
        messages = self._story_messages(slot, decision, carried)
        outcome = "stale" if decision.action == "stale" else "killed"
        return Processed(slot.incoming, outcome, messages, story=decision.state)

    def _story_messages(
        self, slot: _Slot, decision: Decision, carried: list[wire_headers.Header]
    ) -> list[Outgoing]:
        """Retractions (keyed by the retracted article id), tombstones on the articles topic, and
        the story's new state on its changelog partition (the raw message's)."""
        out = [
            Outgoing(
                RETRACTIONS.key,
                retraction.article_id.encode("utf-8"),
                jsonio.dumps(retraction),
                headers=self.headers(retraction, carried),
            )
            for retraction in decision.retractions
        ]
        out.extend(
            Outgoing(ARTICLES.key, article_id.encode("utf-8"), None)
            for article_id in decision.tombstones
        )
        if decision.state is not None:
            out.append(
                Outgoing(
                    EXTRACTOR_STORIES.key,
                    decision.state.story_id.encode("utf-8"),
                    jsonio.dumps(decision.state),
                    partition=slot.incoming.source.partition,
                    headers=self.headers(decision.state, carried),
                )
            )
        self.metrics.retractions.inc(len(decision.retractions))
        return out

    def headers(
        self,
        value: AnyRecord | FingerprintEntry | DeadLetter | RetractionRecord | StoryState,
        carried: list[wire_headers.Header],
    ) -> tuple[tuple[str, bytes], ...]:
        """The headers of a message carrying ``value``: content type, kind, schema version,
        producer (``<service>/<version>``), then the headers carried from the raw message."""
        producer = f"{self.service}/{wirestream.__version__}"
        return tuple(
            wire_headers.produced_headers(value.kind, value.schema_version, producer, carried)
        )

    @staticmethod
    def _encode(
        topic: str, key: bytes, record: AnyRecord, headers: tuple[tuple[str, bytes], ...]
    ) -> Outgoing:
        value = jsonio.dumps(record)
        if len(value) > RECORD_MAX_BYTES:
            raise RecordTooLargeError(
                f"the {record.kind} record {record.id} is {len(value):,} bytes, over the "
                f"{RECORD_MAX_BYTES:,}-byte limit of the record topics: shorten the article"
            )
        return Outgoing(topic, key, value, headers=headers)

    def unpublishable(self, incoming: Incoming, error: BaseException) -> Processed:
        """The dead letter (stage ``publish``) of a message whose records the broker refused for
        good (none of them is visible: they were sent in an aborted transaction)."""
        letter = self.letter_message(self.dead_letter(incoming, error, "publish"))
        self.metrics.articles.labels("dead_letter").inc()
        return Processed(incoming, "dead_letter", [letter])

    def letter_message(self, letter: DeadLetter) -> Outgoing:
        """The dead-letter topic's message for ``letter`` (and the dead-letter count)."""
        self.metrics.dead_letters.labels(letter.stage, letter.error_type).inc()
        carried = wire_headers.carried(deadletters.header_pairs(letter))
        return Outgoing(
            RAW_DEAD_LETTERS.key,
            deadletters.dead_letter_key(letter.source),
            deadletters.encode(letter),
            headers=self.headers(letter, carried),
        )

    def dead_letter(
        self, incoming: Incoming, error: BaseException, stage: DeadLetterStage
    ) -> DeadLetter:
        logger.warning(
            "dead-lettering message",
            extra={"stage": stage, "error_type": type(error).__name__, "at": incoming.location},
        )
        return deadletters.build_dead_letter(
            incoming.value, error, stage, incoming.source, self.service, headers=incoming.headers
        )

    async def prepare(
        self,
        batch: Sequence[Incoming],
        generations: Mapping[int, int] | None = None,
        *,
        offload: Offload | None = None,
    ) -> list[Processed]:
        """The three stages in their order - decode, extract, outgoing - the one place that says
        it. ``offload`` (default: none, extract here) runs the extraction, e.g. in the loop's
        extraction thread."""
        slots = self.decode(batch)
        slots = await offload(self.extract, slots) if offload is not None else self.extract(slots)
        return self.outgoing(slots, generations)

    def process(self, batch: Sequence[Incoming]) -> list[Processed]:
        """:meth:`prepare` in the calling thread (tests, benchmarks), with or without a running
        event loop: without an ``offload`` it never waits, so its coroutine is driven to the end
        in one step here instead of through ``asyncio.run`` (which a running loop refuses)."""
        steps = self.prepare(batch)
        try:
            steps.send(None)
        except StopIteration as done:
            result: list[Processed] = done.value
            return result
        steps.close()
        raise RuntimeError("BatchProcessor.prepare waited without an offload")
