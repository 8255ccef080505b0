"""Absence queries: each absence with the key of its person."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.absences.models import Absence, AbsenceType
from residency.people.models import Person


def absences_with_keys(
    session: Session,
    person_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[tuple[Absence, str]]:
    """Those of one person (or everyone's) that overlap start..end (both inclusive), by date."""
    query = select(Absence, Person.key).join(Person).order_by(Absence.start_date, Person.key)
    if person_id is not None:
        query = query.where(Absence.person_id == person_id)
    if start is not None:
        query = query.where(Absence.end_date >= start)
    if end is not None:
        query = query.where(Absence.start_date <= end)
    return list(session.execute(query).tuples())


def absence_with_key(session: Session, absence_id: int) -> tuple[Absence, str] | None:
    query = select(Absence, Person.key).join(Person).where(Absence.id == absence_id)
    found = session.execute(query).tuples().first()
    return None if found is None else (found[0], found[1])


def absence_starting(
    session: Session, person_id: int, start: date, kind: AbsenceType
) -> Absence | None:
    """The one absence of this kind a person may have starting that day (a unique key)."""
    return session.scalar(
        select(Absence).where(
            Absence.person_id == person_id,
            Absence.start_date == start,
            Absence.absence_type == kind,
        )
    )
