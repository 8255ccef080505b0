"""A block's ACGME check, `/compliance/blocks/{n}` (`?year=` another academic year, `?run=ID` a
run's draft): every rule with its closest value to the limit and every finding with the
person, the period and the citation, as `residency compliance check --block N` and the API's
`GET /api/v1/compliance/blocks/{year}/{n}` compute it (verdict.check_block_version), with the
form that checks a duty-hours CSV (compliance/pages.py). `/compliance` goes to the current
block. Staff only, like the API: the check holds every resident's hours and findings.
docs/web.md, "Compliance"."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.calendar.academic_year import year_label
from residency.compliance.pages import upload_form_of
from residency.compliance.view import report_view
from residency.scheduling.block.pages import (
    BLOCKS,
    YearQuery,
    calendar_check,
    current_block_number,
    draft_or_published,
    grid_query,
    shown_version,
)
from residency.scheduling.block.verdict import check_block_version
from residency.web.deps import transaction
from residency.web.page_deps import page_user, see_other
from residency.web.params import DraftRun
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/compliance")
def current_block_check(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    with transaction(request, who) as session:
        number = current_block_number(session)
    return see_other(f"/compliance/blocks/{number}")


@router.get("/compliance/blocks/{n}")
def block_check(
    request: Request,
    n: int,
    year: int | None = YearQuery,
    run: DraftRun = None,
    who: Principal = Depends(page_user(Permission.READ_PROGRAM)),
) -> Response:
    calendar_check(n)
    with transaction(request, who) as session:
        academic_year = year if year is not None else calendar.default_academic_year(session)
        version = draft_or_published(session, who, run, academic_year, n)
        report = report_view(check_block_version(session, academic_year, n, version))
        block = calendar.block_row(session, academic_year, n)
        shown = shown_version(session, academic_year, n, run)
        label = year_label(calendar.academic_year_row(session, academic_year).start_date)
    return render(
        request,
        "compliance/block.html",
        who,
        title=f"Compliance, block {n}, {label}",
        number=n,
        explicit_year=year,
        start=block.start_date,
        end=block.end_date,
        shown=shown,
        report=report,
        blocks=BLOCKS,
        query=grid_query,
        upload=upload_form_of(request),
    )
