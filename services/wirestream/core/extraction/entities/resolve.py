"""Resolve spaCy's entity mentions into one record per real-world thing (first version)."""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Doc

from wirestream.core.contracts import EntityRecord, EntityType
from wirestream.core.extraction.cleaning import CleanText
from wirestream.core.extraction.entities.index import EntityIndex
from wirestream.core.extraction.spans import body_span
from wirestream.core.ids import record_id

_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORGANIZATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "GROUP",
}


def resolve_entities(doc: Doc, body: str, clean: CleanText, article_id: str) -> EntityIndex:
    """Group spaCy's mentions by surface text into entity records."""
    groups: dict[tuple[str, EntityType], list[tuple[int, int]]] = defaultdict(list)
    for ent in doc.ents:
        etype = _TYPES.get(ent.label_)
        if etype is None:
            continue
        groups[(ent.text, etype)].append((ent.start_char, ent.end_char))
    total = sum(len(v) for v in groups.values()) or 1
    records = [
        EntityRecord(
            id=record_id("entity", article_id, name),
            article_id=article_id,
            name=name,
            type=etype,
            mentions=[body_span(body, s, e) for s, e in spans],
            aliases=[],
            roles=[],
            country=None,
            geo=None,
            salience=round(len(spans) / total, 4),
        )
        for (name, etype), spans in groups.items()
    ]
    records.sort(key=lambda r: (r.mentions[0].start, r.name))
    return EntityIndex(records)
