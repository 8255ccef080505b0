"""People routes: residents (with their PGY level per academic year) and faculty. Everyone
signed in may list them; e-mails only reach the program staff and each person's own record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.people import service
from residency.people.models import KEY_LENGTH, KEY_PATTERN, Person, PersonKind
from residency.people.schemas import NewPersonBody, PersonChangeBody, PersonOut
from residency.web.deps import allow, transaction

router = APIRouter(prefix="/api/v1/people", tags=["people"])
PersonKey = Annotated[
    str,
    Path(
        max_length=KEY_LENGTH, pattern=KEY_PATTERN, description="The person's key, e.g. r-pgy1-01"
    ),
]


@router.get("", response_model=list[PersonOut])
def list_people(
    request: Request,
    kind: PersonKind | None = None,
    academic_year: int | None = Query(
        None, description="Residents with a PGY level that year (and all faculty)"
    ),
    active: bool | None = None,
    who: Principal = Depends(allow(Permission.READ_PUBLISHED)),
) -> list[PersonOut]:
    with transaction(request, who) as session:
        found = service.people(session, kind, active, academic_year)
        return [_person_out(person, who, academic_year) for person in found]


@router.get("/{key}", response_model=PersonOut)
def read_person(
    key: PersonKey,
    request: Request,
    who: Principal = Depends(allow(Permission.READ_PUBLISHED)),
) -> PersonOut:
    with transaction(request, who) as session:
        return _person_out(service.person_by_key(session, key), who)


@router.post("", response_model=PersonOut, status_code=201)
def create_person(
    body: NewPersonBody,
    request: Request,
    response: Response,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> PersonOut:
    new = service.NewPerson(body.key, body.kind, body.name, body.email, body.faculty_role, body.pgy)
    with transaction(request, who) as session:
        out = _person_out(service.create_person(session, new), who)
    response.headers["Location"] = f"/api/v1/people/{out.key}"
    return out


@router.patch("/{key}", response_model=PersonOut)
def change_person(
    key: PersonKey,
    body: PersonChangeBody,
    request: Request,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> PersonOut:
    change = service.PersonChange(
        name=body.name,
        email=body.email if "email" in body.model_fields_set else service.KEEP,
        active=body.active,
        faculty_role=body.faculty_role,
        pgy=body.pgy,
    )
    with transaction(request, who) as session:
        return _person_out(service.update_person(session, key, change), who)


def _person_out(person: Person, who: Principal, academic_year: int | None = None) -> PersonOut:
    record = service.PersonRecord.of(person)
    return PersonOut(
        key=record.key,
        kind=record.kind,
        name=record.name,
        email=record.email if service.may_see_contact_data(who, person.id) else None,
        faculty_role=record.faculty_role,
        active=record.active,
        pgy=record.pgy,
        pgy_in_year=record.pgy.get(academic_year) if academic_year is not None else None,
    )
