"""Academic years, their 13 blocks and their half-day sessions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.orm import Base, enum_column
from residency.rotations.duty_pattern import Session


class AcademicYear(Base):
    __tablename__ = "academic_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The calendar year it starts in: academic year 2025 runs 2025-07-01 to 2026-06-30.
    year: Mapped[int] = mapped_column(Integer, unique=True)
    label: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date, unique=True)
    end_date: Mapped[date] = mapped_column(Date)

    blocks: Mapped[list[Block]] = relationship(
        back_populates="academic_year", order_by="Block.number"
    )


class Block(Base):
    __tablename__ = "blocks"
    __table_args__ = (
        UniqueConstraint("academic_year_id", "number"),
        CheckConstraint("number BETWEEN 1 AND 13", name="number_1_to_13"),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_years.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)

    academic_year: Mapped[AcademicYear] = relationship(back_populates="blocks")


class HalfDay(Base):
    __tablename__ = "half_days"
    __table_args__ = (UniqueConstraint("date", "session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("blocks.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    session: Mapped[Session] = mapped_column(enum_column(Session, "session"))
    is_weekend: Mapped[bool]
    is_holiday: Mapped[bool]
    holiday_name: Mapped[str | None] = mapped_column(String(64))

    block: Mapped[Block] = relationship()
