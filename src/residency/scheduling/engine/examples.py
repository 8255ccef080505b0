"""Small building blocks for micro-problems: each constraint's own test case, used by
`deep_verify` at run time and by the tests. Plain data, no solver."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from residency.compliance.rules.base import DutyPeriod
from residency.rotations.duty_pattern import DutyKind, DutyPattern, ShiftSpec
from residency.scheduling.engine.problem import (
    Activity,
    ActivityKind,
    CallService,
    CallStaff,
    Faculty,
    FacultyRole,
    Problem,
    Resident,
)

MONDAY = date(2025, 7, 7)
FRIDAY = date(2025, 7, 11)
WEEKDAYS = range(5)
EVERY_DAY = range(7)


def clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def shifts(
    weekdays: Iterable[int], start: str, end: str, kind: DutyKind = DutyKind.SHIFT
) -> tuple[ShiftSpec, ...]:
    return tuple(ShiftSpec(day, clock(start), clock(end), kind) for day in weekdays)


def half_days(
    weekdays: Iterable[int] = WEEKDAYS,
    am: tuple[str, str] = ("08:00", "12:00"),
    pm: tuple[str, str] = ("13:00", "17:00"),
) -> DutyPattern:
    days = tuple(weekdays)
    return DutyPattern(shifts(days, *am) + shifts(days, *pm))


def clinic(weekdays: Iterable[int] = WEEKDAYS, **fields: Any) -> Activity:
    fields.setdefault("rotation_only", False)
    return Activity(
        "clinic", "Continuity clinic", ActivityKind.CLINIC, half_days(weekdays), **fields
    )


def elective(weekdays: Iterable[int] = WEEKDAYS, **fields: Any) -> Activity:
    fields.setdefault("rotation_only", False)
    return Activity("elective", "Elective", ActivityKind.ELECTIVE, half_days(weekdays), **fields)


def wards(
    weekdays: Iterable[int] = EVERY_DAY,
    pm_end: str = "19:00",
    kind: ActivityKind = ActivityKind.INPATIENT,
    **fields: Any,
) -> Activity:
    """Inpatient service: AM 07:00-12:00, PM 12:00-`pm_end` (a 12-hour day by default)."""
    days = tuple(weekdays)
    pattern = DutyPattern(shifts(days, "07:00", "12:00") + shifts(days, "12:00", pm_end))
    return Activity("wards", "Inpatient wards", kind, pattern, **fields)


def night_float(weekdays: Iterable[int] = EVERY_DAY, **fields: Any) -> Activity:
    pattern = DutyPattern(shifts(weekdays, "19:00", "07:00"))
    return Activity("nights", "Night float", ActivityKind.NIGHT_FLOAT, pattern, **fields)


def call(
    weekdays: Iterable[int] = EVERY_DAY,
    staff: CallStaff = CallStaff.RESIDENTS,
    service_id: str = "call",
    **fields: Any,
) -> CallService:
    kind = DutyKind.IN_HOUSE_CALL if staff == CallStaff.RESIDENTS else DutyKind.HOME_CALL
    pattern = DutyPattern(shifts(weekdays, "19:00", "07:00", kind))
    return CallService(service_id, "Night call", pattern, staff, **fields)


def resident(person_id: str, pgy: int = 2, **fields: Any) -> Resident:
    return Resident(person_id, person_id.upper(), pgy, **fields)


def faculty(person_id: str, role: FacultyRole = FacultyRole.CORE, **fields: Any) -> Faculty:
    return Faculty(person_id, person_id.upper(), role, **fields)


def week(start: date = MONDAY, days: int = 7, **fields: Any) -> Problem:
    return Problem(start, start + timedelta(days=days - 1), **fields)


def night_before(person_id: str, day: date, pgy: int = 2) -> DutyPeriod:
    """A night-float night 19:00-07:00 that started on `day` (boundary context)."""
    start = datetime.combine(day, time(19))
    return DutyPeriod(person_id, pgy, start, start + timedelta(hours=12), DutyKind.SHIFT)
