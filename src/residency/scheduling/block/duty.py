"""A stored schedule version as duty periods, for the independent checker (ARCHITECTURE
principle 3). Scheduling feeds the checker; the checker knows nothing of scheduling.

Re-derived from the database rows (assignments through each rotation template's duty pattern,
call assignments with their actual times, leave from absences and from leave rotations in
the plan), never from the solver's answer.
Only residents have duty periods: the ACGME rules are about residents.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from residency.absences.models import Absence, counts_as_leave
from residency.calendar.academic_year import days as calendar_days
from residency.calendar.service import block_row
from residency.compliance.duty import LeaveDay, ScheduledActivity, ScheduledCall, duty_periods
from residency.compliance.rules.base import DutyPeriod
from residency.rotations.duty_pattern import DutyKind, DutyPattern
from residency.scheduling import repository as repo
from residency.scheduling.models import CallType
from residency.scheduling.planned_leave import planned_leave_between
from residency.scheduling.repository import PUBLISHED, Version

CALL_KINDS = {
    CallType.IN_HOUSE: DutyKind.IN_HOUSE_CALL,
    CallType.WEEKEND: DutyKind.IN_HOUSE_CALL,
    CallType.HOME: DutyKind.HOME_CALL,
    CallType.BACKUP: DutyKind.HOME_CALL,
}


def days_of(absence: Absence, start: date, end: date) -> list[date]:
    return list(calendar_days(max(absence.start_date, start), min(absence.end_date, end)))


def duty_periods_between(
    session: Session, start: date, end: date, academic_year: int, version: Version = PUBLISHED
) -> list[DutyPeriod]:
    """Residents' duty stored for the days start..end (inclusive) in one version of the
    schedule (the published one unless told); PGY of the academic year."""
    levels = repo.resident_levels(session, academic_year)
    patterns: dict[int, DutyPattern] = {}
    activities = []
    for row in repo.assignments_between(session, start, end, version):
        if row.person_id not in levels:
            continue
        if row.rotation_id not in patterns:
            patterns[row.rotation_id] = row.rotation.duty_pattern()
        activities.append(
            ScheduledActivity(
                row.person.key,
                levels[row.person_id],
                row.half_day.date,
                row.half_day.session,
                patterns[row.rotation_id],
            )
        )
    calls = [
        ScheduledCall(
            c.person.key,
            levels[c.person_id],
            c.date,
            c.starts_at,
            c.ends_at,
            CALL_KINDS[c.call_type],
        )
        for c in repo.calls_between(session, start, end, version)
        if c.person_id in levels
    ]
    leave = {
        LeaveDay(a.person.key, levels[a.person_id], day)
        for a in repo.absences_between(session, start, end)
        if a.person_id in levels and counts_as_leave(a)
        for day in days_of(a, start, end)
    }
    leave |= {
        LeaveDay(p.person_key, levels[p.person_id], day)
        for p in planned_leave_between(session, start, end)
        if p.person_id in levels
        for day in calendar_days(p.start, p.end)
    }
    return duty_periods(activities, calls, sorted(leave, key=lambda d: (d.person_id, d.day)))


def duty_periods_for_block(
    session: Session, academic_year: int, block: int, version: Version = PUBLISHED
) -> list[DutyPeriod]:
    row = block_row(session, academic_year, block)
    return duty_periods_between(session, row.start_date, row.end_date, academic_year, version)
