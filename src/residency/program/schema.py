"""The program file: the whole description of a residency program in one human-editable YAML
document (people, rotation templates with duty patterns, absences, fixed rotations, policy).
Field-level rules live here; rules that relate entries to each other live in validation.py."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from residency.absences.models import NOTE_LENGTH, AbsenceType, date_range_problem
from residency.calendar.academic_year import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR
from residency.calendar.public_holidays import DEFAULT_COUNTRY, is_known_country, states_of
from residency.calendar.service import HOLIDAYS_POLICY_KEY
from residency.input_types import IsoDate, StrictBool, StrictInt, without_nul
from residency.people.models import KEY_LENGTH, KEY_PATTERN, MAX_PGY, MIN_PGY, FacultyRole
from residency.rotations.colors import COLOR_PATTERN
from residency.rotations.duty_pattern import WEEKDAYS, DutyKind
from residency.rotations.models import ABBREVIATION_LENGTH, ABBREVIATION_PATTERN, ActivityType

Pgy = Annotated[StrictInt, Field(ge=MIN_PGY, le=MAX_PGY)]
Key = Annotated[str, Field(min_length=1, max_length=KEY_LENGTH, pattern=KEY_PATTERN)]
Year = Annotated[int, Field(ge=EARLIEST_ACADEMIC_YEAR, le=LATEST_ACADEMIC_YEAR)]
Email = Annotated[str, Field(max_length=254)]
# Bounds on counts of residents: far above any program, and inside an INTEGER column.
Headcount = Annotated[StrictInt, Field(ge=0, le=10_000)]
_SHIFT = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})(?:\s+([a-z_]+))?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        return without_nul(value)


class StaffingBounds(Strict):
    min: Headcount = 0
    max: Headcount

    @model_validator(mode="after")
    def _min_not_above_max(self) -> StaffingBounds:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


def parse_shift(text: str) -> tuple[time, time, DutyKind]:
    match = _SHIFT.match(text.strip())
    if not match:
        raise ValueError(
            f"{text!r} is not a shift: write HH:MM-HH:MM, optionally followed by a kind"
        )
    h1, m1, h2, m2, kind = match.groups()
    try:
        start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
    except ValueError:
        raise ValueError(f"{text!r} has a clock time out of range") from None
    if start == end:
        raise ValueError(f"{text!r} starts and ends at the same time")
    try:
        duty_kind = DutyKind(kind or DutyKind.SHIFT)
    except ValueError:
        known = ", ".join(k.value for k in DutyKind)
        raise ValueError(f"{text!r}: unknown duty kind {kind!r} (one of {known})") from None
    return start, end, duty_kind


def format_shift(start: time, end: time, kind: DutyKind) -> str:
    text = f"{start:%H:%M}-{end:%H:%M}"
    return text if kind == DutyKind.SHIFT else f"{text} {kind.value}"


class Rotation(Strict):
    abbreviation: str = Field(
        min_length=1, max_length=ABBREVIATION_LENGTH, pattern=ABBREVIATION_PATTERN
    )
    name: str = Field(min_length=1, max_length=128)
    activity_type: ActivityType
    eligible_pgy: list[Pgy] = Field(min_length=1)
    residents_per_block: StaffingBounds
    residents_per_half_day: StaffingBounds
    requires_supervision: StrictBool = False
    half_block: StrictBool = False
    description: str = Field("", max_length=500)
    color: str | None = Field(None, description='"#RRGGBB"; default: its activity type\'s')
    # Weekday -> shifts, e.g. {"mon": ["06:00-18:00"], "sat": ["19:00-07:00 in_house_call"]}.
    duty_pattern: dict[str, list[str]] = Field(default_factory=dict)
    # False: a deactivated template, left out of new schedules (written only when false).
    active: StrictBool = True

    @field_validator("color")
    @classmethod
    def _valid_color(cls, color: str | None) -> str | None:
        if color is not None and not re.fullmatch(COLOR_PATTERN, color):
            raise ValueError("not a colour written #RRGGBB (e.g. #F4A6A6)")
        return color

    @field_validator("duty_pattern")
    @classmethod
    def _valid_pattern(cls, pattern: dict[str, list[str]]) -> dict[str, list[str]]:
        for weekday, shifts in pattern.items():
            if weekday not in WEEKDAYS:
                raise ValueError(f"{weekday!r} is not a weekday (one of {', '.join(WEEKDAYS)})")
            for shift in shifts:
                parse_shift(shift)
        return pattern


class Resident(Strict):
    key: Key
    name: str = Field(min_length=1, max_length=128)
    email: Email | None = None
    # Academic year (the calendar year it starts in) -> PGY level that year.
    pgy: dict[Year, Pgy] = Field(min_length=1)


class Faculty(Strict):
    key: Key
    name: str = Field(min_length=1, max_length=128)
    email: Email | None = None
    role: FacultyRole


class AbsenceEntry(Strict):
    person: str
    type: AbsenceType
    start: IsoDate
    end: IsoDate
    blocks_scheduling: StrictBool = True
    note: str = Field("", max_length=NOTE_LENGTH)

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")  # absent when the start itself was refused
        problem = date_range_problem(start, end) if start is not None else None
        if problem:
            raise ValueError(problem)
        return end


class FixedRotation(Strict):
    """A rotation-plan entry decided by people, not the solver (e.g. orientation in block 1)."""

    person: str
    academic_year: Year
    block: StrictInt = Field(ge=1, le=13)
    half: StrictInt = Field(0, ge=0, le=2)
    rotation: str
    locked: StrictBool = True


def _half_blocks(value: float) -> float:
    if value * 2 != int(value * 2):
        raise ValueError(f"{value} is not a whole number of half-blocks (use steps of 0.5)")
    return value


Blocks = Annotated[float, Field(ge=0, le=13)]


class CurriculumEntry(Strict):
    """How many blocks of a rotation a PGY level does in a year (0.5 = a two-week half)."""

    pgy: Pgy
    rotation: str
    min_blocks: Blocks = 0
    max_blocks: Blocks

    _whole_halves = field_validator("min_blocks", "max_blocks")(_half_blocks)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> CurriculumEntry:
        if self.min_blocks > self.max_blocks:
            raise ValueError(f"min_blocks {self.min_blocks} is greater than max_blocks")
        return self


class StaffingRuleEntry(Strict):
    """A service's minimum by level in every block, e.g. FMIT: one PGY-1, one PGY-2 or above."""

    rotation: str
    min_pgy: Pgy = 1
    max_pgy: Pgy = 10
    min_residents: Headcount = Field(ge=1)

    @model_validator(mode="after")
    def _levels_in_order(self) -> StaffingRuleEntry:
        if self.min_pgy > self.max_pgy:
            raise ValueError(f"min_pgy {self.min_pgy} is greater than max_pgy {self.max_pgy}")
        return self


class Holidays(Strict):
    """Whose public holidays the half-days carry, by the `holidays` package's codes."""

    country: str = DEFAULT_COUNTRY
    state: str | None = None

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if not is_known_country(value):
            raise ValueError(
                "not a country the holidays package knows (a code such as US, CA or GB)"
            )
        return value

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")  # absent when the country itself was refused
        if value is None or country is None:
            return value
        states = states_of(country)
        if value not in states:
            known = f"e.g. {', '.join(states[:6])}" if states else "it has none"
            raise ValueError(f"not a state of {country} in the holidays package ({known})")
        return value


class ProgramInfo(Strict):
    name: str = Field(min_length=1, max_length=200)
    academic_year_start: str = Field("07-01", pattern=r"^\d{2}-\d{2}$")
    academic_years: list[Year] = Field(min_length=1)
    holidays: Holidays = Field(default_factory=Holidays)
    policy: dict[str, Any] = Field(default_factory=dict)

    @field_validator("policy")
    @classmethod
    def _holidays_not_in_policy(cls, value: dict[str, Any]) -> dict[str, Any]:
        # The import keeps program.holidays under this policy key; one spelling in the file.
        if HOLIDAYS_POLICY_KEY in value:
            raise ValueError(
                f"{HOLIDAYS_POLICY_KEY!r} goes in program.holidays, not in program.policy"
            )
        return value

    @field_validator("academic_year_start")
    @classmethod
    def _real_month_day(cls, value: str) -> str:
        month, day = (int(part) for part in value.split("-"))
        try:
            date(2001, month, day)
        except ValueError:
            raise ValueError(f"{value!r} is not a month-day (MM-DD)") from None
        return value

    def start_month_day(self) -> tuple[int, int]:
        month, day = self.academic_year_start.split("-")
        return int(month), int(day)


class ProgramDocument(Strict):
    program: ProgramInfo
    residents: list[Resident] = Field(default_factory=list)
    faculty: list[Faculty] = Field(default_factory=list)
    rotations: list[Rotation] = Field(default_factory=list)
    absences: list[AbsenceEntry] = Field(default_factory=list)
    fixed_rotations: list[FixedRotation] = Field(default_factory=list)
    curriculum: list[CurriculumEntry] = Field(default_factory=list)
    staffing_rules: list[StaffingRuleEntry] = Field(default_factory=list)
