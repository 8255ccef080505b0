"""Stored rows <-> engine entries: a version of a block as an engine `Schedule` (for repair and
for checking what was saved), and a solution written as a run's draft rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from residency.errors import InputError
from residency.rotations.duty_pattern import Session as HalfDaySession
from residency.scheduling import repository as repo
from residency.scheduling.block.data import FMIT_ROW, PRECEPTING, BlockData
from residency.scheduling.engine.items import CallKey, call_item, fmit_week_start
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
from residency.scheduling.repository import PUBLISHED, Version

__all__ = ["previous_schedule", "stored_schedule", "write_draft"]


def stored_entries(
    session: Session, data: BlockData, version: Version = PUBLISHED
) -> tuple[list[Assignment], list[CallAssignment], set[FmitWeek]]:
    slots, weeks = [], set()
    for row in repo.assignments_between(session, data.start, data.end, version):
        key = row.person.key
        if row.activity == FMIT_ROW:
            weeks.add(FmitWeek(key, fmit_week_start(row.half_day.date)))
        else:
            slots.append(
                Assignment(key, row.half_day.date, row.half_day.session, row.rotation.abbreviation)
            )
    calls = [
        CallAssignment(c.person.key, c.date, service)
        for c in repo.calls_between(session, data.start, data.end, version)
        if (service := data.service_for(c.call_type)) is not None
    ]
    return slots, calls, weeks


def previous_schedule(session: Session, data: BlockData) -> PreviousSchedule:
    """The published version: what a repair changes as little as possible."""
    slots, calls, weeks = stored_entries(session, data)
    return PreviousSchedule(tuple(sorted(slots)), tuple(sorted(calls)), tuple(sorted(weeks)))


def stored_schedule(session: Session, data: BlockData, version: Version = PUBLISHED) -> Schedule:
    """A version of the block as saved: every stored row, whoever made it."""
    slots, calls, weeks = stored_entries(session, data, version)
    return Schedule(data.problem, tuple(slots), tuple(calls), tuple(sorted(weeks)))


def write_draft(session: Session, data: BlockData, solution: Solution, run_id: int) -> int:
    """The run's version: the solution's rows, and copies of the kept rows of the version it
    was built on (rows outside every run are shared, not copied). Returns the rows written."""
    half_days = {
        (h.date, h.session): h.id for h in repo.half_days_between(session, data.start, data.end)
    }
    taken = {(k.person_key, k.day, k.session) for k in data.kept_slots}
    rows = [
        row
        for row in _slot_rows(data, solution)
        if (row["_key"], row["_day"], row["_session"]) not in taken
    ]
    rows += [
        {
            **_row(data, k.person_key, k.day, k.session, k.rotation, k.activity, k.role),
            "source": k.source,
            "locked": k.locked,
            "override_reason": k.override_reason,
        }
        for k in data.kept_slots
        if k.in_version
    ]
    for row in rows:  # the slot's key becomes its half-day; the row joins the run's version
        del row["_key"]
        row["half_day_id"] = half_days[(row.pop("_day"), row.pop("_session"))]
        row["schedule_run_id"] = run_id
    if rows:
        session.execute(insert(AssignmentRow), rows)
    return len(rows) + insert_calls(session, data, solution, run_id)


def insert_calls(session: Session, data: BlockData, solution: Solution, run_id: int) -> int:
    kept = {(c.person_key, c.day, c.call_type) for c in data.kept_calls}
    rows = []
    for call in solution.call_assignments:
        call_type = data.call_type(call.service_id)
        if (call.person_id, call.day, call_type) in kept:
            continue
        item = call_item(data.problem, CallKey(call.person_id, call.day, call.service_id))
        assert item is not None, "the solver only makes calls on nights with a call shift"
        rows.append(
            {
                "person_id": data.people[call.person_id].id,
                "date": call.day,
                "call_type": call_type,
                "starts_at": item.start,
                "ends_at": item.end,
                **_provenance(AssignmentRole.PRIMARY),
            }
        )
    rows += [
        {
            "person_id": data.people[k.person_key].id,
            "date": k.day,
            "call_type": k.call_type,
            "starts_at": k.starts_at,
            "ends_at": k.ends_at,
            "role": k.role,
            "source": k.source,
            "locked": k.locked,
            "override_reason": k.override_reason,
        }
        for k in data.kept_calls
        if k.in_version
    ]
    for row in rows:
        row["schedule_run_id"] = run_id
    if rows:
        session.execute(insert(CallRow), rows)
    return len(rows)


def _slot_rows(data: BlockData, solution: Solution) -> list[dict[str, Any]]:
    problem = data.problem
    rows = []
    for a in solution.assignments:
        resident = problem.resident(a.person_id) is not None
        activity = problem.activity(a.activity_id)
        assert activity is not None
        role = AssignmentRole.PRIMARY if resident else AssignmentRole.SUPERVISING
        label = activity.kind.value if resident else PRECEPTING
        rows.append(_row(data, a.person_id, a.day, a.session, a.activity_id, label, role))
    for week in solution.fmit_weeks:
        fmit = data.settings.fmit_service
        if fmit is None or fmit not in data.templates:
            raise InputError(
                f"policy.block_schedule.fmit_service names {fmit!r}, which is not a rotation"
            )
        for day in _days_in_block(data, week.week_start):
            for session in (HalfDaySession.AM, HalfDaySession.PM):
                rows.append(
                    _row(
                        data,
                        week.faculty_id,
                        day,
                        session,
                        fmit,
                        FMIT_ROW,
                        AssignmentRole.SUPERVISING,
                    )
                )
    return rows


def _row(
    data: BlockData,
    person_key: str,
    day: date,
    session: HalfDaySession,
    template: str,
    label: str,
    role: AssignmentRole,
) -> dict[str, Any]:
    return {
        "person_id": data.people[person_key].id,
        "rotation_id": data.templates[template].id,
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


def _days_in_block(data: BlockData, start: date) -> list[date]:
    days = [start + timedelta(days=i) for i in range(7)]
    return [d for d in days if data.start <= d <= data.end]
