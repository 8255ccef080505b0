"""Manual edits over HTTP: one half-day cell or one call night of a block's version, checked
against the hard rules and the ACGME checker before it is saved. A refused edit answers 409
with the rules it breaks (`reasons`); with an override reason it is kept as an override."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.scheduling.block.edits import CallEdit, EditResult, SlotEdit, edit_call, edit_slot
from residency.web.deps import allow, transaction
from residency.web.fields import located
from residency.web.schemas import Body, IsoDate, RowId

router = APIRouter(prefix="/api/v1/blocks/{academic_year}/{block}/edits", tags=["schedules"])
Year = Path(ge=2000, le=2100)
BlockNumber = Path(ge=1, le=13)
REQUEST_FIELDS = {"person": "person_key", "run": "run_id"}  # the service's names -> the body's


class SlotEditBody(Body):
    person_key: str = Field(min_length=1, max_length=64)
    day: IsoDate
    session: Literal["AM", "PM"]
    rotation: str | None = Field(max_length=32, description="An abbreviation; null clears.")
    run_id: RowId | None = Field(None, description="A draft's run; none: the published version.")
    override_reason: str | None = Field(None, max_length=500)


class CallEditBody(Body):
    day: IsoDate
    call_type: Literal["in_house", "weekend", "home", "backup"]
    person_key: str | None = Field(max_length=64, description="Who is on call; null removes.")
    replacing: str | None = Field(None, max_length=64, description="Whose call changes.")
    run_id: RowId | None = None
    override_reason: str | None = Field(None, max_length=500)


class FindingOut(BaseModel):
    rule: str
    detail: str
    person_id: str | None = None
    day: str | None = None
    still_broken: bool


class EditOut(BaseModel):
    scope: str
    run_id: int
    published: bool
    entity: str
    row_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    override_reason: str | None
    overridden: bool
    findings: list[FindingOut]
    revision: int | None


@router.post("/slot", response_model=EditOut)
def edit_one_cell(
    body: SlotEditBody,
    request: Request,
    academic_year: int = Year,
    block: int = BlockNumber,
    who: Principal = Depends(allow(Permission.EDIT_SCHEDULE)),
) -> EditOut:
    edit = SlotEdit(
        academic_year,
        block,
        body.person_key,
        body.day,
        body.session,
        body.rotation,
        body.run_id,
        body.override_reason,
    )
    with transaction(request, who) as session, located(**REQUEST_FIELDS):
        return _out(edit_slot(session, edit))


@router.post("/call", response_model=EditOut)
def edit_one_call_night(
    body: CallEditBody,
    request: Request,
    academic_year: int = Year,
    block: int = BlockNumber,
    who: Principal = Depends(allow(Permission.EDIT_SCHEDULE)),
) -> EditOut:
    edit = CallEdit(
        academic_year,
        block,
        body.day,
        body.call_type,
        body.person_key,
        body.run_id,
        body.override_reason,
        body.replacing,
    )
    with transaction(request, who) as session, located(**REQUEST_FIELDS):
        return _out(edit_call(session, edit))


def _out(result: EditResult) -> EditOut:
    return EditOut.model_validate(result.as_json())
