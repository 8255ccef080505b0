"""Leave and other absences. Blocking absences remove a person from scheduling on those days."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.orm import Base, enum_column
from residency.people.models import Person

NOTE_LENGTH = 500


class AbsenceType(StrEnum):
    VACATION = "vacation"
    SICK = "sick"
    MEDICAL = "medical"
    PARENTAL = "parental"
    CONFERENCE = "conference"
    DEPLOYMENT = "deployment"
    TDY = "tdy"
    BEREAVEMENT = "bereavement"
    EMERGENCY = "emergency"


class Absence(Base):
    __tablename__ = "absences"
    __table_args__ = (
        UniqueConstraint("person_id", "start_date", "absence_type"),
        CheckConstraint("end_date >= start_date", name="ends_on_or_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    absence_type: Mapped[AbsenceType] = mapped_column(enum_column(AbsenceType, "absence_type"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)  # inclusive
    blocks_scheduling: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH), default="")

    person: Mapped[Person] = relationship()


def date_range_problem(start: date, end: date) -> str | None:
    """The rule behind ends_on_or_after_start in words, for the program file and the API."""
    return f"end {end} is before start {start}" if end < start else None


def counts_as_leave(absence: Absence) -> bool:
    """Leave leaves the ACGME averages (ACGME.md); a conference is education, not leave, and a
    non-blocking absence is worked around, so neither is removed from the denominator."""
    return absence.blocks_scheduling and absence.absence_type != AbsenceType.CONFERENCE
