"""`/program/curriculum` and `/program/staffing`: the curriculum requirements (per PGY level:
rotation, minimum and maximum blocks in a year) and the staffing rules (a service's minimum
residents by level, every block), read-only, as the program file holds them
(program/export.py). They are edited through the program file (/program/file)."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Depends, Request, Response

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.people.models import MAX_PGY
from residency.program.export import curriculum_entries, staffing_rule_entries
from residency.web.deps import transaction
from residency.web.page_deps import page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)
READER = Depends(page_user(Permission.READ_PROGRAM))


@router.get("/program/curriculum")
def curriculum_page(request: Request, who: Principal = READER) -> Response:
    with transaction(request, who) as session:
        entries = curriculum_entries(session)  # ordered by PGY, then rotation
    levels = [(pgy, list(rows)) for pgy, rows in groupby(entries, key=lambda e: e.pgy)]
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
        rules = staffing_rule_entries(session)
    return render(
        request,
        "program/staffing.html",
        who,
        title="Staffing rules",
        rules=rules,
        max_pgy=MAX_PGY,
        may_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )
