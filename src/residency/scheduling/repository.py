"""Queries of the schedule: the plan, the people, the templates and the stored rows of a date
range, of one version (the published one unless told otherwise). Plain functions of a
session; nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from residency import clock
from residency.absences.models import Absence
from residency.calendar.models import HalfDay
from residency.clock import aware as aware  # re-exported: runs read it as repo.aware
from residency.people.models import Person, PersonKind, ResidentLevel
from residency.rotations.models import RotationTemplate
from residency.scheduling.models import (
    LIVE_STATUSES,
    Assignment,
    AssignmentSource,
    CallAssignment,
    PublishedVersion,
    RotationPlanEntry,
    RunKind,
    ScheduleRun,
)


@dataclass(frozen=True)
class Version:
    """Which version of the schedule a query reads: a run's draft, or (run_id None) what is
    published. Rows with no run (made by people outside any run) belong to every version."""

    run_id: int | None = None

    def holds(self, column: InstrumentedAttribute[int | None]) -> ColumnElement[bool]:
        if self.run_id is None:
            return column.is_(None) | column.in_(select(PublishedVersion.run_id))
        return column.is_(None) | (column == self.run_id)


PUBLISHED = Version()


def now() -> datetime:
    return clock.now()  # looked up on each call, so patching residency.clock.now moves it too


def plan_entries(
    session: Session, year: int, block_number: int, version: Version = PUBLISHED
) -> list[RotationPlanEntry]:
    return list(
        session.scalars(
            select(RotationPlanEntry)
            .where(
                RotationPlanEntry.academic_year == year,
                RotationPlanEntry.block_number == block_number,
                version.holds(RotationPlanEntry.schedule_run_id),
            )
            .options(
                selectinload(RotationPlanEntry.person), selectinload(RotationPlanEntry.rotation)
            )
            .order_by(RotationPlanEntry.person_id, RotationPlanEntry.block_half)
        )
    )


def year_plan_entries(
    session: Session, year: int, version: Version = PUBLISHED
) -> list[RotationPlanEntry]:
    return list(
        session.scalars(
            select(RotationPlanEntry)
            .where(
                RotationPlanEntry.academic_year == year,
                version.holds(RotationPlanEntry.schedule_run_id),
            )
            .options(
                selectinload(RotationPlanEntry.person), selectinload(RotationPlanEntry.rotation)
            )
            .order_by(
                RotationPlanEntry.person_id,
                RotationPlanEntry.block_number,
                RotationPlanEntry.block_half,
            )
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


def assignments_between(
    session: Session, start: date, end: date, version: Version = PUBLISHED
) -> list[Assignment]:
    return list(
        session.scalars(
            select(Assignment)
            .join(HalfDay, Assignment.half_day_id == HalfDay.id)
            .where(
                HalfDay.date >= start,
                HalfDay.date <= end,
                version.holds(Assignment.schedule_run_id),
            )
            .options(
                selectinload(Assignment.person),
                selectinload(Assignment.half_day),
                selectinload(Assignment.rotation).selectinload(RotationTemplate.shifts),
            )
            .order_by(HalfDay.date, HalfDay.session, Assignment.person_id)
        )
    )


def slot_cells_between(
    session: Session, start: date, end: date, version: Version = PUBLISHED
) -> list[tuple[int, str, str, date, str, str]]:
    """(person id, key, name, day, AM/PM, rotation abbreviation) of every half-day row: what
    a grid draws, read as plain columns (loading each row as an object costs most of a read)."""
    query = (
        select(
            Person.id,
            Person.key,
            Person.name,
            HalfDay.date,
            HalfDay.session,
            RotationTemplate.abbreviation,
        )
        .select_from(Assignment)
        .join(HalfDay, Assignment.half_day_id == HalfDay.id)
        .join(Person, Assignment.person_id == Person.id)
        .join(RotationTemplate, Assignment.rotation_id == RotationTemplate.id)
        .where(
            HalfDay.date >= start, HalfDay.date <= end, version.holds(Assignment.schedule_run_id)
        )
    )
    return [(i, k, n, d, str(h), a) for i, k, n, d, h, a in session.execute(query)]


def call_nights_between(
    session: Session, start: date, end: date, version: Version = PUBLISHED
) -> list[tuple[int, str, str, date]]:
    """(person id, key, name, night) of every call row, as plain columns."""
    query = (
        select(Person.id, Person.key, Person.name, CallAssignment.date)
        .join(Person, CallAssignment.person_id == Person.id)
        .where(
            CallAssignment.date >= start,
            CallAssignment.date <= end,
            version.holds(CallAssignment.schedule_run_id),
        )
    )
    return [(i, k, n, d) for i, k, n, d in session.execute(query)]


def calls_between(
    session: Session, start: date, end: date, version: Version = PUBLISHED
) -> list[CallAssignment]:
    return list(
        session.scalars(
            select(CallAssignment)
            .where(
                CallAssignment.date >= start,
                CallAssignment.date <= end,
                version.holds(CallAssignment.schedule_run_id),
            )
            .options(selectinload(CallAssignment.person))
            .order_by(CallAssignment.date, CallAssignment.person_id)
        )
    )


def replaceable(source: AssignmentSource, locked: bool) -> bool:
    """Rows the solver may replace: its own, unlocked. Manual and locked rows are kept."""
    return source == AssignmentSource.SOLVER and not locked


def live_runs(session: Session, kind: RunKind, start: date, end: date) -> list[ScheduleRun]:
    """Queued or running runs of a kind whose date range overlaps [start, end]."""
    return list(
        session.scalars(
            select(ScheduleRun)
            .where(
                ScheduleRun.kind == kind,
                ScheduleRun.status.in_(LIVE_STATUSES),
                ScheduleRun.start_date <= end,
                ScheduleRun.end_date >= start,
            )
            .order_by(ScheduleRun.id)
        )
    )
