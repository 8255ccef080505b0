"""Person queries shared by the program import and the schedulers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.people.models import Person


def person_ids_by_key(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Person.key, Person.id)).tuples().all())
