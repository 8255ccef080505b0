"""Schedule runs and what they produce: the annual rotation plan, half-day assignments and
call assignments. Every generated row points at the run that produced it."""

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
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.calendar.models import HalfDay
from residency.orm import Base, enum_column
from residency.people.models import Person
from residency.rotations.models import RotationTemplate


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    INFEASIBLE = "infeasible"
    FAILED = "failed"


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
    __tablename__ = "schedule_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "annual_plan" or "block_schedule"
    academic_year: Mapped[int]
    block_number: Mapped[int | None]
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, "run_status"))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    constraint_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message: Mapped[str] = mapped_column(String(1000), default="")


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
        UniqueConstraint("person_id", "academic_year", "block_number", "block_half"),
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
        ForeignKey("schedule_runs.id", ondelete="SET NULL")
    )

    person: Mapped[Person] = relationship()
    rotation: Mapped[RotationTemplate] = relationship()


class Assignment(_Provenance, Base):
    """Level 2: what a person does in one half-day."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("person_id", "half_day_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    half_day_id: Mapped[int] = mapped_column(
        ForeignKey("half_days.id", ondelete="CASCADE"), index=True
    )
    rotation_id: Mapped[int] = mapped_column(ForeignKey("rotation_templates.id"))
    activity: Mapped[str] = mapped_column(String(64), default="")
    schedule_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_runs.id", ondelete="SET NULL"), index=True
    )

    person: Mapped[Person] = relationship()
    half_day: Mapped[HalfDay] = relationship()
    rotation: Mapped[RotationTemplate] = relationship()


class CallAssignment(_Provenance, Base):
    """A call night (or weekend day) with its actual duty times."""

    __tablename__ = "call_assignments"
    __table_args__ = (
        UniqueConstraint("person_id", "date", "call_type"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date, index=True)
    call_type: Mapped[CallType] = mapped_column(enum_column(CallType, "call_type"))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # local wall-clock time
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    schedule_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_runs.id", ondelete="SET NULL"), index=True
    )

    person: Mapped[Person] = relationship()
