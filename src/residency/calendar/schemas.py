"""Bodies and answers of the academic-year routes. Bodies refuse unknown fields."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from residency.calendar.academic_year import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR
from residency.web.schemas import Body

Year = Annotated[
    int,
    Field(
        ge=EARLIEST_ACADEMIC_YEAR,
        le=LATEST_ACADEMIC_YEAR,
        description="The calendar year it starts in: 2025 is 2025-2026",
    ),
]


class BlockOut(BaseModel):
    number: int = Field(description="1 to 13")
    start: date
    end: date = Field(description="The block's last day (inclusive)")


class AcademicYearOut(BaseModel):
    year: int = Field(description="The calendar year it starts in: 2025 is 2025-2026")
    label: str
    start: date
    end: date = Field(description="The year's last day (inclusive)")


class AcademicYearDetailOut(AcademicYearOut):
    blocks: list[BlockOut]


class NewAcademicYearBody(Body):
    year: Year
