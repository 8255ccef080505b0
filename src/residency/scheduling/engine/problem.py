"""What the engine is asked to schedule: frozen, database-free input dataclasses.

The service layer builds one `Problem` from the database (or a program file); the engine never
reads anything else. Times of day and hours always come from `DutyPattern`s, the same source the
compliance checker expands, so the solver and the checker agree on what an assignment costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

from residency.calendar.academic_year import days as calendar_days
from residency.compliance.rules.base import DEFAULT_CONTINUOUS_BREAK_MINUTES, DutyPeriod
from residency.rotations.duty_pattern import DutyPattern, Session

FMIT_ACTIVITY = "fmit"  # activity id used by locks and requests to mean "FMIT attending week"


class ActivityKind(StrEnum):
    INPATIENT = "inpatient"
    CLINIC = "clinic"
    NIGHT_FLOAT = "night_float"
    DIDACTICS = "didactics"
    ELECTIVE = "elective"
    ADMIN = "admin"


class FacultyRole(StrEnum):
    PROGRAM_DIRECTOR = "pd"
    DEPARTMENT_CHIEF = "department_chief"
    ASSOCIATE_PROGRAM_DIRECTOR = "apd"
    OFFICER_IN_CHARGE = "oic"
    CORE = "core"


class CallStaff(StrEnum):
    RESIDENTS = "residents"
    FACULTY = "faculty"


@dataclass(frozen=True)
class Resident:
    id: str
    name: str
    pgy: int
    rotation_id: str | None = None  # this block's rotation (from the annual plan)
    clinic_id: str | None = None  # the continuity clinic the resident belongs to
    # A two-week (half-block) plan: from this day on the resident is on another rotation.
    later_rotation: tuple[date, str | None] | None = None

    def rotation_on(self, day: date) -> str | None:
        if self.later_rotation is not None and day >= self.later_rotation[0]:
            return self.later_rotation[1]
        return self.rotation_id


@dataclass(frozen=True)
class Faculty:
    id: str
    name: str
    role: FacultyRole = FacultyRole.CORE
    fmit_eligible: bool = False


@dataclass(frozen=True)
class Activity:
    """Something done in a half-day; it runs in the sessions where its pattern has a shift."""

    id: str
    name: str
    kind: ActivityKind
    pattern: DutyPattern
    eligible_pgys: frozenset[int] = frozenset()  # empty: every PGY
    min_residents: int = 0  # per half-day in which it runs
    max_residents: int | None = None
    max_physicians: int | None = None  # residents + precepting faculty (clinic rooms)
    supervised: bool = False  # needs precepting faculty (SupervisionRatio)
    rotation_only: bool = True  # only residents whose block rotation is this activity


@dataclass(frozen=True)
class CallService:
    """A nightly call roster; the pattern gives the call shift of each weekday with call."""

    id: str
    name: str
    pattern: DutyPattern
    staff: CallStaff = CallStaff.RESIDENTS
    per_night: int = 1
    eligible_pgys: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Absence:
    person_id: str
    start: date
    end: date  # inclusive
    kind: str = "leave"
    blocking: bool = True
    is_leave: bool = True  # ACGME: leave days leave the averaging denominator

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Lock:
    """A fixed assignment: an activity half-day, a call night (service id) or an FMIT week.

    With an `override_reason` it is a coordinator's documented exception (ACGME VI.F.4.b lets a
    resident stay past 24+4 for one unstable patient, say): it is fixed duty like the days
    before the block, so every rule still counts it against the rest of the schedule, but no
    rule rejects it. Without one, a lock that breaks a hard rule leaves the block infeasible.
    """

    person_id: str
    day: date
    activity_id: str
    session: Session | None = None
    override_reason: str | None = None


@dataclass(frozen=True)
class Request:
    """A wish: `wanted` an activity (or call service, or FMIT), or not; activity None = off."""

    person_id: str
    day: date
    activity_id: str | None = None
    session: Session | None = None  # None: the whole day
    wanted: bool = True
    weight: int = 1


@dataclass(frozen=True)
class CallDayPreference:
    """A person who would rather (not) take call on a weekday (0 = Monday)."""

    person_id: str
    weekday: int
    wanted: bool = False
    weight: int = 1


@dataclass(frozen=True, order=True)
class Assignment:
    person_id: str
    day: date
    session: Session
    activity_id: str


@dataclass(frozen=True, order=True)
class CallAssignment:
    person_id: str
    day: date  # the night starting on this day
    service_id: str


@dataclass(frozen=True, order=True)
class FmitWeek:
    faculty_id: str
    week_start: date  # a Friday; the week runs Friday to Thursday


@dataclass(frozen=True)
class PreviousSchedule:
    assignments: tuple[Assignment, ...] = ()
    call_assignments: tuple[CallAssignment, ...] = ()
    fmit_weeks: tuple[FmitWeek, ...] = ()


@dataclass(frozen=True)
class WednesdayRules:
    """Optional program rules of the demo program; absent rules are simply not configured."""

    am_intern_only: bool = True  # only PGY-1s in clinic on Wednesday morning
    pm_single_faculty: bool = True  # exactly one precepting faculty on Wednesday afternoon
    inverted_fourth: bool = True  # 4th Wednesday: one faculty AM, a different one PM


@dataclass(frozen=True)
class FmitPolicy:
    attendings_per_week: int = 1


def default_faculty_clinic_limits() -> dict[FacultyRole, int]:
    return {
        FacultyRole.PROGRAM_DIRECTOR: 0,
        FacultyRole.DEPARTMENT_CHIEF: 1,
        FacultyRole.ASSOCIATE_PROGRAM_DIRECTOR: 2,
        FacultyRole.OFFICER_IN_CHARGE: 2,
        FacultyRole.CORE: 4,
    }


def default_clinic_halfdays() -> dict[int, int]:
    return {1: 1, 2: 2, 3: 2}


@dataclass(frozen=True)
class Policy:
    """Program policy; ACGME limits are constants of the rules, these are configurable."""

    pgy1_per_faculty: int = 2
    senior_per_faculty: int = 4
    inpatient_min_residents: int = 2
    inpatient_max_residents: int = 4
    faculty_weekly_clinic_limits: Mapping[FacultyRole, int] = field(
        default_factory=default_faculty_clinic_limits
    )
    clinic_halfdays_per_week: Mapping[int, int] = field(default_factory=default_clinic_halfdays)
    max_consecutive_nights: int = 6
    post_night_rest_hours: int = 12
    # A break of at most this long between two duties is part of one duty period (lunch
    # between two sessions), as in the checker: the 24+4 run and the 8 h gap see through it.
    continuous_break_minutes: int = DEFAULT_CONTINUOUS_BREAK_MINUTES
    wednesday: WednesdayRules | None = None
    fmit: FmitPolicy | None = None


@dataclass(frozen=True)
class Problem:
    start: date
    end: date  # inclusive
    residents: tuple[Resident, ...] = ()
    faculty: tuple[Faculty, ...] = ()
    activities: tuple[Activity, ...] = ()
    call_services: tuple[CallService, ...] = ()
    absences: tuple[Absence, ...] = ()
    locks: tuple[Lock, ...] = ()
    requests: tuple[Request, ...] = ()
    call_day_preferences: tuple[CallDayPreference, ...] = ()
    previous: PreviousSchedule | None = None
    boundary: tuple[DutyPeriod, ...] = ()  # duty before `start`, for rest and consecutive rules
    policy: Policy = field(default_factory=Policy)

    def __post_init__(self) -> None:
        from residency.scheduling.engine.validation import validate_problem

        validate_problem(self)

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(calendar_days(self.start, self.end))

    @property
    def person_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.residents) + tuple(f.id for f in self.faculty)

    # Lookups by id run once per candidate assignment (100,000+ on a large program), so they
    # are dictionaries built once rather than scans of the tuples.
    @cached_property
    def _residents_by_id(self) -> dict[str, Resident]:
        return {r.id: r for r in self.residents}

    @cached_property
    def _faculty_by_id(self) -> dict[str, Faculty]:
        return {f.id: f for f in self.faculty}

    @cached_property
    def _activities_by_id(self) -> dict[str, Activity]:
        return {a.id: a for a in self.activities}

    @cached_property
    def _services_by_id(self) -> dict[str, CallService]:
        return {s.id: s for s in self.call_services}

    def resident(self, person_id: str) -> Resident | None:
        return self._residents_by_id.get(person_id)

    def faculty_member(self, person_id: str) -> Faculty | None:
        return self._faculty_by_id.get(person_id)

    def activity(self, activity_id: str) -> Activity | None:
        return self._activities_by_id.get(activity_id)

    def call_service(self, service_id: str) -> CallService | None:
        return self._services_by_id.get(service_id)

    def leave_days(self, person_id: str) -> frozenset[date]:
        return frozenset(
            day
            for a in self.absences
            if a.person_id == person_id and a.is_leave
            for day in self.days
            if a.covers(day)
        )

    def blocked(self, person_id: str, day: date) -> bool:
        return any(a.person_id == person_id and a.blocking and a.covers(day) for a in self.absences)
