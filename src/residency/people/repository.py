"""Person queries shared by the program import, the schedulers and the people routes."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from residency.people.models import Person, PersonKind, ResidentLevel


def person_ids_by_key(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Person.key, Person.id)).tuples().all())


def key_of_person(session: Session, person_id: int | None) -> str | None:
    """The key of an account's person (None: the account is nobody in the program)."""
    if person_id is None:
        return None
    return session.scalar(select(Person.key).where(Person.id == person_id))


def person_with_key(session: Session, key: str) -> Person | None:
    query = select(Person).options(selectinload(Person.levels)).where(Person.key == key)
    return session.scalar(query)


def person_id_with_email(session: Session, email: str) -> int | None:
    return session.scalar(select(Person.id).where(Person.email == email))


def people_with_levels(
    session: Session,
    kind: PersonKind | None = None,
    active: bool | None = None,
    academic_year: int | None = None,
) -> list[Person]:
    """By key. `academic_year` keeps the residents with a PGY level that year (and faculty,
    who have no levels)."""
    query = select(Person).options(selectinload(Person.levels)).order_by(Person.key)
    if kind is not None:
        query = query.where(Person.kind == kind)
    if active is not None:
        query = query.where(Person.active == active)
    if academic_year is not None:
        in_year = select(ResidentLevel.person_id).where(
            ResidentLevel.academic_year == academic_year
        )
        query = query.where(or_(Person.kind == PersonKind.FACULTY, Person.id.in_(in_year)))
    return list(session.scalars(query))
