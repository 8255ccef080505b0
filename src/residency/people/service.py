"""People use cases: list and read residents and faculty, add a person, change one. Services
flush; the caller owns the transaction. Each change writes one audit row.

The rules are the program file's (program/schema.py): a resident has a PGY level per academic
year in MIN_PGY..MAX_PGY, faculty have a role and no level, keys and e-mails are unique."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Final

from sqlalchemy.orm import Session

from residency.audit import service as audit
from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.calendar.academic_year import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR
from residency.errors import InputError, NotFoundError
from residency.people import repository
from residency.people.models import (
    MAX_PGY,
    MIN_PGY,
    FacultyRole,
    Person,
    PersonKind,
    ResidentLevel,
)


class Keep(Enum):
    """A change that leaves a field as it is (where None means "clear it")."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


@dataclass(frozen=True)
class PersonRecord:
    key: str
    kind: PersonKind
    name: str
    email: str | None
    faculty_role: FacultyRole | None
    active: bool
    pgy: dict[int, int]  # academic year -> PGY level that year

    @classmethod
    def of(cls, person: Person) -> PersonRecord:
        levels = {level.academic_year: level.pgy for level in person.levels}
        return cls(
            person.key,
            person.kind,
            person.name,
            person.email,
            person.faculty_role,
            person.active,
            dict(sorted(levels.items())),
        )


@dataclass(frozen=True)
class NewPerson:
    key: str
    kind: PersonKind
    name: str
    email: str | None = None
    faculty_role: FacultyRole | None = None
    pgy: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonChange:
    """None (and KEEP for the e-mail) leaves a field as it is; `pgy` sets the levels it names."""

    name: str | None = None
    email: str | None | Keep = KEEP
    active: bool | None = None
    faculty_role: FacultyRole | None = None
    pgy: Mapping[int, int] = field(default_factory=dict)


def may_see_contact_data(who: Principal, person_id: int) -> bool:
    """Contact data (e-mail) is the program staff's, and each person's own."""
    return allows(who.role, Permission.READ_PROGRAM) or who.person_id == person_id


def people(
    session: Session,
    kind: PersonKind | None = None,
    active: bool | None = None,
    academic_year: int | None = None,
) -> list[Person]:
    if academic_year is not None:
        _check_year(academic_year, "academic_year")
    return repository.people_with_levels(session, kind, active, academic_year)


def person_by_key(session: Session, key: str) -> Person:
    person = repository.person_with_key(session, key)
    if person is None:
        raise NotFoundError(f"key: no person has the key {key!r}", field="key")
    return person


def create_person(session: Session, new: NewPerson) -> Person:
    _check_new(session, new)
    person = Person(
        key=new.key,
        kind=new.kind,
        name=new.name,
        email=_free_email(session, new.email, None),
        faculty_role=new.faculty_role,
        active=True,
    )
    person.levels = [ResidentLevel(academic_year=y, pgy=p) for y, p in sorted(new.pgy.items())]
    session.add(person)
    session.flush()
    audit.record(
        session, "person.create", "person", person.key, after=_snapshot(person), person_key=new.key
    )
    return person


def _check_new(session: Session, new: NewPerson) -> None:
    if repository.person_with_key(session, new.key) is not None:
        raise InputError(
            f"key: {new.key!r} is already a person's key (keys are unique)", field="key"
        )
    _check_role(new.kind, new.faculty_role)
    _check_levels(new.kind, new.pgy)
    if new.kind == PersonKind.RESIDENT and not new.pgy:
        raise InputError(
            "pgy: a resident needs a PGY level for at least one academic year", field="pgy"
        )


def update_person(session: Session, key: str, change: PersonChange) -> Person:
    person = person_by_key(session, key)
    before = _snapshot(person)
    if change.faculty_role is not None:
        _check_role(person.kind, change.faculty_role)
        person.faculty_role = change.faculty_role
    _check_levels(person.kind, change.pgy)
    if change.email is not KEEP:
        person.email = _free_email(session, change.email, person.id)
    person.name = person.name if change.name is None else change.name
    person.active = person.active if change.active is None else change.active
    _set_levels(person, change.pgy)
    session.flush()
    after = _snapshot(person)
    if after != before:
        audit.record(
            session, "person.update", "person", key, before=before, after=after, person_key=key
        )
    return person


def _set_levels(person: Person, pgy: Mapping[int, int]) -> None:
    stored = {level.academic_year: level for level in person.levels}
    for year, level in sorted(pgy.items()):
        if year in stored:
            stored[year].pgy = level
        else:
            person.levels.append(ResidentLevel(academic_year=year, pgy=level))


def _check_role(kind: PersonKind, role: FacultyRole | None) -> None:
    if kind == PersonKind.FACULTY and role is None:
        roles = ", ".join(r.value for r in FacultyRole)
        raise InputError(
            f"faculty_role: a faculty member needs a role (one of {roles})", field="faculty_role"
        )
    if kind == PersonKind.RESIDENT and role is not None:
        raise InputError(
            f"faculty_role: a resident has no faculty role (got {role.value!r})",
            field="faculty_role",
        )


def _check_levels(kind: PersonKind, pgy: Mapping[int, int]) -> None:
    if pgy and kind == PersonKind.FACULTY:
        raise InputError("pgy: faculty have no PGY level (only residents do)", field="pgy")
    for year, level in pgy.items():
        _check_year(year, f"pgy.{year}")
        if not MIN_PGY <= level <= MAX_PGY:
            raise InputError(
                f"pgy.{year}: PGY {level} is out of range ({MIN_PGY} to {MAX_PGY})",
                field=f"pgy.{year}",
            )


def _check_year(year: int, name: str) -> None:
    if not EARLIEST_ACADEMIC_YEAR <= year <= LATEST_ACADEMIC_YEAR:
        raise InputError(
            f"{name}: academic year {year} is out of range "
            f"({EARLIEST_ACADEMIC_YEAR} to {LATEST_ACADEMIC_YEAR})",
            field=name,
        )


def _free_email(session: Session, email: str | None, own_id: int | None) -> str | None:
    """The e-mail, stripped, when it looks like one and no other person has it."""
    if email is None:
        return None
    cleaned = email.strip()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or " " in cleaned:
        raise InputError(f"email: {email!r} is not an e-mail address", field="email")
    holder = repository.person_id_with_email(session, cleaned)
    if holder is not None and holder != own_id:
        raise InputError(f"email: {cleaned!r} is already another person's", field="email")
    return cleaned


def _snapshot(person: Person) -> dict[str, Any]:
    return {
        name: value.value if isinstance(value, Enum) else value
        for name, value in asdict(PersonRecord.of(person)).items()
    }
