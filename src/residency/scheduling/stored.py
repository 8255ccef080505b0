"""Stored rows <-> engine entries: what a block holds in the database as an engine `Schedule`
(for repair and for checking what was saved), and a solution written as rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from residency.errors import InputError
from residency.rotations.duty_pattern import Session as HalfDaySession
from residency.scheduling import repository as repo
from residency.scheduling.engine.items import CallKey, call_item
from residency.scheduling.engine.problem import (
    Assignment,
    CallAssignment,
    FmitWeek,
    PreviousSchedule,
)
from residency.scheduling.engine.results import Schedule, Solution
from residency.scheduling.models import Assignment as AssignmentRow
from residency.scheduling.models import AssignmentRole, AssignmentSource
from residency.scheduling.models import CallAssignment as CallRow

if TYPE_CHECKING:
    from residency.scheduling.problem_builder import BlockContext

FMIT_ROW = "fmit_attending"  # Assignment.activity of a faculty member's FMIT week
PRECEPTING = "precepting"  # Assignment.activity of a faculty member in clinic
FRIDAY = 4


def week_start(day: date) -> date:
    return day - timedelta(days=(day.weekday() - FRIDAY) % 7)


def stored_entries(
    session: Session, context: BlockContext
) -> tuple[list[Assignment], list[CallAssignment], set[FmitWeek]]:
    start, end = context.block.start_date, context.block.end_date
    slots, weeks = [], set()
    for row in repo.assignments_between(session, start, end):
        key = row.person.key
        if row.activity == FMIT_ROW:
            weeks.add(FmitWeek(key, week_start(row.half_day.date)))
        else:
            slots.append(
                Assignment(key, row.half_day.date, row.half_day.session, row.rotation.abbreviation)
            )
    calls = [
        CallAssignment(c.person.key, c.date, service)
        for c in repo.calls_between(session, start, end)
        if (service := context.service_for(c.call_type)) is not None
    ]
    return slots, calls, weeks


def previous_schedule(session: Session, context: BlockContext) -> PreviousSchedule:
    slots, calls, weeks = stored_entries(session, context)
    return PreviousSchedule(tuple(sorted(slots)), tuple(sorted(calls)), tuple(sorted(weeks)))


def stored_schedule(session: Session, context: BlockContext) -> Schedule:
    """The block as saved: every stored row, whoever made it."""
    slots, calls, weeks = stored_entries(session, context)
    return Schedule(context.problem, tuple(slots), tuple(calls), tuple(sorted(weeks)))


def write_solution(session: Session, context: BlockContext, solution: Solution, run_id: int) -> int:
    """Insert the solution's rows that are not already kept; returns the rows written."""
    half_days = {
        (h.date, h.session): h.id
        for h in repo.half_days_between(session, context.block.start_date, context.block.end_date)
    }
    taken = {(a.person.key, a.half_day.date, a.half_day.session) for a in context.kept_assignments}
    rows = [
        row
        for row in _slot_rows(context, solution, half_days, run_id)
        if (row.pop("_key"), row.pop("_day"), row.pop("_session")) not in taken
    ]
    if rows:
        session.execute(insert(AssignmentRow), rows)
    return len(rows) + insert_calls(session, context, solution, run_id)


def insert_calls(session: Session, context: BlockContext, solution: Solution, run_id: int) -> int:
    kept = {(c.person.key, c.date, c.call_type) for c in context.kept_calls}
    rows = []
    for call in solution.call_assignments:
        call_type = context.call_type(call.service_id)
        if (call.person_id, call.day, call_type) in kept:
            continue
        item = call_item(context.problem, CallKey(call.person_id, call.day, call.service_id))
        assert item is not None, "the solver only makes calls on nights with a call shift"
        rows.append(
            {
                "person_id": context.people[call.person_id].id,
                "date": call.day,
                "call_type": call_type,
                "starts_at": item.start,
                "ends_at": item.end,
                "schedule_run_id": run_id,
                **_provenance(AssignmentRole.PRIMARY),
            }
        )
    if rows:
        session.execute(insert(CallRow), rows)
    return len(rows)


def _slot_rows(
    context: BlockContext,
    solution: Solution,
    half_days: dict[tuple[date, HalfDaySession], int],
    run_id: int,
) -> list[dict[str, Any]]:
    problem = context.problem
    rows = []
    for a in solution.assignments:
        resident = problem.resident(a.person_id) is not None
        activity = problem.activity(a.activity_id)
        assert activity is not None
        role = AssignmentRole.PRIMARY if resident else AssignmentRole.SUPERVISING
        label = activity.kind.value if resident else PRECEPTING
        rows.append(_row(context, a.person_id, a.day, a.session, a.activity_id, label, role))
    for week in solution.fmit_weeks:
        fmit = context.settings.fmit_service
        if fmit is None or fmit not in context.templates:
            raise InputError(
                f"policy.block_schedule.fmit_service names {fmit!r}, which is not a rotation"
            )
        for day in _days_in_block(context, week.week_start):
            for session in (HalfDaySession.AM, HalfDaySession.PM):
                rows.append(
                    _row(
                        context,
                        week.faculty_id,
                        day,
                        session,
                        fmit,
                        FMIT_ROW,
                        AssignmentRole.SUPERVISING,
                    )
                )
    for row in rows:
        row["half_day_id"] = half_days[(row["_day"], row["_session"])]
        row["schedule_run_id"] = run_id
    return rows


def _row(
    context: BlockContext,
    person_key: str,
    day: date,
    session: HalfDaySession,
    template: str,
    label: str,
    role: AssignmentRole,
) -> dict[str, Any]:
    return {
        "person_id": context.people[person_key].id,
        "rotation_id": context.templates[template].id,
        "activity": label,
        "_key": person_key,
        "_day": day,
        "_session": session,
        **_provenance(role),
    }


def _provenance(role: AssignmentRole) -> dict[str, Any]:
    return {
        "role": role,
        "source": AssignmentSource.SOLVER,
        "locked": False,
        "override_reason": None,
    }


def _days_in_block(context: BlockContext, start: date) -> list[date]:
    days = [start + timedelta(days=i) for i in range(7)]
    return [d for d in days if context.block.start_date <= d <= context.block.end_date]
