"""Types for input that arrives as JSON or YAML: what the value says is what it is. Pydantic's
lax mode would read 1.0 or "1" as an integer, "yes" as true and a number as a Unix time; input
that means something else is refused instead, naming the field."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import BeforeValidator, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

__all__ = ["IsoDate", "IsoDateTime", "RowId", "StrictBool", "StrictInt", "without_nul"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def _iso(pattern: re.Pattern[str], example: str) -> BeforeValidator:
    def only_iso_text(value: Any) -> Any:
        if isinstance(value, (date, datetime)) or (isinstance(value, str) and pattern.match(value)):
            return value
        raise ValueError(f"must be an ISO 8601 {example}")

    return BeforeValidator(only_iso_text)


IsoDate = Annotated[date, _iso(_ISO_DATE, "date, e.g. 2026-03-10")]
IsoDateTime = Annotated[datetime, _iso(_ISO_DATE_TIME, "date-time, e.g. 2026-03-10T08:00:00Z")]

# A row id: what an INTEGER column holds on both engines (a larger one is no row, not a crash).
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Interval(ge=1, le=MAX_ROW_ID)]


def without_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold a NUL character: refused as input, naming the field, not by
    the database as a server error."""
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("nul_character", "may not contain a NUL character")
    return value
