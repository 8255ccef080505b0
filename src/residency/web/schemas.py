"""What every request body shares: unknown fields are refused, naming the field, and so is text
holding a NUL character (PostgreSQL cannot store one: it would fail as a server error)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from residency.input_types import IsoDate, IsoDateTime, RowId, without_nul

__all__ = ["ERROR_RESPONSES", "Body", "ErrorBody", "IsoDate", "IsoDateTime", "RowId"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        return without_nul(value)


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
