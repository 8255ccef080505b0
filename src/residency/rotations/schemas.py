"""Bodies and answers of the rotation-template routes. A body is a program file's rotation
entry (program/schema.py `Rotation`), checked again by that model in rotations/edits.py, so the
API, the pages and the file share one set of rules and messages; the bounds here keep what
reaches it small. Bodies refuse unknown fields."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from residency.input_types import StrictBool, StrictInt
from residency.people.models import MAX_PGY, MIN_PGY
from residency.rotations.colors import COLOR_PATTERN
from residency.rotations.duty_pattern import DutyKind
from residency.rotations.models import ABBREVIATION_LENGTH, ABBREVIATION_PATTERN, ActivityType
from residency.web.schemas import Body

# "HH:MM-HH:MM" and an optional duty kind, e.g. "17:00-07:00 in_house_call".
ShiftText = Annotated[str, Field(min_length=1, max_length=40)]
Pgy = Annotated[StrictInt, Field(ge=MIN_PGY, le=MAX_PGY)]
Headcount = Annotated[StrictInt, Field(ge=0, le=10_000)]
# Weekday (mon ... sun) -> shifts; a key that is no weekday is refused by the service, naming
# it as the pages and the program file do.
DutyPatternBody = Annotated[
    dict[str, Annotated[list[ShiftText], Field(max_length=8)]], Field(max_length=7)
]


class ShiftOut(BaseModel):
    weekday: str = Field(description="mon ... sun")
    start: str = Field(description="HH:MM, local time")
    end: str = Field(description="HH:MM; at or before the start, it ends the next day")
    kind: DutyKind
    hours: float


class BoundsOut(BaseModel):
    min: int
    max: int


class StaffingRuleOut(BaseModel):
    min_pgy: int
    max_pgy: int
    min_residents: int = Field(description="Residents of these levels needed in every block")


class RotationOut(BaseModel):
    abbreviation: str
    name: str
    activity_type: ActivityType
    eligible_pgy: list[int]
    residents_per_block: BoundsOut
    residents_per_half_day: BoundsOut
    requires_supervision: bool
    half_block: bool = Field(description="Runs for half a block (two weeks)")
    description: str
    color: str = Field(description="#RRGGBB: the program file's, else its activity type's")
    color_from_program: bool = Field(description="False: the activity type's default colour")
    duty_pattern: list[ShiftOut]
    weekly_hours: float = Field(description="Duty hours of the pattern in a week, leave apart")
    staffing_rules: list[StaffingRuleOut]
    active: bool = Field(description="False: deactivated, left out of new schedules")


class BoundsBody(Body):
    min: Headcount = 0
    max: Headcount


class RotationChangeBody(Body):
    """Leave a field out to keep it; a bounds object or a duty pattern is replaced whole;
    `color: null` returns to the activity type's colour. The abbreviation never changes."""

    name: str | None = Field(None, min_length=1, max_length=128)
    activity_type: ActivityType | None = None
    eligible_pgy: list[Pgy] | None = Field(None, min_length=1, max_length=MAX_PGY)
    residents_per_block: BoundsBody | None = None
    residents_per_half_day: BoundsBody | None = None
    requires_supervision: StrictBool | None = None
    half_block: StrictBool | None = None
    description: str | None = Field(None, max_length=500)
    color: str | None = Field(None, pattern=COLOR_PATTERN, description="#RRGGBB")
    duty_pattern: DutyPatternBody | None = Field(
        None, description='Weekday -> shifts, e.g. {"mon": ["07:00-17:00"]}'
    )


class NewRotationBody(Body):
    abbreviation: str = Field(
        min_length=1, max_length=ABBREVIATION_LENGTH, pattern=ABBREVIATION_PATTERN
    )
    name: str = Field(min_length=1, max_length=128)
    activity_type: ActivityType
    eligible_pgy: list[Pgy] = Field(min_length=1, max_length=MAX_PGY)
    residents_per_block: BoundsBody
    residents_per_half_day: BoundsBody
    requires_supervision: StrictBool = False
    half_block: StrictBool = False
    description: str = Field("", max_length=500)
    color: str | None = Field(
        None, pattern=COLOR_PATTERN, description="#RRGGBB; default: its activity type's"
    )
    duty_pattern: DutyPatternBody = Field(default_factory=dict)
