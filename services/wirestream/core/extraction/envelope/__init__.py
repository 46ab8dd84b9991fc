"""The wire envelope: datelines, bylines, credits, version tags, notices and sign-offs.

:func:`find_envelope` finds it (offsets only; cleaning calls it and blanks what it finds, so no
entity, quote or event comes from it); :func:`to_envelope` builds the article record's
:class:`~wirestream.core.contracts.Envelope`, resolving the dateline's place and date.
"""

from wirestream.core.extraction.envelope.find import FoundEnvelope, find_envelope
from wirestream.core.extraction.envelope.record import dateline_place, is_known_place, to_envelope

__all__ = ["FoundEnvelope", "dateline_place", "find_envelope", "is_known_place", "to_envelope"]
