"""The people of the program for coordinators, `/program/people`: residents by PGY then
faculty, active and deactivated; add a person, change one, deactivate or reactivate one.

Every write calls the API's service (people/service.py) after the API's own body model
(people/schemas.py), so a bad value gets the API's message, shown next to its field with what
was typed kept; nothing is written. An edit form carries the person's fingerprint
(web/stale.py): a person changed since the form was loaded is not overwritten (409)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.errors import InputError, RefusedError
from residency.people import service
from residency.people.models import FacultyRole, Person, PersonKind
from residency.people.schemas import NewPersonBody, PersonChangeBody
from residency.web import stale
from residency.web.deps import transaction
from residency.web.form_input import body_error, number_or_text, placed, posted_form, typed
from residency.web.page_deps import page_user, see_other
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
LIST = "/program/people"
FIELDS = ("key", "kind", "name", "email", "faculty_role", "pgy")


@dataclass(frozen=True)
class PersonRow:
    key: str
    name: str
    email: str | None
    role: str  # "PGY-2", "PGY-? in 2025", or the faculty role
    active: bool


@dataclass(frozen=True)
class Group:
    label: str
    rows: list[PersonRow]


@router.get(LIST)
def people_list(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    with transaction(request, who) as session:
        year = _current_year(session)
        found = service.people(session)
    groups = _groups(found, year)
    return render(
        request,
        "program/people.html",
        who,
        title="People",
        year=year,
        active=[g for g in groups if g.rows and g.rows[0].active],
        deactivated=[g for g in groups if g.rows and not g.rows[0].active],
        can_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )


@router.get(f"{LIST}/new")
def new_person_form(
    request: Request, who: Principal = Depends(page_user(Permission.EDIT_PROGRAM))
) -> Response:
    with transaction(request, who) as session:
        years = _years(session, None)
    values = _typed({"kind": PersonKind.RESIDENT.value}, years)
    return _form(request, who, None, years, values)


@router.post(f"{LIST}/new")
def create_person(
    request: Request,
    form: dict[str, str] = Depends(posted_form),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    try:
        body = _valid(NewPersonBody, _raw(form, new=True))
        new = service.NewPerson(
            body.key, body.kind, body.name, body.email, body.faculty_role, body.pgy
        )
        with transaction(request, who) as session:
            key = service.create_person(session, new).key
    except InputError as bad:
        with transaction(request, who) as session:
            years = _years(session, None)
        return _form(request, who, None, years, _typed(form, years), bad, 422)
    response = see_other(f"{LIST}#{key}")
    flash(response, "person_saved")
    return response


@router.get(LIST + "/{key}")
def edit_person_form(
    key: str, request: Request, who: Principal = Depends(page_user(Permission.EDIT_PROGRAM))
) -> Response:
    with transaction(request, who) as session:
        person = service.person_by_key(session, key)
        years = _years(session, person)
        return _form(request, who, person, years, _current(person, years))


@router.post(LIST + "/{key}")
def save_person(
    key: str,
    request: Request,
    form: dict[str, str] = Depends(posted_form),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    try:
        body = _valid(PersonChangeBody, _raw(form, new=False))
        change = service.PersonChange(
            name=body.name,
            email=body.email,
            faculty_role=body.faculty_role,
            pgy=body.pgy,
        )
        with transaction(request, who) as session:
            person = service.person_by_key(session, key)
            stale.check_fresh(f"person {key}", form.get(stale.FIELD, ""), record_of(person))
            service.update_person(session, key, change)
    except (InputError, RefusedError) as bad:
        with transaction(request, who) as session:
            person = service.person_by_key(session, key)
            years = _years(session, person)
            if isinstance(bad, stale.StaleForm):  # the person as they are now
                return _form(request, who, person, years, _current(person, years), bad, 409)
            status = 422 if isinstance(bad, InputError) else 409
            return _form(request, who, person, years, _typed(form, years), bad, status)
    response = see_other(f"{LIST}#{key}")
    flash(response, "person_saved")
    return response


@router.post(LIST + "/{key}/deactivate")
def deactivate_person(
    key: str, request: Request, who: Principal = Depends(page_user(Permission.EDIT_PROGRAM))
) -> Response:
    """Left out of scheduling from now on; their history stays (the API's `active: false`)."""
    return _set_active(request, who, key, False)


@router.post(LIST + "/{key}/reactivate")
def reactivate_person(
    key: str, request: Request, who: Principal = Depends(page_user(Permission.EDIT_PROGRAM))
) -> Response:
    return _set_active(request, who, key, True)


def _set_active(request: Request, who: Principal, key: str, active: bool) -> Response:
    with transaction(request, who) as session:
        service.update_person(session, key, service.PersonChange(active=active))
    response = see_other(f"{LIST}#{key}")
    flash(response, "person_reactivated" if active else "person_deactivated")
    return response


def record_of(person: Person) -> dict[str, Any]:
    """What an edit form's fingerprint is taken of: the person as the service records them."""
    return asdict(service.PersonRecord.of(person))


def _raw(form: dict[str, str], new: bool) -> dict[str, Any]:
    """The form's text as the API's body: an empty e-mail is none, an empty level is left out
    (a level once recorded is changed, never removed, as through the API)."""
    raw: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip() or None,
        "pgy": {
            int(name.removeprefix("pgy.")): number_or_text(text)
            for name, text in form.items()
            if name.startswith("pgy.") and name[4:].isdigit() and text.strip()
        },
    }
    if form.get("faculty_role"):
        raw["faculty_role"] = form["faculty_role"]
    elif new:
        raw["faculty_role"] = None
    if new:
        raw |= {"key": form.get("key", "").strip(), "kind": form.get("kind", "")}
    return raw


def _valid(model: type[Any], raw: dict[str, Any]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as invalid:
        raise body_error(invalid) from None


def _current_year(session: Session) -> int | None:
    try:
        return calendar.default_academic_year(session)
    except RefusedError:  # no academic year yet: nobody has a level to show
        return None


def _years(session: Session, person: Person | None) -> list[int]:
    """The academic years a level can be given for: the program's, and the person's own."""
    years = {row.year for row in calendar.academic_years(session)}
    if person is not None:
        years |= {level.academic_year for level in person.levels}
    return sorted(years)


def _groups(people: list[Person], year: int | None) -> list[Group]:
    """Active residents by their PGY in `year`, then faculty; then the deactivated alike."""
    groups: list[Group] = []
    for active in (True, False):
        chosen = [p for p in people if p.active == active]
        levels = {p.key: _level(p, year) for p in chosen if p.kind == PersonKind.RESIDENT}
        for pgy in sorted({level for level in levels.values() if level is not None}):
            rows = [p for p in chosen if levels.get(p.key) == pgy]
            groups.append(Group(f"PGY-{pgy}", [_row(p, f"PGY-{pgy}") for p in rows]))
        unlevelled = [p for p in chosen if p.key in levels and levels[p.key] is None]
        if unlevelled:
            label = f"Residents with no level in {year}" if year else "Residents"
            groups.append(Group(label, [_row(p, "no level") for p in unlevelled]))
        faculty = sorted((p for p in chosen if p.kind == PersonKind.FACULTY), key=_by_name)
        if faculty:
            groups.append(Group("Faculty", [_row(p, _role(p)) for p in faculty]))
    return groups


def _by_name(person: Person) -> tuple[str, str]:
    return person.name, person.key


def _level(person: Person, year: int | None) -> int | None:
    return next((lv.pgy for lv in person.levels if lv.academic_year == year), None)


def _role(person: Person) -> str:
    role = person.faculty_role
    return FacultyRole(role).value.replace("_", " ") if role else ""


def _row(person: Person, role: str) -> PersonRow:
    return PersonRow(person.key, person.name, person.email, role, person.active)


def _current(person: Person, years: list[int]) -> dict[str, str]:
    levels = {level.academic_year: level.pgy for level in person.levels}
    return {
        "key": person.key,
        "kind": PersonKind(person.kind).value,
        "name": person.name,
        "email": person.email or "",
        "faculty_role": FacultyRole(person.faculty_role).value if person.faculty_role else "",
    } | {f"pgy.{y}": str(levels.get(y, "")) for y in years}


def _typed(form: dict[str, str], years: list[int]) -> dict[str, str]:
    return typed(form, (*FIELDS, *(f"pgy.{y}" for y in years)))


def _form(
    request: Request,
    who: Principal,
    person: Person | None,
    years: list[int],
    values: dict[str, str],
    error: InputError | RefusedError | None = None,
    status: int = 200,
) -> Response:
    fields = (*FIELDS, *(f"pgy.{y}" for y in years))
    errors, problem = placed(error, fields) if error else ({}, "")
    kind = PersonKind(person.kind).value if person else values.get("kind", "")
    return render(
        request,
        "program/person_form.html",
        who,
        status=status,
        title=f"Edit {person.name}" if person else "Add a person",
        person=person,
        kind=kind,
        years=years,
        values=values,
        version=stale.fingerprint(record_of(person)) if person else "",
        errors=errors,
        problem=problem,
        roles=[role.value for role in FacultyRole],
    )
