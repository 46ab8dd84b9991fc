"""When: the date nearest the trigger, and whether the event is background.

Background when the trigger follows a background cue ("since", "in the run-up to"), or when its
date ends more than ``recent_days`` (30, ``background.json``) before ``published_at``.
"""

from __future__ import annotations

from datetime import date, timedelta

from wirestream.core.contracts import EventDate
from wirestream.core.extraction.doctext import doc_text
from wirestream.core.extraction.events import syntax
from wirestream.core.extraction.events.context import Draft, EventContext
from wirestream.core.extraction.spans import body_span


def add_date(draft: Draft, ctx: EventContext) -> None:
    """The date of the segment nearest the trigger, if the segment has one."""
    seg = draft.segment
    lo, hi = seg.start_char, seg.end_char
    inside = [d for d in ctx.dates if lo <= d.start and d.end <= hi]
    if not inside:
        return
    anchor = draft.trigger.idx
    best = min(inside, key=lambda d: abs(d.start - anchor))
    draft.date = EventDate(
        value=best.value,
        precision=best.precision,
        span=body_span(ctx.body, best.start, best.end),
        relative=best.relative,
    )


def period_end(value: str, precision: str) -> date:
    """The last day of a date value of ``precision`` day, month or year."""
    parts = [int(p) for p in value.split("-")]
    if precision == "day":
        return date(parts[0], parts[1], parts[2])
    if precision == "month":
        year, month = parts[0], parts[1]
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return date(parts[0], 12, 31)


def mark_background(draft: Draft, ctx: EventContext) -> None:
    """Background when a background cue or "since" precedes the trigger, or its date ended more
    than ``recent_days`` before publication."""
    trig = draft.trigger
    left = syntax.np_bounds(trig)[0] if trig.pos_ != "VERB" else trig.idx
    before = doc_text(ctx.doc)[max(draft.segment.start_char, left - 40) : left].lower()
    before = " ".join(before.replace("-", " - ").split()).replace(" - ", "-")
    if any(
        before.endswith(cue) or f"{cue} " in before[-len(cue) - 25 :]
        for cue in ctx.lex.preceding_cues
    ):
        draft.background = True
    for ancestor in trig.ancestors:
        if ancestor.lower_ == "since" and ancestor.dep_ == "prep":
            draft.background = True
        if ancestor.dep_ in ("ROOT", "relcl"):
            break
    if draft.date is not None and ctx.published is not None:
        end = period_end(draft.date.value, draft.date.precision)
        if end < ctx.published - timedelta(days=ctx.lex.recent_days):
            draft.background = True
