"""The base of every model Wirestream writes for others to read.

Readers tolerate unknown fields: a record from a newer minor version (one more optional field)
parses with these models, the unknown field dropped (``extra="ignore"``), and the generated JSON
Schemas leave ``additionalProperties`` open. Wirestream itself still emits only declared fields:
a model dumps nothing but its declared fields, and constructing one with an undeclared keyword is
a type error (mypy's pydantic plugin with ``init_forbid_extra``).

The input :class:`~wirestream_contracts.article.Article` is the one exception: Wirestream is its
reader, and it rejects unknown fields so that a publisher's typo (``text`` for ``body``) is caught
at once; see ``docs/CONSUMERS.md`` (compatibility policy).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ReadingModel(BaseModel):
    """Frozen; unknown fields ignored when reading, never written."""

    model_config = ConfigDict(frozen=True, extra="ignore")
