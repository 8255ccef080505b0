"""A coordinator's edit of one half-day cell of the block grid, as a plain form (no script):
`GET /blocks/{n}/edit?person=KEY&day=YYYY-MM-DD&session=AM` shows the cell and a select of
rotations; the POST checks the edit with the service the API uses (edits.edit_slot). A rule
break writes nothing and is shown next to the rotation, with what was typed kept; an override
reason saves it anyway as a recorded exception. Success returns to the grid (303) as the
coordinator had it: the grid's filters travel with the cell's link as `grid_pgy`,
`grid_service` and `grid_person` (`person` is the cell's own person), through the form's hidden
fields, back into the grid's address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.errors import InputError, RefusedError
from residency.rotations.repository import templates_with_shifts
from residency.scheduling.block.edits import EditRefused, SlotEdit, edit_slot
from residency.scheduling.block.grid import FACULTY_GROUP, block_grid
from residency.scheduling.block.grid_view import Filters
from residency.scheduling.block.pages import BLOCKS, draft_or_published, grid_query
from residency.scheduling.block.verdict import RuleBreak
from residency.web.deps import transaction
from residency.web.page_deps import page_user, see_other
from residency.web.params import MAX_ID
from residency.web.stale import CHANGED, FIELD, StaleForm
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
HalfDayName = Literal["AM", "PM"]
FORM_FIELDS = ("rotation", "override_reason")  # the errors shown next to a field
# The grid's filters as the edit page carries them (the grid's own limits, block/pages.py).
GridPgy = Query("", max_length=16)
GridService = Query("", max_length=32)
GridPerson = Query("", max_length=64)


@dataclass(frozen=True)
class Choice:
    abbreviation: str
    name: str


@dataclass(frozen=True)
class EditTarget:
    """The cell being edited, as its page shows it."""

    academic_year: int
    block: int
    run_id: int | None
    person_key: str
    person_name: str
    group_label: str
    day: date
    session: str
    current: str  # the abbreviation now in the cell, "" when empty
    eligible: tuple[Choice, ...]  # rotations open to the person's PGY
    others: tuple[Choice, ...]  # the rest: choosing one breaks eligibility unless overridden


@router.get("/blocks/{n}/edit")
def edit_form(
    request: Request,
    n: int,
    person: str = Query(..., min_length=1, max_length=64),
    day: date = Query(...),
    session: HalfDayName = Query(...),
    year: int | None = Query(None, ge=2000, le=2100),
    run: int | None = Query(None, ge=1, le=MAX_ID),
    grid_pgy: str = GridPgy,
    grid_service: str = GridService,
    grid_person: str = GridPerson,
    who: Principal = Depends(page_user(Permission.EDIT_SCHEDULE)),
) -> Response:
    with transaction(request, who) as db:
        target = edit_target(db, who, n, year, run, person, day, session)
    typed = {"rotation": target.current, "override_reason": ""}
    filters = Filters(grid_pgy.strip(), grid_service.strip(), grid_person.strip())
    return _page(request, who, target, filters, typed)


@router.post("/blocks/{n}/edit")
def save_edit(
    request: Request,
    n: int,
    person: str = Form(..., min_length=1, max_length=64),
    day: date = Form(...),
    session: HalfDayName = Form(...),
    year: int = Form(..., ge=2000, le=2100),
    run: str = Form(""),
    rotation: str = Form("", max_length=32),
    override_reason: str = Form("", max_length=2000),
    grid_pgy: str = Form("", max_length=16),
    grid_service: str = Form("", max_length=32),
    grid_person: str = Form("", max_length=64),
    was: str | None = Form(None, max_length=32),
    who: Principal = Depends(page_user(Permission.EDIT_SCHEDULE)),
) -> Response:
    run_id = _run_id(run)
    filters = Filters(grid_pgy.strip(), grid_service.strip(), grid_person.strip())
    typed = {"rotation": rotation, "override_reason": override_reason}
    edit = SlotEdit(
        year, n, person, day, session, rotation or None, run_id, override_reason or None
    )
    errors: dict[str, str] = {}
    breaks: list[RuleBreak] = []
    problem = ""
    status = 200
    try:
        with transaction(request, who) as db:
            if was is not None:  # what the form showed: another edit since is not overwritten
                now = edit_target(db, who, n, year, run_id, person, day, session).current
                _require_unchanged(edit, was, now)
            result = edit_slot(db, edit)
    except EditRefused as refused:  # rolled back: nothing written
        breaks, status = refused.reasons, 409
    except InputError as bad:
        status = 422
        if bad.field in FORM_FIELDS:
            errors[bad.field] = str(bad)
        else:
            problem = str(bad)
    except RefusedError as refused:
        problem, status = str(refused), 409
    else:
        response = see_other(grid_url(n, year, run_id, filters))
        flash(response, "cell_overridden" if result.overridden else "cell_saved")
        return response
    with transaction(request, who) as db:
        target = edit_target(db, who, n, year, run_id, person, day, session)
    return _page(request, who, target, filters, typed, errors, breaks, problem, status)


def grid_url(n: int, year: int, run: int | None, filters: Filters) -> str:
    """The grid as the coordinator had it: its version and its filters."""
    shown = {"pgy": filters.pgy, "service": filters.service, "person": filters.person}
    return f"/blocks/{n}{grid_query(year=year, run=run, **shown)}"


def _require_unchanged(edit: SlotEdit, was: str, now: str) -> None:
    if now != was:
        raise StaleForm(
            f"{edit.person_key} {edit.day} {edit.session} {CHANGED}: it held "
            f"{was or 'nothing'} then and holds {now or 'nothing'} now; choose again and save",
            field=FIELD,
        )


def _run_id(run: str) -> int | None:
    if not run.strip():
        return None
    if not run.strip().isdigit() or not 1 <= int(run) <= MAX_ID:
        raise InputError(f"run: {run!r} is not a run's id", field="run")
    return int(run)


def edit_target(
    db: Session,
    who: Principal,
    n: int,
    year: int | None,
    run: int | None,
    person: str,
    day: date,
    session: str,
) -> EditTarget:
    if n not in BLOCKS:
        raise InputError(f"block: {n} is not a block number (1 to 13)", field="block")
    academic_year = year if year is not None else calendar.default_academic_year(db)
    version = draft_or_published(db, who, run, academic_year, n)
    grid = block_grid(db, academic_year, n, version, person)  # an unknown key: a clear 400
    if not grid.start <= day <= grid.end:
        raise InputError(
            f"day: {day} is not in block {n} ({grid.start} to {grid.end})", field="day"
        )
    row = grid.rows[0]
    am, pm = row.cells.get(day, ("", ""))
    pgy = None if row.group == FACULTY_GROUP else row.group
    eligible: list[Choice] = []
    others: list[Choice] = []
    for template in templates_with_shifts(db):
        choice = Choice(template.abbreviation, template.name)
        (eligible if pgy in (template.eligible_pgy or []) else others).append(choice)
    return EditTarget(
        academic_year,
        n,
        run,
        row.person_key,
        row.name,
        "Faculty" if pgy is None else f"PGY-{pgy}",
        day,
        session,
        am if session == "AM" else pm,
        tuple(eligible),
        tuple(others),
    )


def _page(
    request: Request,
    who: Principal,
    target: EditTarget,
    filters: Filters,
    typed: dict[str, str],
    errors: dict[str, str] | None = None,
    breaks: list[RuleBreak] | None = None,
    problem: str = "",
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "title": f"Edit {target.person_name}, {target.day} {target.session}",
        "target": target,
        "typed": typed,
        "errors": errors or {},
        "breaks": breaks or [],
        "problem": problem,
        "filters": filters,
        "back": grid_url(target.block, target.academic_year, target.run_id, filters),
    }
    return render(request, "blocks/edit.html", who, status=status, **context)
