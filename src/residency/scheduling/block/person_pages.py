"""A person's page, `/people/{key}` (`?block=N&year=Y` another block; default the block holding
today): their published block and year, hours per week against the 80-hour line (the
checker's figures, drawn as SVG), calls, weekend calls and holidays so far, absences.

A resident or faculty member opens only their own page (their account's person); staff
(READ_PROGRAM) open anyone's. docs/web.md, "A person's page"."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.people.models import Person
from residency.people.repository import key_of_person
from residency.people.service import person_by_key
from residency.scheduling.block.grid_view import css_version, rotation_css
from residency.scheduling.block.hours_chart import hours_chart
from residency.scheduling.block.pages import BLOCKS, YearQuery, grid_query, rotation_colours
from residency.scheduling.block.person_view import person_page, shown_block
from residency.web.deps import transaction
from residency.web.page_deps import PageForbidden, page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/people/{key}")
def person_route(
    request: Request,
    key: str = Path(max_length=64),
    block: int | None = Query(None, ge=1, le=13, description="the block number, 1 to 13"),
    year: int | None = YearQuery,
    who: Principal = Depends(page_user(Permission.READ_OWN)),
) -> Response:
    today = calendar.local_today()  # tests fix the day there
    with transaction(request, who) as session:
        person = readable_person(session, who, key)
        academic_year = year if year is not None else calendar.default_academic_year(session)
        number = block or shown_block(session, academic_year, today)
        shown = person_page(session, person, academic_year, number, today)
        rotations = rotation_colours(session)
        own = key_of_person(session, who.person_id) == shown.key
    return render(
        request,
        "people/person.html",
        who,
        title=shown.name,
        page=shown,
        chart=hours_chart(shown.hours) if shown.hours else None,
        rotations=rotations,
        colors_url=f"/blocks/colors.css?v={css_version(rotation_css(rotations))}",
        blocks=BLOCKS,
        explicit_year=year,
        query=grid_query,
        own=own,
    )


def readable_person(session: Session, who: Principal, key: str) -> Person:
    """Staff read anyone's page, a resident or faculty member only their own: another key is
    refused before it is looked up, so the answer does not depend on who exists."""
    if (
        not allows(who.role, Permission.READ_PROGRAM)
        and key_of_person(session, who.person_id) != key
    ):
        raise PageForbidden(who, f"a {who.role.value} may open only their own page")
    return person_by_key(session, key)  # an unknown key: 404
