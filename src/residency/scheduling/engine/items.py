"""Duty items: every assignment the model may make, with the real clock times of its duty.

A slot item is (person, day, half-day, activity); a call item is (person, night, call service).
Both take their start, end and duty kind from the activity's or service's `DutyPattern`
(`ShiftSpec.on(day)`), the same expansion the compliance checker uses. Duty before the horizon
(the boundary context) becomes fixed items, so rest and consecutive-night rules see it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from residency.rotations.duty_pattern import DutyKind, DutyPattern, Session, ShiftSpec
from residency.scheduling.engine.problem import ActivityKind, CallStaff, Problem

SESSIONS = (Session.AM, Session.PM)
FRIDAY, SUNDAY, WEDNESDAY = 4, 6, 2
AVERAGING_DAYS = 28  # ACGME VI.F.1: averaged over four weeks (or the rotation if shorter)
NOT_WORK = frozenset({DutyKind.LEAVE, DutyKind.HOME_CALL})  # home call is not work (VI.F.8)


@dataclass(frozen=True, order=True)
class SlotKey:
    person_id: str
    day: date
    session: Session
    activity_id: str

    def __str__(self) -> str:  # as a violation's detail shows it to people
        return f"{self.activity_id} {self.day} {self.session}"


@dataclass(frozen=True, order=True)
class CallKey:
    person_id: str
    day: date
    service_id: str

    def __str__(self) -> str:
        return f"{self.service_id} call {self.day}"


@dataclass(frozen=True, order=True)
class FmitKey:
    faculty_id: str
    week_start: date


@dataclass(frozen=True)
class Item:
    person_id: str
    start: datetime
    end: datetime
    duty: DutyKind
    key: SlotKey | CallKey | None = None  # None: boundary duty before the horizon
    night_float: bool = False

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def overnight(self) -> bool:
        return self.end.date() > self.start.date() and self.end.time() != time(0)

    @property
    def is_work(self) -> bool:
        return self.duty not in NOT_WORK

    def overlaps(self, lo: datetime, hi: datetime) -> bool:
        return self.start < hi and lo < self.end

    def minutes_within(self, lo: datetime, hi: datetime) -> int:
        start, end = max(self.start, lo), min(self.end, hi)
        return max(0, int((end - start).total_seconds() // 60))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0))
    return start, start + timedelta(days=1)


def shift_for(pattern: DutyPattern, day: date, session: Session) -> ShiftSpec | None:
    return next((s for s in pattern.shifts_on(day.weekday()) if s.session == session), None)


def slot_item(problem: Problem, key: SlotKey) -> Item | None:
    activity = problem.activity(key.activity_id)
    if activity is None:
        return None
    shift = shift_for(activity.pattern, key.day, key.session)
    if shift is None:
        return None
    start, end = shift.on(key.day)
    night_float = activity.kind == ActivityKind.NIGHT_FLOAT
    return Item(key.person_id, start, end, shift.kind, key, night_float)


def call_shift(pattern: DutyPattern, day: date) -> ShiftSpec | None:
    shifts = pattern.shifts_on(day.weekday())
    return shifts[0] if shifts else None


def call_item(problem: Problem, key: CallKey) -> Item | None:
    service = problem.call_service(key.service_id)
    shift = None if service is None else call_shift(service.pattern, key.day)
    if shift is None:
        return None
    start, end = shift.on(key.day)
    return Item(key.person_id, start, end, shift.kind, key)


def candidate_slot_keys(problem: Problem) -> list[SlotKey]:
    """Residents may be offered any activity (Eligibility decides); faculty only precept clinics."""
    resident_ids = [r.id for r in problem.residents]
    faculty_ids = [f.id for f in problem.faculty]
    keys = []
    for activity in problem.activities:
        people = resident_ids + (faculty_ids if activity.kind == ActivityKind.CLINIC else [])
        for day in problem.days:
            for session in SESSIONS:
                if shift_for(activity.pattern, day, session) is not None:
                    keys += [SlotKey(p, day, session, activity.id) for p in people]
    return keys


def candidate_call_keys(problem: Problem) -> list[CallKey]:
    keys = []
    for service in problem.call_services:
        people = (
            [r.id for r in problem.residents]
            if service.staff == CallStaff.RESIDENTS
            else [f.id for f in problem.faculty]
        )
        for day in problem.days:
            if call_shift(service.pattern, day) is not None:
                keys += [CallKey(p, day, service.id) for p in people]
    return keys


def boundary_items(problem: Problem, person_id: str) -> list[Item]:
    """Duty before the horizon; an overnight plain shift is taken to be a night-float night
    (a day shift is not: marking it so put twelve hours of rest after every ward day before
    the block, which no schedule of the previous block could keep)."""
    found = []
    for p in problem.boundary:
        if p.person_id == person_id and p.kind != DutyKind.LEAVE:
            item = Item(p.person_id, p.start, p.end, p.kind, None)
            found.append(replace(item, night_float=p.kind == DutyKind.SHIFT and item.overnight))
    return found


def chunks(problem: Problem, length: int) -> list[tuple[date, ...]]:
    days = problem.days
    return [days[i : i + length] for i in range(0, len(days), length)]


def averaging_periods(problem: Problem) -> list[tuple[date, ...]]:
    return chunks(problem, AVERAGING_DAYS)


def eligible_days(problem: Problem, person_id: str, period: tuple[date, ...]) -> list[date]:
    """ACGME.md: leave days leave both the numerator and the denominator of an average."""
    leave = problem.leave_days(person_id)
    return [d for d in period if d not in leave]


def fmit_week_start(day: date) -> date:
    """FMIT attending weeks run Friday to Thursday: the Friday on or before the day."""
    return day - timedelta(days=(day.weekday() - FRIDAY) % 7)


def fmit_week_starts(problem: Problem) -> tuple[date, ...]:
    """The FMIT weeks touching the problem; partial weeks at the edges count."""
    first = fmit_week_start(problem.start)
    count = (problem.end - first).days // 7 + 1
    return tuple(first + timedelta(days=7 * i) for i in range(count))


def fmit_week_days(problem: Problem, week_start: date) -> tuple[date, ...]:
    week = {week_start + timedelta(days=i) for i in range(7)}
    return tuple(d for d in problem.days if d in week)


def wednesdays(problem: Problem) -> tuple[date, ...]:
    return tuple(d for d in problem.days if d.weekday() == WEDNESDAY)


def inverted_wednesday(problem: Problem) -> date | None:
    """The block's 4th Wednesday (the block starts at the problem's start)."""
    found = wednesdays(problem)
    return found[3] if len(found) >= 4 else None
