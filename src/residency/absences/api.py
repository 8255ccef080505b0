"""Absence routes: leave, sickness, conferences, deployment. Residents and faculty see their
own; the program staff see everyone's; coordinators record, change and delete them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from residency.absences import service
from residency.absences.schemas import AbsenceChangeBody, AbsenceOut, NewAbsenceBody
from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.people.models import KEY_LENGTH, KEY_PATTERN
from residency.web.deps import allow, transaction
from residency.web.schemas import IsoDate

router = APIRouter(prefix="/api/v1/absences", tags=["absences"])
AbsenceId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", response_model=list[AbsenceOut])
def list_absences(
    request: Request,
    person: str | None = Query(
        None, max_length=KEY_LENGTH, pattern=KEY_PATTERN, description="A person's key"
    ),
    start: IsoDate | None = Query(None, description="Those ending on or after this day"),
    end: IsoDate | None = Query(None, description="Those starting on or before this day"),
    who: Principal = Depends(allow(Permission.READ_OWN)),
) -> list[AbsenceOut]:
    """Everyone's for the program staff; anyone else gets their own only."""
    with transaction(request, who) as session:
        found = service.visible_absences(session, who, person, start, end)
    return [AbsenceOut(**asdict(record)) for record in found]


@router.post("", response_model=AbsenceOut, status_code=201)
def create_absence(
    body: NewAbsenceBody,
    request: Request,
    response: Response,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> AbsenceOut:
    new = service.NewAbsence(**body.model_dump())
    with transaction(request, who) as session:
        record = service.create_absence(session, new)
    response.headers["Location"] = f"/api/v1/absences/{record.id}"
    return AbsenceOut(**asdict(record))


@router.patch("/{absence_id}", response_model=AbsenceOut)
def change_absence(
    absence_id: AbsenceId,
    body: AbsenceChangeBody,
    request: Request,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> AbsenceOut:
    """Only the fields sent change (the page's edit: absences/service.py update_absence)."""
    with transaction(request, who) as session:
        record = service.change_absence(session, absence_id, body.model_dump(exclude_unset=True))
    return AbsenceOut(**asdict(record))


@router.delete("/{absence_id}", response_model=AbsenceOut)
def delete_absence(
    absence_id: AbsenceId,
    request: Request,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> AbsenceOut:
    """Answers the absence as it was."""
    with transaction(request, who) as session:
        record = service.delete_absence(session, absence_id)
    return AbsenceOut(**asdict(record))
