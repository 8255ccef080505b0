"""Rotation templates for coordinators, `/program/rotations`: the list with each template's
colour (the deactivated apart), add one, change one, deactivate or reactivate one, with the
duty pattern edited one weekday at a time in the program
file's own shift syntax (`07:00-17:00`, `17:00-07:00 in_house_call`, several shifts separated
by commas).

Every write calls rotations/edits.py, which validates the entry with the program file's model
and parser, so a bad value gets the program file's message next to its field (a bad shift next
to its weekday), with what was typed kept; nothing is written. An edit form carries the
template's fingerprint (web/stale.py): one changed since the form was loaded is not
overwritten (409)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.errors import InputError, RefusedError
from residency.people.models import MAX_PGY, MIN_PGY
from residency.rotations import edits, service
from residency.rotations.duty_pattern import WEEKDAYS
from residency.rotations.models import ABBREVIATION_LENGTH, ActivityType, RotationTemplate
from residency.scheduling.block.grid_view import css_version, rotation_css
from residency.scheduling.block.pages import rotation_colours
from residency.web import stale
from residency.web.deps import transaction
from residency.web.form_input import number_or_text, placed, posted_form, typed
from residency.web.page_deps import page_user, see_other
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
LIST = "/program/rotations"
BOUNDS = ("residents_per_block", "residents_per_half_day")
PATTERN_FIELDS = tuple(f"duty_pattern.{day}" for day in WEEKDAYS)
FIELDS = (
    "abbreviation",
    "name",
    "activity_type",
    "eligible_pgy",
    *BOUNDS,
    *(f"{bounds}.{end}" for bounds in BOUNDS for end in ("min", "max")),
    "requires_supervision",
    "half_block",
    "description",
    "color",
    "duty_pattern",
    *PATTERN_FIELDS,
)
Abbreviation = Annotated[str, Path(max_length=ABBREVIATION_LENGTH)]


@router.get(LIST)
def rotation_list(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    with transaction(request, who) as session:
        found = service.rotation_templates(session)
        rows = [(t.template, edits.snapshot(t.template)) for t in found]
        hours = {t.template.abbreviation: t.template.duty_pattern().weekly_hours() for t in found}
        colours = rotation_colours(session)
    return render(
        request,
        "program/rotations.html",
        who,
        title="Rotation templates",
        rows=[entry for _, entry in rows if entry["active"]],
        deactivated=[entry for _, entry in rows if not entry["active"]],
        classes={t.abbreviation: colours[t.abbreviation].css_class for t, _ in rows},
        hours=hours,
        weekdays=WEEKDAYS,
        # The grid's stylesheet of the rotations' colours (the CSP allows no inline style).
        colors_url=f"/blocks/colors.css?v={css_version(rotation_css(colours))}",
        can_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )


@router.get(f"{LIST}/new")
def new_rotation_form(
    request: Request, who: Principal = Depends(page_user(Permission.EDIT_PROGRAM))
) -> Response:
    values = dict.fromkeys(FIELDS, "") | {
        "activity_type": ActivityType.OUTPATIENT.value,
        "residents_per_block.min": "0",
        "residents_per_half_day.min": "0",
    }
    return _form(request, who, None, values)


@router.post(f"{LIST}/new")
def create_rotation(
    request: Request,
    form: dict[str, str] = Depends(posted_form),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    try:
        with transaction(request, who) as session:
            abbreviation = edits.create_template(session, entry_of(form)).abbreviation
    except InputError as bad:
        return _form(request, who, None, typed(form, FIELDS), bad, 422)
    return _saved(abbreviation)


@router.get(LIST + "/{abbreviation}")
def edit_rotation_form(
    abbreviation: Abbreviation,
    request: Request,
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    with transaction(request, who) as session:
        entry = edits.snapshot(service.rotation_template(session, abbreviation).template)
    return _form(request, who, entry, form_values(entry))


@router.post(LIST + "/{abbreviation}")
def save_rotation(
    abbreviation: Abbreviation,
    request: Request,
    form: dict[str, str] = Depends(posted_form),
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    try:
        with transaction(request, who) as session:
            current = edits.snapshot(_template(session, abbreviation))
            stale.check_fresh(f"rotation {abbreviation}", form.get(stale.FIELD, ""), current)
            edits.update_template(session, abbreviation, entry_of(form))
    except (InputError, RefusedError) as bad:
        with transaction(request, who) as session:
            entry = edits.snapshot(_template(session, abbreviation))
        if isinstance(bad, stale.StaleForm):  # the template as it is now
            return _form(request, who, entry, form_values(entry), bad, 409)
        status = 422 if isinstance(bad, InputError) else 409
        return _form(request, who, entry, typed(form, FIELDS), bad, status)
    return _saved(abbreviation)


@router.post(LIST + "/{abbreviation}/deactivate")
def deactivate_rotation(
    abbreviation: Abbreviation,
    request: Request,
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    """Left out of new schedules from now on; the rows that name it stay (the API's
    POST /api/v1/rotations/{abbreviation}/deactivate). One the policy names is refused."""
    try:
        with transaction(request, who) as session:
            edits.deactivate_template(session, abbreviation)
    except RefusedError as refused:
        with transaction(request, who) as session:
            entry = edits.snapshot(_template(session, abbreviation))
        # On top of the form: the abbreviation it names is no field of an edit form.
        return _form(request, who, entry, form_values(entry), RefusedError(str(refused)), 409)
    return _saved(abbreviation, "rotation_deactivated")


@router.post(LIST + "/{abbreviation}/reactivate")
def reactivate_rotation(
    abbreviation: Abbreviation,
    request: Request,
    who: Principal = Depends(page_user(Permission.EDIT_PROGRAM)),
) -> Response:
    with transaction(request, who) as session:
        edits.reactivate_template(session, abbreviation)
    return _saved(abbreviation, "rotation_reactivated")


def entry_of(form: dict[str, str]) -> dict[str, Any]:
    """The form's text as the program file's rotation entry: numbers where a number was typed
    (anything else is left for the model to refuse by name), empty bounds and colour left out
    (the file's defaults), each weekday's shifts split at commas."""
    entry: dict[str, Any] = {
        "abbreviation": form.get("abbreviation", "").strip(),
        "name": form.get("name", "").strip(),
        "activity_type": form.get("activity_type", ""),
        "eligible_pgy": [
            number_or_text(part)
            for part in re.split(r"[,\s]+", form.get("eligible_pgy", ""))
            if part
        ],
        "requires_supervision": bool(form.get("requires_supervision")),
        "half_block": bool(form.get("half_block")),
        "description": form.get("description", "").strip(),
        "duty_pattern": {
            day: shifts
            for day in WEEKDAYS
            if (shifts := split_shifts(form.get(f"duty_pattern.{day}", "")))
        },
    }
    for bounds in BOUNDS:
        entry[bounds] = {
            end: number_or_text(form[f"{bounds}.{end}"])
            for end in ("min", "max")
            if form.get(f"{bounds}.{end}", "").strip()
        }
    if form.get("color", "").strip():
        entry["color"] = form["color"].strip()
    return entry


def split_shifts(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def form_values(entry: dict[str, Any]) -> dict[str, str]:
    """A template as the program file writes it (edits.snapshot), as its form's text."""
    values = {
        "abbreviation": entry["abbreviation"],
        "name": entry["name"],
        "activity_type": entry["activity_type"],
        "eligible_pgy": ", ".join(str(pgy) for pgy in entry["eligible_pgy"]),
        "requires_supervision": "1" if entry["requires_supervision"] else "",
        "half_block": "1" if entry["half_block"] else "",
        "description": entry["description"],
        "color": entry["color"] or "",
    }
    for bounds in BOUNDS:
        values |= {f"{bounds}.{end}": str(entry[bounds][end]) for end in ("min", "max")}
    for day in WEEKDAYS:
        values[f"duty_pattern.{day}"] = ", ".join(entry["duty_pattern"].get(day, []))
    return values


def _template(session: Session, abbreviation: str) -> RotationTemplate:
    return service.rotation_template(session, abbreviation).template


def _saved(abbreviation: str, message: str = "rotation_saved") -> Response:
    response = see_other(f"{LIST}#{abbreviation}")
    flash(response, message)
    return response


def _form(
    request: Request,
    who: Principal,
    entry: dict[str, Any] | None,
    values: dict[str, str],
    error: InputError | RefusedError | None = None,
    status: int = 200,
) -> Response:
    errors, problem = placed(error, FIELDS) if error else ({}, "")
    return render(
        request,
        "program/rotation_form.html",
        who,
        status=status,
        title=f"Edit {entry['abbreviation']}" if entry else "Add a rotation template",
        entry=entry,
        values=values,
        version=stale.fingerprint(entry) if entry else "",
        errors=errors,
        problem=problem,
        activity_types=[kind.value for kind in ActivityType],
        weekdays=WEEKDAYS,
        pgy_range=f"{MIN_PGY} to {MAX_PGY}",
    )
