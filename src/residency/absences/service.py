"""Absence use cases: list them (each person sees their own, the program staff everyone's),
record one, change one, delete one. Services flush; the caller owns the transaction. Each
change writes one audit row. The rules are the program file's: an absence ends on or after
its start, and belongs to a person of the program."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from residency.absences import repository
from residency.absences.models import Absence, AbsenceType, date_range_problem
from residency.audit import service as audit
from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.errors import Forbidden, InputError, NotFoundError
from residency.people.models import Person
from residency.people.repository import person_with_key


@dataclass(frozen=True)
class AbsenceRecord:
    id: int
    person_key: str
    kind: AbsenceType
    start: date
    end: date  # inclusive
    blocks_scheduling: bool
    note: str

    @classmethod
    def of(cls, absence: Absence, person_key: str) -> AbsenceRecord:
        return cls(
            absence.id,
            person_key,
            absence.absence_type,
            absence.start_date,
            absence.end_date,
            absence.blocks_scheduling,
            absence.note,
        )


@dataclass(frozen=True)
class NewAbsence:
    person_key: str
    kind: AbsenceType
    start: date
    end: date
    blocks_scheduling: bool = True
    note: str = ""


def visible_absences(
    session: Session,
    who: Principal,
    person_key: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[AbsenceRecord]:
    """Those overlapping start..end: the staff's pick of everyone's, anyone else's own."""
    if start is not None and end is not None:
        _check_range(start, end)
    wanted = _person(session, person_key, "person") if person_key is not None else None
    if allows(who.role, Permission.READ_PROGRAM):
        person_id = wanted.id if wanted else None
    elif who.person_id is None:
        return []  # an account that is nobody's person has no absences to see
    elif wanted is not None and wanted.id != who.person_id:
        raise Forbidden(f"person: a {who.role.value} sees only their own absences", field="person")
    else:
        person_id = who.person_id
    rows = repository.absences_with_keys(session, person_id, start, end)
    return [AbsenceRecord.of(absence, key) for absence, key in rows]


def create_absence(session: Session, new: NewAbsence) -> AbsenceRecord:
    _check_range(new.start, new.end)
    person = _person(session, new.person_key, "person_key")
    _check_free_start(session, person, new, None)
    absence = Absence(
        person_id=person.id,
        absence_type=new.kind,
        start_date=new.start,
        end_date=new.end,
        blocks_scheduling=new.blocks_scheduling,
        note=new.note,
    )
    session.add(absence)
    session.flush()
    record = AbsenceRecord.of(absence, person.key)
    audit.record(
        session,
        "absence.create",
        "absence",
        str(record.id),
        after=_snapshot(record),
        person_key=person.key,
    )
    return record


def absence_by_id(session: Session, absence_id: int) -> AbsenceRecord:
    return AbsenceRecord.of(*_absence_with_key(session, absence_id))


def update_absence(session: Session, absence_id: int, change: NewAbsence) -> AbsenceRecord:
    """Every field set to the change's (the rules of a new one); audited when anything
    changed."""
    absence, key = _absence_with_key(session, absence_id)
    _check_range(change.start, change.end)
    person = _person(session, change.person_key, "person_key")
    _check_free_start(session, person, change, absence.id)
    before = AbsenceRecord.of(absence, key)
    absence.person_id = person.id
    absence.absence_type = change.kind
    absence.start_date, absence.end_date = change.start, change.end
    absence.blocks_scheduling, absence.note = change.blocks_scheduling, change.note
    session.flush()
    after = AbsenceRecord.of(absence, person.key)
    if after != before:
        audit.record(
            session,
            "absence.update",
            "absence",
            str(absence.id),
            before=_snapshot(before),
            after=_snapshot(after),
            person_key=person.key,
        )
    return after


def change_absence(session: Session, absence_id: int, changes: Mapping[str, Any]) -> AbsenceRecord:
    """The fields `changes` names (those of `NewAbsence`) set, the others kept (the API's
    PATCH); then the rules of `update_absence`."""
    current = {k: v for k, v in asdict(absence_by_id(session, absence_id)).items() if k != "id"}
    return update_absence(session, absence_id, NewAbsence(**{**current, **changes}))


def delete_absence(session: Session, absence_id: int) -> AbsenceRecord:
    found = _absence_with_key(session, absence_id)
    record = AbsenceRecord.of(*found)
    session.delete(found[0])
    session.flush()
    audit.record(
        session,
        "absence.delete",
        "absence",
        str(record.id),
        before=_snapshot(record),
        person_key=record.person_key,
    )
    return record


def _absence_with_key(session: Session, absence_id: int) -> tuple[Absence, str]:
    found = repository.absence_with_key(session, absence_id)
    if found is None:
        raise NotFoundError(f"absence_id: no absence has the id {absence_id}", field="absence_id")
    return found


def _check_free_start(
    session: Session, person: Person, new: NewAbsence, own_id: int | None
) -> None:
    """One absence of each kind may start a day for a person (a unique key)."""
    holder = repository.absence_starting(session, person.id, new.start, new.kind)
    if holder is not None and holder.id != own_id:
        raise InputError(
            f"start: {person.key} already has a {new.kind.value} absence starting {new.start} "
            "(one of each kind may start a day)",
            field="start",
        )


def _check_range(start: date, end: date) -> None:
    problem = date_range_problem(start, end)
    if problem:
        raise InputError(f"end: {problem}", field="end")


def _person(session: Session, key: str, name: str) -> Person:
    person = person_with_key(session, key)
    if person is None:
        raise InputError(f"{name}: no person has the key {key!r}", field=name)
    return person


def _snapshot(record: AbsenceRecord) -> dict[str, Any]:
    return {name: _plain(value) for name, value in asdict(record).items()}


def _plain(value: Any) -> Any:
    """A value as the audit row's JSON holds it."""
    if isinstance(value, Enum):
        return value.value
    return value.isoformat() if isinstance(value, date) else value
