"""A schedule -> duty periods, through each rotation's duty pattern. Pure: dataclasses in,
DutyPeriods out, so the solver's hour accounting and the checker read hours the same way.

For each person and day, a template's shifts on that weekday are worked when the half-day
session each shift starts in (ShiftSpec.session) is assigned to that template that day; a
shift is emitted once even when both AM and PM carry the template. Adjacent or overlapping
duty stays as separate periods: the rules merge them into continuous runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from residency.compliance.rules.base import DutyPeriod
from residency.rotations.duty_pattern import DutyKind, DutyPattern, Session


@dataclass(frozen=True)
class ScheduledActivity:
    """One half-day session of one person assigned to a rotation template."""

    person_id: str
    pgy: int
    day: date
    session: Session
    pattern: DutyPattern


@dataclass(frozen=True)
class ScheduledCall:
    person_id: str
    pgy: int
    night: date
    start: datetime
    end: datetime
    kind: DutyKind = DutyKind.IN_HOUSE_CALL


@dataclass(frozen=True)
class LeaveDay:
    person_id: str
    pgy: int
    day: date


def duty_periods(
    activities: Iterable[ScheduledActivity],
    calls: Iterable[ScheduledCall] = (),
    leave: Iterable[LeaveDay] = (),
) -> list[DutyPeriod]:
    periods = set(_pattern_periods(activities))
    periods.update(DutyPeriod(c.person_id, c.pgy, c.start, c.end, c.kind) for c in calls)
    periods.update(_leave_period(day) for day in leave)
    return sorted(periods)


def _pattern_periods(activities: Iterable[ScheduledActivity]) -> Iterable[DutyPeriod]:
    sessions: defaultdict[tuple[str, int, date, DutyPattern], set[Session]] = defaultdict(set)
    for activity in activities:
        key = (activity.person_id, activity.pgy, activity.day, activity.pattern)
        sessions[key].add(activity.session)
    for (person_id, pgy, day, pattern), assigned in sessions.items():
        for shift in pattern.shifts_on(day.weekday()):
            if shift.session in assigned:
                start, end = shift.on(day)
                yield DutyPeriod(person_id, pgy, start, end, shift.kind)


def _leave_period(leave: LeaveDay) -> DutyPeriod:
    # Leave is whole days (ACGME FAQ: leave days leave both sides of the average).
    start = datetime.combine(leave.day, time())
    return DutyPeriod(leave.person_id, leave.pgy, start, start + timedelta(days=1), DutyKind.LEAVE)
