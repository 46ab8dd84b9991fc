"""The one place where JSON is written and read (orjson, one set of options).

Records are serialised with sorted keys so that the same record always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel

_OPTIONS = orjson.OPT_SORT_KEYS


def dumps(value: Any) -> bytes:
    """Serialise a pydantic model or plain value to canonical JSON bytes (sorted keys, UTF-8)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return orjson.dumps(value, option=_OPTIONS)


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse JSON bytes or text; raises ``orjson.JSONDecodeError`` (a ``ValueError``) on bad input."""
    return orjson.loads(data)


def dumps_pretty(value: Any) -> bytes:
    """Like :func:`dumps`, indented by two spaces (for files people read, such as ``schemas/``)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return orjson.dumps(value, option=_OPTIONS | orjson.OPT_INDENT_2)
