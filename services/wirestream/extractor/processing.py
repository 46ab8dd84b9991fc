"""What the extractor does with a batch of raw messages, without faust or Kafka.

decode + validate each message (:func:`wirestream.inputs.decode_article`) → extract the valid ones
in one batch (on failure, one by one, so only the bad article is dead-lettered) → mark
near-duplicates on the article record → the messages to send: each article's records to the topic
of their kind keyed by article id, or one dead letter. The app sends them, waits for the broker's
acknowledgement, and only then acks the source messages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from wirestream.core import jsonio
from wirestream.core.contracts import Article, DeadLetter, SourcePosition
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.pipeline import AnyRecord, ArticleResult
from wirestream.errors import InputError
from wirestream.extractor.dedup import DuplicateIndex
from wirestream.extractor.metrics import ExtractorMetrics
from wirestream.inputs import decode_article
from wirestream.streaming import deadletters
from wirestream.streaming.topics import RAW_DEAD_LETTERS, RECORD_TOPICS

logger = logging.getLogger(__name__)

SERVICE = "extractor"


@dataclass(frozen=True)
class Incoming:
    """One raw message: its value and where it came from (``timestamp`` in seconds)."""

    value: bytes
    source: SourcePosition
    key: bytes | None
    timestamp: float

    @property
    def location(self) -> str:
        return f"{self.source.topic}[{self.source.partition}]@{self.source.offset}"


@dataclass(frozen=True)
class Outgoing:
    """One message to send: ``topic`` is a declared topic key (``entities``, ``raw_dlq`` ...)."""

    topic: str
    key: bytes | None
    value: bytes


@dataclass
class _Slot:
    incoming: Incoming
    article: Article | None = None
    result: ArticleResult | None = None
    failure: DeadLetter | None = None


class BatchProcessor:
    """Turns raw messages into the messages to publish; see the module docstring.

    ``dedup`` is optional (no near-duplicate marking without it).
    """

    def __init__(
        self,
        extractor: Extractor,
        *,
        dedup: DuplicateIndex | None = None,
        metrics: ExtractorMetrics | None = None,
        service: str = SERVICE,
    ) -> None:
        self.extractor = extractor
        self.dedup = dedup
        self.metrics = metrics or ExtractorMetrics()
        self.service = service

    # -- stage 1: decode and validate (cheap, on the event loop) --------------------------------
    def decode(self, batch: Sequence[Incoming]) -> list[_Slot]:
        slots = []
        for incoming in batch:
            slot = _Slot(incoming)
            try:
                slot.article = decode_article(incoming.value, incoming.location)
            except InputError as exc:
                stage = "decode" if exc.stage == "decode" else "validate"
                slot.failure = self._dead_letter(incoming, exc, stage)
            slots.append(slot)
        return slots

    # -- stage 2: extraction (CPU-bound: on the event loop or a worker thread, see the app) ------
    @staticmethod
    def text_size(slots: Sequence[_Slot]) -> int:
        """Characters of article text a batch holds (what extraction time grows with)."""
        return sum(len(slot.article.body) for slot in slots if slot.article is not None)

    def extract(self, slots: list[_Slot]) -> list[_Slot]:
        """Fill ``result`` (or ``failure``) of every decoded slot; returns ``slots``."""
        todo = [slot for slot in slots if slot.article is not None]
        if not todo:
            return slots
        started = time.perf_counter()
        try:
            results = self.extractor.extract_batch([s.article for s in todo if s.article])
            for slot, result in zip(todo, results, strict=True):
                slot.result = result
        except Exception:  # noqa: BLE001 - any failure: retry one by one to isolate the culprit
            logger.warning("batch extraction failed; retrying %d articles one by one", len(todo))
            for slot in todo:
                assert slot.article is not None
                try:
                    slot.result = self.extractor.extract_batch([slot.article])[0]
                except Exception as exc:  # dead-lettered with its type and message
                    logger.exception("extraction failed", extra={"article_id": slot.article.id})
                    slot.failure = self._dead_letter(slot.incoming, exc, "extract")
        self.metrics.extraction_seconds.observe(time.perf_counter() - started)
        self.metrics.batch_size.observe(len(todo))
        return slots

    # -- stage 3: duplicates and outgoing messages ---------------------------------------------
    def outgoing(self, slots: list[_Slot]) -> list[Outgoing]:
        """The messages to send, in source order; marks duplicates in the dedup store."""
        out: list[Outgoing] = []
        for slot in slots:
            if slot.failure is not None:
                out.append(self._letter_message(slot.failure))
                self.metrics.articles.labels("dead_letter").inc()
                continue
            result = slot.result
            assert result is not None
            article = result.article
            outcome = "extracted"
            if self.dedup is not None:
                duplicate = self.dedup.observe(
                    article.article_id, article.fingerprint, slot.incoming.timestamp
                )
                if duplicate is not None:
                    outcome = "duplicate"
                    article = article.model_copy(
                        update={
                            "duplicate_of": duplicate.of,
                            "duplicate_similarity": duplicate.similarity,
                        }
                    )
            key = article.article_id.encode("utf-8")
            records: list[AnyRecord] = [article, *result.entities, *result.quotes, *result.events]
            for record in records:
                out.append(Outgoing(RECORD_TOPICS[record.kind].key, key, jsonio.dumps(record)))
                self.metrics.records.labels(record.kind).inc()
            self.metrics.articles.labels(outcome).inc()
        return out

    def unpublishable(self, batch: Sequence[Incoming], error: BaseException) -> list[Outgoing]:
        """Dead letters (stage ``publish``) for every message of a batch whose records the broker
        refused for good; some of the batch's records may have been published before it did."""
        return [
            self._letter_message(self._dead_letter(incoming, error, "publish"))
            for incoming in batch
        ]

    def _letter_message(self, letter: DeadLetter) -> Outgoing:
        """The dead-letter topic's message for ``letter`` (and the dead-letter count)."""
        self.metrics.dead_letters.labels(letter.stage, letter.error_type).inc()
        return Outgoing(
            RAW_DEAD_LETTERS.key,
            deadletters.dead_letter_key(letter.source),
            deadletters.encode(letter),
        )

    def _dead_letter(self, incoming: Incoming, error: BaseException, stage: str) -> DeadLetter:
        logger.warning(
            "dead-lettering message",
            extra={"stage": stage, "error_type": type(error).__name__, "at": incoming.location},
        )
        return deadletters.build_dead_letter(
            incoming.value,
            error,
            stage,  # type: ignore[arg-type]
            incoming.source,
            self.service,
        )

    def process(self, batch: Sequence[Incoming]) -> list[Outgoing]:
        """All three stages in the calling thread (tests, benchmarks)."""
        return self.outgoing(self.extract(self.decode(batch)))
