"""Events: who did what to whom, where, when, how many, and who says so."""

from wirestream.core.extraction.events.find import EventsFound, find_events

__all__ = ["EventsFound", "find_events"]
