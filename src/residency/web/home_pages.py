"""The dashboard, `/`: for staff, the academic year's blocks and what is published, open
compliance alerts and runs in progress; for residents and faculty, where to go."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.web.dashboard import dashboard
from residency.web.deps import transaction
from residency.web.page_deps import page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, who: Principal = Depends(page_user(Permission.READ_OWN))) -> Response:
    with transaction(request, who) as session:
        shown = dashboard(session, who, calendar.local_today())  # tests fix the day there
    staff = allows(who.role, Permission.READ_PROGRAM)
    return render(request, "home.html", who, board=shown, staff=staff)
