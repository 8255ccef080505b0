"""The program data's index, `/program`: a link to each section a coordinator keeps up to date.
A section is listed once its page exists in the app (people, absences and rotation templates
here; curriculum, staffing rules and the program file's import and export as they land), so
the index never links to a page that answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import iter_route_contexts

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.web.page_deps import page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Section:
    href: str
    label: str
    what: str


SECTIONS = (
    Section("/program/people", "People", "residents by PGY and faculty: add, edit, deactivate"),
    Section("/program/absences", "Absences", "leave, sickness, conferences: record, edit, delete"),
    Section(
        "/program/rotations",
        "Rotation templates",
        "eligibility, staffing, colour and the duty pattern by weekday",
    ),
    Section("/program/curriculum", "Curriculum", "what each PGY level does in a year"),
    Section("/program/staffing", "Staffing rules", "each service's minimum by level"),
    Section("/program/file", "Program file", "import with a preview of every change, export"),
)


@router.get("/program")
def program_index(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    served = {route.path for route in iter_route_contexts(request.app.routes)}
    return render(
        request,
        "program/index.html",
        who,
        title="Program data",
        sections=[s for s in SECTIONS if s.href in served],
        can_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )
