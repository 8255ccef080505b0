"""What a block's run carries between its steps: the engine's `Problem` and the plain data that
saving, checking and explaining need (ids and values, no ORM rows), so a step in another
transaction or another process can use it without touching a session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from residency.rotations.duty_pattern import DutyKind, DutyPattern
from residency.rotations.duty_pattern import Session as HalfDaySession
from residency.scheduling.block.policy import BlockSettings
from residency.scheduling.engine.problem import Problem
from residency.scheduling.models import AssignmentRole, AssignmentSource, CallType

CALL_TYPES = {DutyKind.IN_HOUSE_CALL: CallType.IN_HOUSE, DutyKind.HOME_CALL: CallType.HOME}
FMIT_ROW = "fmit_attending"  # Assignment.activity of a faculty member's FMIT week
PRECEPTING = "precepting"  # Assignment.activity of a faculty member in clinic


@dataclass(frozen=True)
class PersonRef:
    id: int
    key: str
    name: str


@dataclass(frozen=True)
class TemplateRef:
    id: int
    abbreviation: str
    name: str
    eligible_pgy: frozenset[int]
    pattern: DutyPattern

    @property
    def call_type(self) -> CallType:
        kinds = {s.kind for s in self.pattern.shifts}
        return CALL_TYPES.get(next(iter(kinds), DutyKind.IN_HOUSE_CALL), CallType.IN_HOUSE)


@dataclass(frozen=True)
class AbsenceRef:
    person_key: str
    start: date
    end: date  # inclusive
    kind: str
    blocks_scheduling: bool
    note: str = ""


@dataclass(frozen=True)
class KeptSlot:
    """A half-day row people made or locked: the solver keeps it as it is."""

    person_key: str
    day: date
    session: HalfDaySession
    rotation: str
    activity: str
    role: AssignmentRole
    source: AssignmentSource
    locked: bool
    override_reason: str | None
    in_version: bool  # False: a row outside every run, shared by all versions

    def duty_window(self, pattern: DutyPattern) -> tuple[datetime, datetime]:
        """The hours the row stands for: its shifts that day, else the whole day."""
        shifts = pattern.shifts_on(self.day.weekday())
        spans = [s.on(self.day) for s in shifts if s.session == self.session]
        if not spans:
            start = datetime.combine(self.day, datetime.min.time())
            return start, start + timedelta(days=1)
        return min(a for a, _ in spans), max(b for _, b in spans)


@dataclass(frozen=True)
class KeptCall:
    person_key: str
    day: date
    call_type: CallType
    starts_at: datetime
    ends_at: datetime
    role: AssignmentRole
    source: AssignmentSource
    locked: bool
    override_reason: str | None
    in_version: bool


@dataclass(frozen=True)
class BlockData:
    """A block's problem with what the steps after the solve need."""

    academic_year: int
    number: int
    start: date
    end: date
    problem: Problem
    settings: BlockSettings
    levels: Mapping[str, int]  # resident key -> PGY in the academic year
    people: Mapping[str, PersonRef]
    templates: Mapping[str, TemplateRef]
    absences: tuple[AbsenceRef, ...] = ()
    kept_slots: tuple[KeptSlot, ...] = field(default=())
    kept_calls: tuple[KeptCall, ...] = field(default=())

    def service_for(self, call_type: CallType) -> str | None:
        services = [
            s.id for s in self.problem.call_services if self.templates[s.id].call_type == call_type
        ]
        return services[0] if services else None

    def call_type(self, service_id: str) -> CallType:
        return self.templates[service_id].call_type

    def who(self, person_key: str) -> str:
        person = self.people.get(person_key)
        return f"{person.name} ({person_key})" if person else person_key
