"""What the database holds, in the numbers a coordinator checks first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from residency.absences.models import Absence
from residency.calendar.service import block_row, count_half_days
from residency.people.models import Person, PersonKind
from residency.rotations.models import RotationTemplate


@dataclass(frozen=True)
class ProgramSummary:
    academic_year: int
    residents: int
    faculty: int
    rotation_templates: int
    half_days: int
    absences: int
    block_number: int
    block_start: date
    block_end: date

    @property
    def people(self) -> int:
        return self.residents + self.faculty


def _count(session: Session, column: object, *where: object) -> int:
    return session.scalar(select(func.count(column)).where(*where)) or 0  # type: ignore[arg-type]


def program_summary(session: Session, academic_year: int, block_number: int) -> ProgramSummary:
    block = block_row(session, academic_year, block_number)
    return ProgramSummary(
        academic_year=academic_year,
        residents=_count(session, Person.id, Person.kind == PersonKind.RESIDENT),
        faculty=_count(session, Person.id, Person.kind == PersonKind.FACULTY),
        rotation_templates=_count(session, RotationTemplate.id),
        half_days=count_half_days(session, academic_year),
        absences=_count(session, Absence.id),
        block_number=block.number,
        block_start=block.start_date,
        block_end=block.end_date,
    )
