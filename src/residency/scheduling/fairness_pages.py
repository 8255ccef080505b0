"""Fairness, `/fairness` (`?year=` another academic year): per resident within each PGY, the
calls, weekend calls, holidays worked and inpatient weeks of the published blocks, with the
spread per PGY and column, and the engine's soft rules that shape them, for every signed-in
role. docs/web.md, "Fairness"."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.people.repository import key_of_person
from residency.scheduling.block.pages import YearQuery
from residency.scheduling.fairness import fairness
from residency.web.deps import transaction
from residency.web.page_deps import page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/fairness")
def fairness_page(
    request: Request,
    year: int | None = YearQuery,
    who: Principal = Depends(page_user(Permission.READ_PUBLISHED)),
) -> Response:
    with transaction(request, who) as session:
        academic_year = year if year is not None else calendar.default_academic_year(session)
        shown = fairness(session, academic_year)
        years = [y.year for y in calendar.academic_years(session)]
        own_key = key_of_person(session, who.person_id)
    return render(
        request,
        "fairness.html",
        who,
        title=f"Fairness, {shown.label}",
        shown=shown,
        years=years,
        staff=allows(who.role, Permission.READ_PROGRAM),
        own_key=own_key,
        explicit_year=year,
    )
