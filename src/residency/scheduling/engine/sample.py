"""A synthetic 28-day block of a small family-medicine program, for tests and benchmarks.

It exercises every rule family at once: an inpatient service with call, night float, continuity
clinic with precepting, faculty limits, FMIT weeks, Wednesday rules, absences and requests.
"""

from __future__ import annotations

from datetime import date, timedelta

from residency.rotations.duty_pattern import DutyPattern, Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.problem import (
    Absence,
    Activity,
    ActivityKind,
    CallDayPreference,
    CallStaff,
    Faculty,
    FacultyRole,
    FmitPolicy,
    Policy,
    Problem,
    Request,
    Resident,
    WednesdayRules,
)

BLOCK_START = date(2026, 3, 10)  # block 10 of 2025-26 (blocks of 28 days from July 1)
NIGHTS = (6, 0, 1, 2, 3)  # night float Sunday to Thursday nights; call covers Friday, Saturday


def sample_residents(per_year: int) -> tuple[Resident, ...]:
    rotations = ("wards", "wards", "nights", "ambulatory", "elective")
    people = []
    for pgy in (1, 2, 3):
        for i in range(per_year):
            rotation = rotations[(i + pgy) % len(rotations)]
            if pgy == 1 and rotation == "nights":
                rotation = "wards"
            people.append(
                ex.resident(f"pgy{pgy}-{i + 1}", pgy, rotation_id=rotation, clinic_id="clinic")
            )
    return tuple(people)


def sample_activities() -> tuple[Activity, ...]:
    return (
        ex.wards(min_residents=1),
        ex.night_float(weekdays=NIGHTS, min_residents=1, max_residents=1),
        Activity("ambulatory", "Ambulatory", ActivityKind.ELECTIVE, ex.half_days()),
        Activity("elective", "Elective", ActivityKind.ELECTIVE, ex.half_days()),
        Activity(
            "clinic",
            "Continuity clinic",
            ActivityKind.CLINIC,
            ex.half_days(),
            max_residents=4,
            max_physicians=6,
            supervised=True,
            rotation_only=False,
        ),
        Activity(
            "didactics",
            "Didactics",
            ActivityKind.DIDACTICS,
            DutyPattern(ex.shifts((2,), "13:00", "17:00")),
            rotation_only=False,
        ),
    )


def sample_faculty(count: int) -> tuple[Faculty, ...]:
    roles = [FacultyRole.PROGRAM_DIRECTOR, FacultyRole.ASSOCIATE_PROGRAM_DIRECTOR]
    roles += [FacultyRole.CORE] * max(0, count - 2)
    return tuple(
        ex.faculty(f"fac-{i + 1}", role, fmit_eligible=role == FacultyRole.CORE)
        for i, role in enumerate(roles[:count])
    )


def sample_block(residents_per_year: int = 4, faculty: int = 6, days: int = 28) -> Problem:
    people = sample_residents(residents_per_year)
    staff = sample_faculty(faculty)
    leave_day = BLOCK_START + timedelta(days=10)
    return Problem(
        BLOCK_START,
        BLOCK_START + timedelta(days=days - 1),
        residents=people,
        faculty=staff,
        activities=sample_activities(),
        call_services=(
            ex.call(weekdays=(4, 5), eligible_pgys=frozenset({2, 3})),
            ex.call(staff=CallStaff.FACULTY, service_id="attending-call"),
        ),
        absences=(
            Absence(people[-1].id, leave_day, leave_day + timedelta(days=4), "vacation"),
            Absence(staff[-1].id, leave_day, leave_day + timedelta(days=2), "conference"),
        ),
        requests=(Request(people[0].id, BLOCK_START + timedelta(days=2), None, Session.PM, False),),
        call_day_preferences=(CallDayPreference(staff[2].id, 1, wanted=False),),
        policy=Policy(wednesday=WednesdayRules(), fmit=FmitPolicy()),
    )
