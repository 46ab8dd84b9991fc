"""Merging: a draft in the next segments joins an earlier one of the same type when it shares a
named participant, or picks the earlier one up with an anaphor and the modes agree."""

from __future__ import annotations

from wirestream.core.extraction.events.context import Draft
from wirestream.core.extraction.events.participants import add_participant


def _shares_participant(a: Draft, b: Draft) -> bool:
    ids_a = {p.entity_id for p in (*a.actors, *a.recipients) if p.entity_id}
    ids_b = {p.entity_id for p in (*b.actors, *b.recipients) if p.entity_id}
    return bool(ids_a & ids_b)


def _merge_into(target: Draft, other: Draft) -> None:
    for p in other.actors:
        add_participant(target.actors, p)
    for p in other.recipients:
        add_participant(target.recipients, p)
    spans = {pp.location.span for pp in target.places}
    target.places.extend(pp for pp in other.places if pp.location.span not in spans)
    target.date = target.date or other.date
    target.quantities.extend(q for q in other.quantities if q not in target.quantities)
    target.killed = target.killed or other.killed
    target.injured = target.injured or other.injured
    target.unstated_survival |= other.unstated_survival
    target.weapons.extend(w for w in other.weapons if w not in target.weapons)
    target.claim = target.claim or other.claim
    target.mode = target.mode or other.mode
    target.triggers.extend(other.triggers)
    target.confidence = max(target.confidence, other.confidence)


def _mergeable(earlier: Draft, later: Draft) -> bool:
    if earlier.type != later.type or earlier.background != later.background:
        return False
    gap = later.segment_index - earlier.segment_index
    if gap < 1 or gap > 3:
        return False
    if earlier.date and later.date and earlier.date.value != later.date.value:
        return False
    if later.casualty_only and not later.actors:
        return True
    if earlier.type == "ASSAULT" and earlier.mode and later.mode and earlier.mode != later.mode:
        return False
    if _shares_participant(earlier, later):
        return True
    return gap == 1 and later.anaphoric and (earlier.mode == later.mode or later.mode is None)


def merge_drafts(drafts: list[Draft]) -> list[Draft]:
    """``drafts`` with each one merged into the latest earlier one it continues, if any."""
    merged: list[Draft] = []
    for draft in drafts:
        target = next((m for m in reversed(merged) if _mergeable(m, draft)), None)
        if target is not None:
            _merge_into(target, draft)
        else:
            merged.append(draft)
    return merged
