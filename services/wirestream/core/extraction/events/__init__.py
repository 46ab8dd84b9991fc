"""Events: who did what to whom, where, when, how many, and who says so.

:func:`find_events` (``find.py``) runs the steps, one module each: ``triggers``, ``participants``,
``timeframe``, ``casualties`` (with ``victims`` and ``shots``), ``claims``, ``merge`` and
``records``; ``context`` holds what they share, ``lexicon`` the data files they read.
"""

from wirestream.core.extraction.events.context import EventsFound
from wirestream.core.extraction.events.find import find_events

__all__ = ["EventsFound", "find_events"]
