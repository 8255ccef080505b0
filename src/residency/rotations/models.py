"""Rotation templates, their staffing bounds and their duty patterns."""

from __future__ import annotations

from datetime import time
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.orm import Base, enum_column
from residency.rotations.duty_pattern import DutyKind, DutyPattern, ShiftSpec

# A template's abbreviation, e.g. FMIT or NF-PEDS: what people, files and URLs call it.
ABBREVIATION_PATTERN = r"^[A-Z0-9][A-Z0-9_-]*$"
ABBREVIATION_LENGTH = 16


class ActivityType(StrEnum):
    INPATIENT = "inpatient"
    NIGHT_FLOAT = "night_float"
    OUTPATIENT = "outpatient"
    CLINIC = "clinic"
    CALL = "call"
    PROCEDURE = "procedure"
    EDUCATION = "education"
    ORIENTATION = "orientation"
    LEAVE = "leave"
    OFF = "off"


class RotationTemplate(Base):
    __tablename__ = "rotation_templates"
    __table_args__ = (
        CheckConstraint(
            "min_residents_per_block >= 0 AND max_residents_per_block >= min_residents_per_block",
            name="block_staffing_bounds",
        ),
        CheckConstraint(
            "min_residents_per_half_day >= 0"
            " AND max_residents_per_half_day >= min_residents_per_half_day",
            name="half_day_staffing_bounds",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    abbreviation: Mapped[str] = mapped_column(String(ABBREVIATION_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    activity_type: Mapped[ActivityType] = mapped_column(enum_column(ActivityType, "activity_type"))
    eligible_pgy: Mapped[list[int]] = mapped_column(JSON)
    min_residents_per_block: Mapped[int] = mapped_column(default=0)
    max_residents_per_block: Mapped[int]
    min_residents_per_half_day: Mapped[int] = mapped_column(default=0)
    max_residents_per_half_day: Mapped[int]
    requires_supervision: Mapped[bool] = mapped_column(default=False)
    # Rotations such as night float run for half a block (two weeks) rather than a full one.
    half_block: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(String(500), default="")
    # "#RRGGBB" from the program file; None: the colour of its activity type (rotations/colors.py)
    color: Mapped[str | None] = mapped_column(String(7))
    # False: left out of new schedules (rotations/edits.py deactivate_template); the rows that
    # already name it stay as they are.
    active: Mapped[bool] = mapped_column(default=True)

    shifts: Mapped[list[DutyShift]] = relationship(
        back_populates="template",
        cascade="all, delete-orphan",
        order_by="(DutyShift.weekday, DutyShift.start_time)",
    )

    def duty_pattern(self) -> DutyPattern:
        return DutyPattern(
            tuple(ShiftSpec(s.weekday, s.start_time, s.end_time, s.kind) for s in self.shifts)
        )


class DutyShift(Base):
    """One shift of a template's weekly duty pattern; an end at or before the start ends the
    next day (a 19:00-07:00 night)."""

    __tablename__ = "duty_shifts"
    __table_args__ = (
        UniqueConstraint("template_id", "weekday", "start_time"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_0_to_6"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("rotation_templates.id", ondelete="CASCADE")
    )
    weekday: Mapped[int]
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    kind: Mapped[DutyKind] = mapped_column(
        enum_column(DutyKind, "duty_kind"), default=DutyKind.SHIFT
    )

    template: Mapped[RotationTemplate] = relationship(back_populates="shifts")


class CurriculumRequirement(Base):
    """How much of a rotation a PGY level must (and may) do in an academic year. Counted in
    half-blocks so that two-week rotations are exact: 3 = one and a half blocks."""

    __tablename__ = "curriculum_requirements"
    __table_args__ = (
        UniqueConstraint("pgy", "rotation_id"),
        CheckConstraint(
            "min_half_blocks >= 0 AND max_half_blocks >= min_half_blocks AND max_half_blocks <= 26",
            name="half_block_bounds",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pgy: Mapped[int]
    rotation_id: Mapped[int] = mapped_column(
        ForeignKey("rotation_templates.id", ondelete="CASCADE")
    )
    min_half_blocks: Mapped[int]
    max_half_blocks: Mapped[int]

    rotation: Mapped[RotationTemplate] = relationship()


class StaffingRule(Base):
    """A service's minimum by level, every block: e.g. FMIT needs one PGY-1 and one senior."""

    __tablename__ = "staffing_rules"
    __table_args__ = (
        UniqueConstraint("rotation_id", "min_pgy", "max_pgy"),
        CheckConstraint("min_pgy <= max_pgy AND min_residents >= 1", name="sensible_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rotation_id: Mapped[int] = mapped_column(
        ForeignKey("rotation_templates.id", ondelete="CASCADE")
    )
    min_pgy: Mapped[int]
    max_pgy: Mapped[int]
    min_residents: Mapped[int]

    rotation: Mapped[RotationTemplate] = relationship()
