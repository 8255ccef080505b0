"""Schedule runs and what they produce: the annual rotation plan, half-day assignments and
call assignments.

Versions: every row a run writes points at that run, so each run's rows are one version of its
scope (the year's plan, or one block), and `published_versions` names the version everyone
sees. Rows with no run (people-made plan entries from the program file, rows written by hand)
belong to every version of their scope."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.calendar.models import HalfDay
from residency.orm import Base, enum_column
from residency.people.models import Person
from residency.rotations.models import RotationTemplate


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    INFEASIBLE = "infeasible"
    FAILED = "failed"
    CANCELLED = "cancelled"


LIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)  # a run that has not ended yet


class RunKind(StrEnum):
    ANNUAL_PLAN = "annual_plan"
    BLOCK_SCHEDULE = "block_schedule"


class AssignmentRole(StrEnum):
    PRIMARY = "primary"
    SUPERVISING = "supervising"
    BACKUP = "backup"


class AssignmentSource(StrEnum):
    SOLVER = "solver"
    MANUAL = "manual"
    IMPORT = "import"


class CallType(StrEnum):
    IN_HOUSE = "in_house"
    WEEKEND = "weekend"
    HOME = "home"
    BACKUP = "backup"


class ScheduleRun(Base):
    """One attempt at a plan or a block schedule. A successful run's rows are a draft version
    of its scope (the year's plan, or one block) until the run is published."""

    __tablename__ = "schedule_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # a RunKind
    academic_year: Mapped[int]
    block_number: Mapped[int | None]
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, "run_status"))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    constraint_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # when claimed
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Written every few seconds while the run works: a live run whose heartbeat stopped belongs
    # to a process that died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The published version this run was built on (run id and the scope's revision then):
    # publishing over a newer published version needs --force.
    base_run_id: Mapped[int | None]
    base_revision: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(1000), default="")
    # The latest improving solution while it solves (runs/progress.py); the curve is in
    # run_progress_points. A cancel sets cancel_requested_at; the solving process reads it.
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    cancel_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RunProgressPoint(Base):
    """One written progress report of a run: the curve of objective and bound over time."""

    __tablename__ = "run_progress_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_runs.id", ondelete="CASCADE"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    elapsed_s: Mapped[float]
    stage: Mapped[str] = mapped_column(String(200))
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    solutions: Mapped[int]


class PublishedVersion(Base):
    """The published version of one scope: which run's rows everyone sees. One row per scope;
    `revision` counts every change of what is published, so a draft can tell it is stale."""

    __tablename__ = "published_versions"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    academic_year: Mapped[int]
    block_number: Mapped[int | None]
    run_id: Mapped[int] = mapped_column(ForeignKey("schedule_runs.id"))
    revision: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Publication(Base):
    """Append-only history of publishing: every version a scope has shown, and when."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("schedule_runs.id"))
    previous_run_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_runs.id"))
    revision: Mapped[int]
    forced: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Rows outside every run (people-made) are unique on their own: NULL run ids never collide in
# a unique constraint, so these partial indexes say it for both engines.
PEOPLE_MADE = text("schedule_run_id IS NULL")


def people_made_unique(name: str, *columns: str) -> Index:
    return Index(
        name, *columns, unique=True, sqlite_where=PEOPLE_MADE, postgresql_where=PEOPLE_MADE
    )


class _Provenance:
    """Columns every scheduled row carries: who made it and whether the solver may move it."""

    role: Mapped[AssignmentRole] = mapped_column(
        enum_column(AssignmentRole, "assignment_role"), default=AssignmentRole.PRIMARY
    )
    source: Mapped[AssignmentSource] = mapped_column(
        enum_column(AssignmentSource, "assignment_source"), default=AssignmentSource.SOLVER
    )
    locked: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(String(500))


class RotationPlanEntry(_Provenance, Base):
    """Level 1: which rotation a resident is on for a block (or half of one)."""

    __tablename__ = "rotation_plan_entries"
    __table_args__ = (
        # One entry per half-block in each version (a version's run id; None: people-made).
        UniqueConstraint(
            "person_id",
            "academic_year",
            "block_number",
            "block_half",
            "schedule_run_id",
            name="uq_rotation_plan_entries_version_half_block",
        ),
        people_made_unique(
            "uq_rotation_plan_entries_people_made",
            "person_id",
            "academic_year",
            "block_number",
            "block_half",
        ),
        CheckConstraint("block_number BETWEEN 1 AND 13", name="block_number_1_to_13"),
        # 0 = the whole block, 1 and 2 = its first and second fortnight.
        CheckConstraint("block_half IN (0, 1, 2)", name="block_half_0_1_2"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    academic_year: Mapped[int]
    block_number: Mapped[int]
    block_half: Mapped[int] = mapped_column(default=0)
    rotation_id: Mapped[int] = mapped_column(ForeignKey("rotation_templates.id"))
    schedule_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_runs.id", ondelete="CASCADE")
    )

    person: Mapped[Person] = relationship()
    rotation: Mapped[RotationTemplate] = relationship()


class Assignment(_Provenance, Base):
    """Level 2: what a person does in one half-day."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint(
            "person_id", "half_day_id", "schedule_run_id", name="uq_assignments_version_slot"
        ),
        people_made_unique("uq_assignments_people_made", "person_id", "half_day_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    half_day_id: Mapped[int] = mapped_column(
        ForeignKey("half_days.id", ondelete="CASCADE"), index=True
    )
    rotation_id: Mapped[int] = mapped_column(ForeignKey("rotation_templates.id"))
    activity: Mapped[str] = mapped_column(String(64), default="")
    schedule_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_runs.id", ondelete="CASCADE"), index=True
    )

    person: Mapped[Person] = relationship()
    half_day: Mapped[HalfDay] = relationship()
    rotation: Mapped[RotationTemplate] = relationship()


class CallAssignment(_Provenance, Base):
    """A call night (or weekend day) with its actual duty times."""

    __tablename__ = "call_assignments"
    __table_args__ = (
        UniqueConstraint(
            "person_id",
            "date",
            "call_type",
            "schedule_run_id",
            name="uq_call_assignments_version_night",
        ),
        people_made_unique("uq_call_assignments_people_made", "person_id", "date", "call_type"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date, index=True)
    call_type: Mapped[CallType] = mapped_column(enum_column(CallType, "call_type"))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # local wall-clock time
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    schedule_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_runs.id", ondelete="CASCADE"), index=True
    )

    person: Mapped[Person] = relationship()
