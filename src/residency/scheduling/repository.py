"""Queries of the block schedule: the plan, the people, the templates and the stored rows of a
date range. Plain functions of a session; nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session, selectinload

from residency.absences.models import Absence
from residency.calendar.models import Block, HalfDay
from residency.ops.models import SETTINGS_ROW_ID, AppSettings
from residency.people.models import Person, PersonKind, ResidentLevel
from residency.rotations.models import RotationTemplate
from residency.scheduling.models import (
    Assignment,
    AssignmentSource,
    CallAssignment,
    RotationPlanEntry,
    RunStatus,
    ScheduleRun,
)

BLOCK_RUN = "block_schedule"


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive date-times for timezone-aware columns; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def policy(session: Session) -> dict[str, Any]:
    row = session.get(AppSettings, SETTINGS_ROW_ID)
    return dict(row.policy) if row is not None and row.policy else {}


def has_solver_plan(session: Session, year: int) -> bool:
    found = session.scalar(
        select(RotationPlanEntry.id)
        .where(
            RotationPlanEntry.academic_year == year,
            RotationPlanEntry.source == AssignmentSource.SOLVER,
        )
        .limit(1)
    )
    return found is not None


def plan_entries(session: Session, year: int, block_number: int) -> list[RotationPlanEntry]:
    return list(
        session.scalars(
            select(RotationPlanEntry)
            .where(
                RotationPlanEntry.academic_year == year,
                RotationPlanEntry.block_number == block_number,
            )
            .options(
                selectinload(RotationPlanEntry.person), selectinload(RotationPlanEntry.rotation)
            )
            .order_by(RotationPlanEntry.person_id, RotationPlanEntry.block_half)
        )
    )


def resident_levels(session: Session, year: int) -> dict[int, int]:
    """person id -> PGY in the academic year."""
    rows = session.execute(
        select(ResidentLevel.person_id, ResidentLevel.pgy).where(
            ResidentLevel.academic_year == year
        )
    )
    return dict(rows.tuples().all())


def active_faculty(session: Session) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .where(Person.kind == PersonKind.FACULTY, Person.active.is_(True))
            .order_by(Person.key)
        )
    )


def people_by_id(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(set(ids))))}


def templates(session: Session) -> list[RotationTemplate]:
    return list(
        session.scalars(
            select(RotationTemplate)
            .options(selectinload(RotationTemplate.shifts))
            .order_by(RotationTemplate.abbreviation)
        )
    )


def absences_between(session: Session, start: date, end: date) -> list[Absence]:
    return list(
        session.scalars(
            select(Absence)
            .where(Absence.start_date <= end, Absence.end_date >= start)
            .options(selectinload(Absence.person))
            .order_by(Absence.person_id, Absence.start_date)
        )
    )


def half_days_between(session: Session, start: date, end: date) -> list[HalfDay]:
    return list(
        session.scalars(
            select(HalfDay)
            .where(HalfDay.date >= start, HalfDay.date <= end)
            .order_by(HalfDay.date, HalfDay.session)
        )
    )


def assignments_between(session: Session, start: date, end: date) -> list[Assignment]:
    return list(
        session.scalars(
            select(Assignment)
            .join(HalfDay, Assignment.half_day_id == HalfDay.id)
            .where(HalfDay.date >= start, HalfDay.date <= end)
            .options(
                selectinload(Assignment.person),
                selectinload(Assignment.half_day),
                selectinload(Assignment.rotation).selectinload(RotationTemplate.shifts),
            )
            .order_by(HalfDay.date, HalfDay.session, Assignment.person_id)
        )
    )


def calls_between(session: Session, start: date, end: date) -> list[CallAssignment]:
    return list(
        session.scalars(
            select(CallAssignment)
            .where(CallAssignment.date >= start, CallAssignment.date <= end)
            .options(selectinload(CallAssignment.person))
            .order_by(CallAssignment.date, CallAssignment.person_id)
        )
    )


def replaceable(source: AssignmentSource, locked: bool) -> bool:
    """Rows the solver may replace: its own, unlocked. Manual and locked rows are kept."""
    return source == AssignmentSource.SOLVER and not locked


def delete_replaceable(session: Session, start: date, end: date) -> int:
    """Delete the solver-made, unlocked rows of the range (inside the caller's transaction)."""
    half_day_ids = select(HalfDay.id).where(HalfDay.date >= start, HalfDay.date <= end)
    solver_rows = and_(Assignment.source == AssignmentSource.SOLVER, Assignment.locked.is_(False))
    gone = session.execute(
        delete(Assignment).where(Assignment.half_day_id.in_(half_day_ids), solver_rows)
    ).rowcount
    gone += session.execute(
        delete(CallAssignment).where(
            CallAssignment.date >= start,
            CallAssignment.date <= end,
            CallAssignment.source == AssignmentSource.SOLVER,
            CallAssignment.locked.is_(False),
        )
    ).rowcount
    return int(gone or 0)


def running_runs(session: Session, start: date, end: date) -> list[ScheduleRun]:
    """RUNNING block runs whose date range overlaps [start, end]."""
    return list(
        session.scalars(
            select(ScheduleRun)
            .where(
                ScheduleRun.kind == BLOCK_RUN,
                ScheduleRun.status == RunStatus.RUNNING,
                ScheduleRun.start_date <= end,
                ScheduleRun.end_date >= start,
            )
            .order_by(ScheduleRun.id)
        )
    )


def block_of(session: Session, day: date) -> Block | None:
    return session.scalar(select(Block).where(Block.start_date <= day, Block.end_date >= day))
