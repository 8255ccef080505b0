"""The program data's index, `/program`: a link to each section a coordinator keeps up to date.
A section is listed to the roles its page lets in (the program file's page is for those who
may edit the program), so the index never links to a page that answers 403."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request, Response

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
    permission: Permission = Permission.READ_PROGRAM


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
    Section(
        "/program/file",
        "Program file",
        "import with a preview of every change, export",
        Permission.EDIT_PROGRAM,
    ),
)


@router.get("/program")
def program_index(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    return render(
        request,
        "program/index.html",
        who,
        title="Program data",
        sections=[s for s in SECTIONS if allows(who.role, s.permission)],
        can_edit=allows(who.role, Permission.EDIT_PROGRAM),
    )
