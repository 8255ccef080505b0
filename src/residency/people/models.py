"""Residents and faculty. A person's natural key never changes; a resident's PGY level is
recorded per academic year, so the July 1 rollover adds a row and never rewrites history."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.orm import Base, enum_column

MIN_PGY = 1
MAX_PGY = 10
# A person's key: lower-case letters, digits and . _ - (stable, safe in URLs and file names).
KEY_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
KEY_LENGTH = 64


class PersonKind(StrEnum):
    RESIDENT = "resident"
    FACULTY = "faculty"


class FacultyRole(StrEnum):
    PROGRAM_DIRECTOR = "program_director"
    ASSOCIATE_PROGRAM_DIRECTOR = "associate_program_director"
    OFFICER_IN_CHARGE = "officer_in_charge"
    DEPARTMENT_CHIEF = "department_chief"
    SPORTS_MEDICINE = "sports_medicine"
    CORE = "core"


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'faculty') = (faculty_role IS NOT NULL)", name="faculty_have_a_role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    kind: Mapped[PersonKind] = mapped_column(enum_column(PersonKind, "person_kind"))
    name: Mapped[str] = mapped_column(String(128))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    faculty_role: Mapped[FacultyRole | None] = mapped_column(
        enum_column(FacultyRole, "faculty_role")
    )
    active: Mapped[bool] = mapped_column(default=True)

    levels: Mapped[list[ResidentLevel]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="ResidentLevel.academic_year",
    )


class ResidentLevel(Base):
    __tablename__ = "resident_levels"
    __table_args__ = (
        UniqueConstraint("person_id", "academic_year"),
        CheckConstraint(f"pgy BETWEEN {MIN_PGY} AND {MAX_PGY}", name="pgy_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    academic_year: Mapped[int]
    pgy: Mapped[int]

    person: Mapped[Person] = relationship(back_populates="levels")
