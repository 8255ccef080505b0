"""`/program/curriculum` and `/program/staffing`: the curriculum requirements (per PGY level:
rotation, minimum and maximum blocks in a year) and the staffing rules (a service's minimum
residents by level, every block), as the program file holds them; coordinators add, change
and delete them here (the program file can change them too).

Every write calls rotations/rules.py, which validates the entry with the program file's model
and its checks across entries, so a bad value gets the program file's message next to its
field, with what was typed kept; nothing is written. An edit or delete form carries the
entry's fingerprint (web/stale.py): one changed since the form was loaded is neither
overwritten nor deleted (409)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.errors import InputError, RefusedError
from residency.people.models import MAX_PGY, MIN_PGY
from residency.rotations import rules
from residency.rotations.models import RotationTemplate
from residency.web import stale
from residency.web.deps import transaction
from residency.web.form_input import number_or_text, placed, posted_form, typed
from residency.web.page_deps import page_user, see_other
from residency.web.params import MAX_ID
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
READER = Depends(page_user(Permission.READ_PROGRAM))
EDITOR = Depends(page_user(Permission.EDIT_PROGRAM))
EntryId = Annotated[int, Path(ge=1, le=MAX_ID)]
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class Kind:
    """What the curriculum and staffing forms differ in."""

    path: str  # the list's address
    noun: str  # "curriculum requirement", in titles and messages
    fields: tuple[str, ...]
    defaults: dict[str, str]  # a new entry's form
    template: str
    load: Callable[[Session, int], Any]
    snapshot: Callable[[Any], dict[str, Any]]
    create: Callable[[Session, dict[str, Any]], Any]
    update: Callable[[Session, int, dict[str, Any]], Any]
    delete: Callable[[Session, int], Any]
    saved: str  # the flash messages
    deleted: str


CURRICULUM = Kind(
    "/program/curriculum",
    "curriculum requirement",
    ("pgy", "rotation", "min_blocks", "max_blocks"),
    {"pgy": "", "rotation": "", "min_blocks": "0", "max_blocks": ""},
    "program/curriculum_form.html",
    rules.curriculum_requirement,
    rules.requirement_snapshot,
    rules.create_requirement,
    rules.update_requirement,
    rules.delete_requirement,
    "requirement_saved",
    "requirement_deleted",
)
STAFFING = Kind(
    "/program/staffing",
    "staffing rule",
    ("rotation", "min_pgy", "max_pgy", "min_residents"),
    {"rotation": "", "min_pgy": "1", "max_pgy": str(MAX_PGY), "min_residents": "1"},
    "program/staffing_form.html",
    rules.staffing_rule,
    rules.rule_snapshot,
    rules.create_rule,
    rules.update_rule,
    rules.delete_rule,
    "staffing_saved",
    "staffing_deleted",
)


@router.get("/program/curriculum")
def curriculum_page(request: Request, who: Principal = READER) -> Response:
    with transaction(request, who) as session:
        entries = [(r.id, rules.requirement_snapshot(r)) for r in rules.requirements(session)]
    levels = [(pgy, list(rows)) for pgy, rows in groupby(entries, key=lambda e: e[1]["pgy"])]
    return render(
        request,
        "program/curriculum.html",
        who,
        title="Curriculum",
        levels=levels,
        may_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )


@router.get("/program/staffing")
def staffing_page(request: Request, who: Principal = READER) -> Response:
    with transaction(request, who) as session:
        found = [(r.id, rules.rule_snapshot(r)) for r in rules.staffing_rules(session)]
    return render(
        request,
        "program/staffing.html",
        who,
        title="Staffing rules",
        rules=found,
        max_pgy=MAX_PGY,
        may_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )


def _routes(kind: Kind) -> None:
    """The form routes of one kind: new, edit, delete (as absences/pages.py has them)."""

    @router.get(f"{kind.path}/new", name=f"new {kind.noun}")
    def new_form(request: Request, who: Principal = EDITOR) -> Response:
        return _form(kind, request, who, None, dict(kind.defaults))

    @router.post(f"{kind.path}/new", name=f"create {kind.noun}")
    def create(
        request: Request,
        form: dict[str, str] = Depends(posted_form),
        who: Principal = EDITOR,
    ) -> Response:
        try:
            with transaction(request, who) as session:
                kind.create(session, entry_of(form, kind.fields))
        except InputError as bad:
            return _form(kind, request, who, None, typed(form, kind.fields), bad, 422)
        return _done(kind.path, kind.saved)

    @router.get(kind.path + "/{entry_id}", name=f"edit {kind.noun}")
    def edit_form(entry_id: EntryId, request: Request, who: Principal = EDITOR) -> Response:
        with transaction(request, who) as session:
            entry = kind.snapshot(kind.load(session, entry_id))
        return _form(kind, request, who, (entry_id, entry), form_values(entry))

    @router.post(kind.path + "/{entry_id}", name=f"save {kind.noun}")
    def save(
        entry_id: EntryId,
        request: Request,
        form: dict[str, str] = Depends(posted_form),
        who: Principal = EDITOR,
    ) -> Response:
        try:
            with transaction(request, who) as session:
                _check_fresh(kind, session, entry_id, form)
                kind.update(session, entry_id, entry_of(form, kind.fields))
        except (InputError, RefusedError) as bad:
            return _refused(kind, request, who, entry_id, form, bad)
        return _done(kind.path, kind.saved)

    @router.post(kind.path + "/{entry_id}/delete", name=f"delete {kind.noun}")
    def delete(
        entry_id: EntryId,
        request: Request,
        form: dict[str, str] = Depends(posted_form),
        who: Principal = EDITOR,
    ) -> Response:
        try:
            with transaction(request, who) as session:
                _check_fresh(kind, session, entry_id, form)
                kind.delete(session, entry_id)
        except RefusedError as bad:
            return _refused(kind, request, who, entry_id, form, bad)
        return _done(kind.path, kind.deleted)


_routes(CURRICULUM)
_routes(STAFFING)


def entry_of(form: dict[str, str], fields: tuple[str, ...]) -> dict[str, Any]:
    """The form's text as the program file's entry: numbers where a number was typed (anything
    else left for the model to refuse by name), an empty field left out (the file's default;
    a required one is then refused as missing)."""
    entry: dict[str, Any] = {}
    for name in fields:
        text = form.get(name, "").strip()
        if name == "rotation":
            entry[name] = text
        elif text:
            entry[name] = (
                float(text)
                if name.endswith("_blocks") and _NUMBER.match(text)
                else (number_or_text(text))
            )
    return entry


def form_values(entry: dict[str, Any]) -> dict[str, str]:
    """An entry as the program file writes it, as its form's text (blocks as 1.5, 2)."""
    return {
        name: f"{value:g}" if isinstance(value, float) else str(value)
        for name, value in entry.items()
    }


def _check_fresh(kind: Kind, session: Session, entry_id: int, form: dict[str, str]) -> None:
    current = kind.snapshot(kind.load(session, entry_id))
    stale.check_fresh(f"{kind.noun} {entry_id}", form.get(stale.FIELD, ""), current)


def _refused(
    kind: Kind,
    request: Request,
    who: Principal,
    entry_id: int,
    form: dict[str, str],
    bad: InputError | RefusedError,
) -> Response:
    """The form again: with what was typed (a bad value), or as the entry is now (stale)."""
    with transaction(request, who) as session:
        entry = kind.snapshot(kind.load(session, entry_id))
    if isinstance(bad, stale.StaleForm):
        return _form(kind, request, who, (entry_id, entry), form_values(entry), bad, 409)
    status = 422 if isinstance(bad, InputError) else 409
    return _form(kind, request, who, (entry_id, entry), typed(form, kind.fields), bad, status)


def _done(path: str, message: str) -> Response:
    response = see_other(path)
    flash(response, message)
    return response


def _form(
    kind: Kind,
    request: Request,
    who: Principal,
    current: tuple[int, dict[str, Any]] | None,
    values: dict[str, str],
    error: InputError | RefusedError | None = None,
    status: int = 200,
) -> Response:
    errors, problem = placed(error, kind.fields) if error else ({}, "")
    with transaction(request, who) as session:
        rotations = list(
            session.scalars(
                select(RotationTemplate.abbreviation).order_by(RotationTemplate.abbreviation)
            )
        )
    title = f"Edit {kind.noun} {current[0]}" if current else f"Add a {kind.noun}"
    return render(
        request,
        kind.template,
        who,
        status=status,
        title=title,
        entry_id=current[0] if current else None,
        values=values,
        version=stale.fingerprint(current[1]) if current else "",
        errors=errors,
        problem=problem,
        rotations=rotations,
        pgy_range=f"{MIN_PGY} to {MAX_PGY}",
    )
