"""What every request body shares: unknown fields are refused, naming the field, and so is text
holding a NUL character (PostgreSQL cannot store one: it would fail as a server error)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator
from pydantic_core import PydanticCustomError


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("nul_character", "may not contain a NUL character")
        return value


# Pydantic's lax mode reads a number as a Unix time; the API's dates are ISO 8601 text only,
# as its OpenAPI document says.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def _iso(pattern: re.Pattern[str], example: str) -> BeforeValidator:
    def only_iso_text(value: Any) -> Any:
        if isinstance(value, str) and pattern.match(value):
            return value
        if isinstance(value, (date, datetime)):
            return value
        raise ValueError(f"must be an ISO 8601 {example}")

    return BeforeValidator(only_iso_text)


IsoDate = Annotated[date, _iso(_ISO_DATE, "date, e.g. 2026-03-10")]
IsoDateTime = Annotated[datetime, _iso(_ISO_DATE_TIME, "date-time, e.g. 2026-03-10T08:00:00Z")]


# A row id: what an INTEGER column holds on both engines (a larger one is no row, not a crash).
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Interval(ge=1, le=MAX_ROW_ID)]


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    reasons: list[str] | None = None  # e.g. the rules a refused manual edit breaks


class ErrorBody(BaseModel):
    """Every error answer: {"error": {"code", "message", "field"}}."""

    error: ErrorDetail


def _error(description: str) -> dict[str, object]:
    return {"model": ErrorBody, "description": description}


# Declared on every route, so the OpenAPI document describes the answers clients must handle.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: _error("The request cannot be handled as sent"),
    401: _error("Not signed in: missing, expired, revoked or forged credentials"),
    403: _error("Signed in, but the role does not allow this"),
    404: _error("Nothing has that id or key"),
    409: _error("Refused in the current state (e.g. a run in progress, a stale draft)"),
    413: _error("The body is larger than the limit"),
    422: _error("Invalid input: the field and the rule are named"),
    429: _error("Too many failed logins: see Retry-After"),
    503: _error("The database is unreachable or at another schema revision"),
}
