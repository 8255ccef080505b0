"""The block schedule grid page, `/blocks/{n}`: block n of the current academic year (`?year=`
another, `?run=ID` a run's draft for staff, like the API), people by PGY then faculty, days
with AM and PM, each cell its rotation's colour, calls, post-call days and absences; filters
by PGY, service and person are plain GET parameters. `/blocks` goes to the current block.
Coordinators' cells link to the edit page (edit_pages.py). docs/scheduling.md, "Block grid"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.calendar.academic_year import year_label
from residency.calendar.models import HalfDay
from residency.errors import Forbidden
from residency.people.repository import key_of_person
from residency.rotations.colors import display_color, text_color
from residency.rotations.repository import templates_with_shifts
from residency.scheduling.block.grid import block_grid
from residency.scheduling.block.grid_view import (
    Filters,
    Rotation,
    css_version,
    grid_view,
    rotation_css,
    rotations_by_abbreviation,
)
from residency.scheduling.models import RunKind
from residency.scheduling.repository import Version
from residency.scheduling.runs.access import readable_version
from residency.scheduling.runs.versions import published, scope_of
from residency.web.deps import transaction
from residency.web.page_deps import PageForbidden, page_user, see_other
from residency.web.params import DraftRun
from residency.web.templating import render

router = APIRouter(include_in_schema=False)
YearQuery = Query(None, ge=2000, le=2100, description="the academic year by its first year")
BLOCKS = range(1, 14)


@dataclass(frozen=True)
class Shown:
    """Which version the page shows, for its banner."""

    run_id: int | None  # the draft's run; None: the published version
    published_run_id: int | None  # the published version's run; None: nothing published
    revision: int | None


@router.get("/blocks")
def current_block(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PUBLISHED))
) -> Response:
    with transaction(request, who) as session:
        number = current_block_number(session)
    return see_other(f"/blocks/{number}")


def current_block_number(session: Session) -> int:
    """The block holding today; outside the year, the latest published one (else block 1)."""
    today = calendar.local_today()
    year = calendar.default_academic_year(session, today)
    blocks = calendar.academic_year_with_blocks(session, year).blocks
    holding = [b.number for b in blocks if b.start_date <= today <= b.end_date]
    done = [
        b.number
        for b in blocks
        if published(session, scope_of(RunKind.BLOCK_SCHEDULE, year, b.number))
    ]
    return (holding or done[-1:] or [1])[0]


@router.get("/blocks/colors.css")
def rotation_colors(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PUBLISHED))
) -> Response:
    """The rotations' fill and text colours as classes (the grid's address carries its hash:
    a changed colour is a new address, so a long cache never shows an old one)."""
    with transaction(request, who) as session:
        css = rotation_css(rotation_colours(session))
    cache = "private, max-age=31536000, immutable" if request.query_params.get("v") else "no-cache"
    return Response(css, media_type="text/css", headers={"cache-control": cache})


@router.get("/blocks/{n}")
def block_page(
    request: Request,
    n: int,
    year: int | None = YearQuery,
    run: DraftRun = None,
    pgy: str = Query("", max_length=16),
    service: str = Query("", max_length=32),
    person: str = Query("", max_length=64),
    who: Principal = Depends(page_user(Permission.READ_PUBLISHED)),
) -> Response:
    calendar_check(n)
    today = calendar.local_today()
    filters = Filters(pgy.strip(), service.strip(), person.strip())
    with transaction(request, who) as session:
        academic_year = year if year is not None else calendar.default_academic_year(session)
        version = draft_or_published(session, who, run, academic_year, n)
        grid = block_grid(session, academic_year, n, version)
        rotations = rotation_colours(session)
        view = grid_view(
            grid,
            rotations,
            holidays(session, grid.start, grid.end),
            today,
            filters,
            own_key=None if allows(who.role, Permission.READ_PROGRAM) else own_key(session, who),
        )
        shown = shown_version(session, academic_year, n, run)
        label = year_label(calendar.academic_year_row(session, academic_year).start_date)
    return render(
        request,
        "blocks/grid.html",
        who,
        title=f"Block {n}, {label}",
        number=n,
        academic_year=academic_year,
        explicit_year=year,
        grid=grid,
        view=view,
        filters=filters,
        shown=shown,
        blocks=BLOCKS,
        can_edit=allows(who.role, Permission.EDIT_SCHEDULE),
        staff=allows(who.role, Permission.READ_PROGRAM),
        colors_url=f"/blocks/colors.css?v={css_version(rotation_css(rotations))}",
        query=grid_query,
    )


def draft_or_published(
    session: Session, who: Principal, run: int | None, year: int, n: int
) -> Version:
    """The API's rule (runs/access.py); refused, the 403 page keeps the reader's navigation."""
    try:
        return readable_version(session, who, run, RunKind.BLOCK_SCHEDULE, year, n)
    except Forbidden as refused:
        raise PageForbidden(who, str(refused)) from None


def calendar_check(n: int) -> None:
    """A block number outside 1-13 names no page (404), like a malformed address."""
    if n not in BLOCKS:
        raise HTTPException(404)


def grid_query(**parts: object) -> str:
    """The grid's query string with the parts given (None or "" leave a part out)."""
    kept = {k: str(v) for k, v in parts.items() if v not in (None, "")}
    return f"?{urlencode(kept)}" if kept else ""


def rotation_colours(session: Session) -> dict[str, Rotation]:
    rows = []
    for template in templates_with_shifts(session):
        fill = display_color(template)
        rows.append((template.id, template.abbreviation, template.name, fill, text_color(fill)))
    return rotations_by_abbreviation(rows)


def holidays(session: Session, first: date, last: date) -> dict[date, str]:
    query = select(HalfDay.date, HalfDay.holiday_name).where(
        HalfDay.date.between(first, last), HalfDay.is_holiday
    )
    return {day: name or "holiday" for day, name in session.execute(query).tuples()}


def own_key(session: Session, who: Principal) -> str:
    """The reader's own person key ("" for an account that is nobody in the program)."""
    return key_of_person(session, who.person_id) or ""


def shown_version(session: Session, year: int, n: int, run: int | None) -> Shown:
    pointer = published(session, scope_of(RunKind.BLOCK_SCHEDULE, year, n))
    if pointer is None:
        return Shown(run, None, None)
    return Shown(run, pointer.run_id, pointer.revision)
