"""What every request body shares: unknown fields are refused, naming the field, and so is text
holding a NUL character (PostgreSQL cannot store one: it would fail as a server error)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("nul_character", "may not contain a NUL character")
        return value
