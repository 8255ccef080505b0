"""Absences for coordinators, `/program/absences`: the list (by person and dates through the
query: `?person=r1&start=2026-03-01&end=2026-03-31`), record one, change one, delete one.

Every write calls the API's service (absences/service.py) after the API's own body model
(absences/schemas.py), so a bad value gets the API's message next to its field (an end before
the start names both days), with what was typed kept; nothing is written. An edit or delete
form carries the absence's fingerprint (web/stale.py): one changed since the form was loaded
is neither overwritten nor deleted (409)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from residency.absences import service
from residency.absences.models import AbsenceType
from residency.absences.schemas import NewAbsenceBody
from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.errors import InputError, RefusedError
from residency.people import service as people
from residency.web import stale
from residency.web.deps import transaction
from residency.web.form_input import body_error, placed, posted_form, typed
from residency.web.page_deps import page_user, see_other
from residency.web.params import MAX_ID
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
LIST = "/program/absences"
FIELDS = ("person_key", "kind", "start", "end", "blocks_scheduling", "note")
FILTERS = ("person", "start", "end")
AbsenceId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(LIST)
def absence_list(
    request: Request,
    person: str = Query("", max_length=64),
    start: str = Query("", max_length=16),
    end: str = Query("", max_length=16),
    who: Principal = Depends(page_user(Permission.READ_PROGRAM)),
) -> Response:
    shown = {"person": person.strip(), "start": start.strip(), "end": end.strip()}
    found: list[service.AbsenceRecord] = []
    errors: dict[str, str] = {}
    problem = ""
    with transaction(request, who) as session:
        names = _names(session)
        try:
            first, last = _day(shown["start"], "start"), _day(shown["end"], "end")
            found = service.visible_absences(session, who, shown["person"] or None, first, last)
        except InputError as bad:
            errors, problem = placed(bad, FILTERS)
    return render(
        request,
        "program/absences.html",
        who,
        status=422 if errors or problem else 200,
        title="Absences",
        absences=found,
        names=names,
        shown=shown,
        errors=errors,
        problem=problem,
        versions={record.id: stale.fingerprint(asdict(record)) for record in found},
        can_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )


@router.get(f"{LIST}/new")
def new_absence_form(
    request: Request,
    person: str = Query("", max_length=64),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    values = {"person_key": person.strip(), "kind": AbsenceType.VACATION.value}
    return _form(request, who, None, typed(values | {"blocks_scheduling": "1"}, FIELDS))


@router.post(f"{LIST}/new")
def create_absence(
    request: Request,
    form: dict[str, str] = Depends(posted_form),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    try:
        new = _valid(form)
        with transaction(request, who) as session:
            record = service.create_absence(session, new)
    except InputError as bad:
        return _form(request, who, None, typed(form, FIELDS), bad, 422)
    return _saved(record, "absence_saved")


@router.get(LIST + "/{absence_id}")
def edit_absence_form(
    absence_id: AbsenceId,
    request: Request,
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    with transaction(request, who) as session:
        record = service.absence_by_id(session, absence_id)
    return _form(request, who, record, _current(record))


@router.post(LIST + "/{absence_id}")
def save_absence(
    absence_id: AbsenceId,
    request: Request,
    form: dict[str, str] = Depends(posted_form),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    try:
        change = _valid(form)
        with transaction(request, who) as session:
            _check_fresh(session, absence_id, form)
            record = service.update_absence(session, absence_id, change)
    except (InputError, RefusedError) as bad:
        return _refused(request, who, absence_id, form, bad)
    return _saved(record, "absence_saved")


@router.post(LIST + "/{absence_id}/delete")
def delete_absence(
    absence_id: AbsenceId,
    request: Request,
    form: dict[str, str] = Depends(posted_form),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    try:
        with transaction(request, who) as session:
            _check_fresh(session, absence_id, form)
            record = service.delete_absence(session, absence_id)
    except RefusedError as bad:
        return _refused(request, who, absence_id, form, bad)
    return _saved(record, "absence_deleted")


def _check_fresh(session: Session, absence_id: int, form: dict[str, str]) -> None:
    current = asdict(service.absence_by_id(session, absence_id))
    stale.check_fresh(f"absence {absence_id}", form.get(stale.FIELD, ""), current)


def _refused(
    request: Request,
    who: Principal,
    absence_id: int,
    form: dict[str, str],
    bad: InputError | RefusedError,
) -> Response:
    """The form again: with what was typed (a bad value), or as the absence is now (stale)."""
    with transaction(request, who) as session:
        record = service.absence_by_id(session, absence_id)
    if isinstance(bad, stale.StaleForm):
        return _form(request, who, record, _current(record), bad, 409)
    status = 422 if isinstance(bad, InputError) else 409
    return _form(request, who, record, typed(form, FIELDS), bad, status)


def _saved(record: service.AbsenceRecord, message: str) -> Response:
    response = see_other(f"{LIST}?person={record.person_key}")
    flash(response, message)
    return response


def _valid(form: dict[str, str]) -> service.NewAbsence:
    raw: dict[str, Any] = {
        "person_key": form.get("person_key", "").strip(),
        "kind": form.get("kind", ""),
        "start": form.get("start", "").strip(),
        "end": form.get("end", "").strip(),
        "blocks_scheduling": bool(form.get("blocks_scheduling")),
        "note": form.get("note", "").strip(),
    }
    try:
        body = NewAbsenceBody.model_validate(raw)
    except ValidationError as invalid:
        raise body_error(invalid) from None
    return service.NewAbsence(**body.model_dump())


def _day(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{field}: {text!r} is not a date of the form YYYY-MM-DD", field=field
        ) from None


def _names(session: Session) -> dict[str, str]:
    """Each person's key -> their name, active people first, for the person select."""
    found = sorted(people.people(session), key=lambda p: (not p.active, p.name, p.key))
    return {p.key: p.name + ("" if p.active else " (deactivated)") for p in found}


def _current(record: service.AbsenceRecord) -> dict[str, str]:
    return {
        "person_key": record.person_key,
        "kind": record.kind.value,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "blocks_scheduling": "1" if record.blocks_scheduling else "",
        "note": record.note,
    }


def _form(
    request: Request,
    who: Principal,
    record: service.AbsenceRecord | None,
    values: dict[str, str],
    error: InputError | RefusedError | None = None,
    status: int = 200,
) -> Response:
    errors, problem = placed(error, FIELDS) if error else ({}, "")
    with transaction(request, who) as session:
        names = _names(session)
    return render(
        request,
        "program/absence_form.html",
        who,
        status=status,
        title=f"Edit absence {record.id}" if record else "Record an absence",
        record=record,
        values=values,
        names=names,
        kinds=[kind.value for kind in AbsenceType],
        version=stale.fingerprint(asdict(record)) if record else "",
        errors=errors,
        problem=problem,
    )
