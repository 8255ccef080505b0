"""Answers of the rotation-template routes (the templates change through the program file)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from residency.rotations.duty_pattern import DutyKind
from residency.rotations.models import ActivityType


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
