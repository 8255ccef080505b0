"""A block's schedule as rows a grid can draw: people grouped by PGY, then faculty, one cell
per day with the AM and PM rotation, whether it is a call night, and any absence."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class DayCell(BaseModel):
    date: date
    am: str | None = Field(description="rotation abbreviation; null: nothing scheduled")
    pm: str | None
    call: bool = Field(description="on call that night")
    absence: str | None = Field(
        description="the absence type (vacation, conference...); 'absent' when the reader may "
        "see only that the person is away"
    )


class PersonRow(BaseModel):
    person_key: str
    name: str
    days: list[DayCell]


class PersonGroup(BaseModel):
    label: str  # "PGY-1" ... "Faculty"
    pgy: int | None
    people: list[PersonRow]


class BlockSchedule(BaseModel):
    academic_year: int
    block: int
    start: date
    end: date
    version: Literal["published", "draft"]
    run_id: int | None = Field(description="the draft's run; null for the published version")
    days: list[date]
    groups: list[PersonGroup]
