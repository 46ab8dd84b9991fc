"""Look-ups over an article's resolved entities, for the quote and event stages."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from wirestream.core.contracts import EntityRecord, Span


@dataclass(frozen=True)
class EntityIndex:
    """An article's entities (sorted by first mention) and their mentions sorted by offset."""

    entities: list[EntityRecord]
    _mentions: list[tuple[int, int, int]] = field(
        init=False, repr=False
    )  # (start, end, entity idx)
    _by_id: dict[str, EntityRecord] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        mentions = sorted(
            (m.start, m.end, i)
            for i, e in enumerate(self.entities)
            for m in e.mentions
            if m.field == "body"
        )
        object.__setattr__(self, "_mentions", mentions)
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entities})

    def by_id(self, entity_id: str) -> EntityRecord:
        return self._by_id[entity_id]

    def find(self, surface: str) -> EntityRecord | None:
        """The entity a name refers to: its canonical name, an alias, or a person's surname
        ("Kuleba", "Zelensky's" → Dmytro Kuleba, Volodymyr Zelenskyy); None when unknown."""
        wanted = surface.strip().removesuffix("'s").removesuffix("’s").casefold()
        for entity in self.entities:
            names = [entity.name, *entity.aliases]
            if any(n.casefold() == wanted for n in names):
                return entity
        for entity in self.entities:
            if entity.type == "PERSON" and entity.name.split(" ")[-1].casefold() == wanted:
                return entity
        return None

    def with_role(self, word: str) -> list[EntityRecord]:
        """People whose role title contains ``word`` ("minister" → Foreign Minister Kuleba ...),
        in order of first mention."""
        wanted = word.casefold()
        return [e for e in self.entities if any(wanted in r.title.casefold() for r in e.roles)]

    def at(self, start: int, end: int) -> EntityRecord | None:
        """The entity with a body mention overlapping ``[start, end)``, the longest overlap first."""
        hits = self.mentions_between(start, end)
        if not hits:
            return None
        best = max(hits, key=lambda h: min(end, h[0].end) - max(start, h[0].start))
        return best[1]

    def mentions_between(self, start: int, end: int) -> list[tuple[Span, EntityRecord]]:
        """Body mentions overlapping ``[start, end)``, in text order."""
        lo = bisect.bisect_left(self._mentions, (start - 500, 0, 0))
        out: list[tuple[Span, EntityRecord]] = []
        for m_start, m_end, idx in self._mentions[lo:]:
            if m_start >= end:
                break
            if m_end > start:
                entity = self.entities[idx]
                span = next(s for s in entity.mentions if s.start == m_start and s.end == m_end)
                out.append((span, entity))
        return out
