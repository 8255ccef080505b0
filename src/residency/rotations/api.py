"""Rotation-template routes: everyone signed in reads them (duty pattern, eligibility and
staffing); coordinators add, change, deactivate and reactivate them through the services the
pages use (rotations/edits.py), or the program file (POST /api/v1/program/import)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.rotations import edits, service
from residency.rotations.colors import display_color
from residency.rotations.duty_pattern import WEEKDAYS, ShiftSpec
from residency.rotations.models import ABBREVIATION_LENGTH, ABBREVIATION_PATTERN
from residency.rotations.schemas import (
    BoundsOut,
    NewRotationBody,
    RotationChangeBody,
    RotationOut,
    ShiftOut,
    StaffingRuleOut,
)
from residency.web.deps import allow, transaction

router = APIRouter(prefix="/api/v1/rotations", tags=["rotations"])
Abbreviation = Annotated[
    str, Path(max_length=ABBREVIATION_LENGTH, pattern=ABBREVIATION_PATTERN, description="e.g. FMIT")
]


@router.get("", response_model=list[RotationOut])
def list_rotations(
    request: Request, who: Principal = Depends(allow(Permission.READ_PUBLISHED))
) -> list[RotationOut]:
    with transaction(request, who) as session:
        return [_rotation_out(found) for found in service.rotation_templates(session)]


@router.get("/{abbreviation}", response_model=RotationOut)
def read_rotation(
    abbreviation: Abbreviation,
    request: Request,
    who: Principal = Depends(allow(Permission.READ_PUBLISHED)),
) -> RotationOut:
    with transaction(request, who) as session:
        return _rotation_out(service.rotation_template(session, abbreviation))


@router.post("", response_model=RotationOut, status_code=201)
def create_rotation(
    body: NewRotationBody,
    request: Request,
    response: Response,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> RotationOut:
    with transaction(request, who) as session:
        template = edits.create_template(session, body.model_dump(mode="json"))
        out = _rotation_out(service.rotation_template(session, template.abbreviation))
    response.headers["Location"] = f"/api/v1/rotations/{out.abbreviation}"
    return out


@router.patch("/{abbreviation}", response_model=RotationOut)
def change_rotation(
    abbreviation: Abbreviation,
    body: RotationChangeBody,
    request: Request,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> RotationOut:
    """Only the fields sent change; answers the template as it is now."""
    with transaction(request, who) as session:
        edits.change_template(
            session, abbreviation, body.model_dump(mode="json", exclude_unset=True)
        )
        return _rotation_out(service.rotation_template(session, abbreviation))


@router.post("/{abbreviation}/deactivate", response_model=RotationOut)
def deactivate_rotation(
    abbreviation: Abbreviation,
    request: Request,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> RotationOut:
    """Left out of new schedules; the rows that name it stay. One the program policy names
    is refused (409)."""
    with transaction(request, who) as session:
        edits.deactivate_template(session, abbreviation)
        return _rotation_out(service.rotation_template(session, abbreviation))


@router.post("/{abbreviation}/reactivate", response_model=RotationOut)
def reactivate_rotation(
    abbreviation: Abbreviation,
    request: Request,
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> RotationOut:
    with transaction(request, who) as session:
        edits.reactivate_template(session, abbreviation)
        return _rotation_out(service.rotation_template(session, abbreviation))


def _rotation_out(found: service.TemplateWithRules) -> RotationOut:
    template, pattern = found.template, found.template.duty_pattern()
    return RotationOut(
        abbreviation=template.abbreviation,
        name=template.name,
        activity_type=template.activity_type,
        eligible_pgy=sorted(template.eligible_pgy),
        residents_per_block=BoundsOut(
            min=template.min_residents_per_block, max=template.max_residents_per_block
        ),
        residents_per_half_day=BoundsOut(
            min=template.min_residents_per_half_day, max=template.max_residents_per_half_day
        ),
        requires_supervision=template.requires_supervision,
        half_block=template.half_block,
        description=template.description,
        color=display_color(template),
        color_from_program=template.color is not None,
        duty_pattern=[_shift_out(shift) for shift in pattern.shifts],
        weekly_hours=pattern.weekly_hours(),
        staffing_rules=[
            StaffingRuleOut(min_pgy=r.min_pgy, max_pgy=r.max_pgy, min_residents=r.min_residents)
            for r in found.staffing_rules
        ],
        active=template.active,
    )


def _shift_out(shift: ShiftSpec) -> ShiftOut:
    return ShiftOut(
        weekday=WEEKDAYS[shift.weekday],
        start=f"{shift.start:%H:%M}",
        end=f"{shift.end:%H:%M}",
        kind=shift.kind,
        hours=shift.hours,
    )
