"""The year's rotation plan as rows a grid can draw: residents by PGY, the 13 blocks, each
with the rotation of its first and second half (the same one for a whole-block rotation)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class PlanBlockOut(BaseModel):
    number: int
    start: date
    second_half_start: date
    end: date


class PlanCell(BaseModel):
    block: int
    first_half: str | None = Field(description="rotation abbreviation; null: nothing planned")
    second_half: str | None


class PlanRowOut(BaseModel):
    person_key: str
    name: str
    pgy: int
    blocks: list[PlanCell]


class AnnualPlan(BaseModel):
    academic_year: int
    version: Literal["published", "draft"]
    run_id: int | None = Field(description="the draft's run; null for the published version")
    blocks: list[PlanBlockOut]
    residents: list[PlanRowOut]
