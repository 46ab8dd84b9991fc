"""Injected faults for fault runs (``wirestream chaos``); off unless a marker is configured.

With ``WIRESTREAM_EXTRACTOR_FAULT_MARKER=<token>`` (at least 8 characters), an article whose
``metadata`` carries ``"wirestream_fault": "<token>"`` makes the extraction of any batch it is in
raise :class:`InjectedFault` (the worker then isolates it and dead-letters it alone), and
``"<token>:stall"`` makes every transaction of the partition it is on fail, so that partition
stops making progress (what ``/health`` must notice). Without the setting the metadata key means
nothing. The token keeps a publisher who does not know it from triggering a fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wirestream.core.contracts import Article
from wirestream.errors import WirestreamError

METADATA_KEY = "wirestream_fault"


class InjectedFault(WirestreamError):
    """A fault injected on purpose by a fault run; never raised without a configured marker."""


@dataclass(frozen=True)
class FaultInjector:
    """Decides which articles carry an injected fault; ``marker`` None disables everything."""

    marker: str | None = None

    def _mark(self, article: Article) -> object:
        return article.metadata.get(METADATA_KEY) if self.marker else None

    def raises(self, article: Article) -> bool:
        return self.marker is not None and self._mark(article) == self.marker

    def stalls(self, article: Article) -> bool:
        return self.marker is not None and self._mark(article) == f"{self.marker}:stall"

    def check_batch(self, articles: Iterable[Article]) -> None:
        """Raise :class:`InjectedFault` when any article of the batch is marked to raise."""
        for article in articles:
            if self.raises(article):
                raise InjectedFault(f"fault injected for article {article.id!r} (fault run)")
