"""The compliance check of an uploaded duty CSV: the ACGME report of any schedule or logged
hours, the same check as `residency compliance check FILE` (nothing is stored); and the
alerts of the nightly compliance scan of the published blocks."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.compliance.alerts import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    AlertFilter,
    AlertStatus,
    list_alerts,
)
from residency.compliance.csv_io import read_duty_upload, read_periods_upload
from residency.compliance.policy import calendar_starting
from residency.compliance.report import to_json
from residency.compliance.rules.averaging import AveragingMode
from residency.compliance.rules.base import (
    DEFAULT_CONTINUOUS_BREAK_MINUTES,
    MAX_CONTINUOUS_BREAK_MINUTES,
)
from residency.compliance.schemas import AlertOut, ComplianceReport
from residency.compliance.validator import CheckOptions, check_duty
from residency.web.deps import allow, transaction
from residency.web.fields import naming
from residency.web.params import FIRST_YEAR, LAST_YEAR
from residency.web.schemas import RowId

router = APIRouter(prefix="/api/v1/compliance", tags=["compliance"])
alerts_router = APIRouter(prefix="/api/v1", tags=["compliance"])


@router.post("/check", response_model=ComplianceReport)
def check_upload(
    file: UploadFile = File(description="duty periods CSV: person_id,pgy,start,end,kind"),
    periods: UploadFile | None = File(
        None, description="rotation periods CSV: person_id,start_date,end_date (end inclusive)"
    ),
    mode: AveragingMode = Form(AveragingMode.BLOCK, description="block (the rule) or rolling"),
    academic_year_start: str | None = Form(
        None, max_length=10, description="first day of the academic year (default July 1)"
    ),
    continuous_break_minutes: int = Form(
        DEFAULT_CONTINUOUS_BREAK_MINUTES, ge=0, le=MAX_CONTINUOUS_BREAK_MINUTES
    ),
    _: Principal = Depends(allow(Permission.READ_PUBLISHED)),
) -> ComplianceReport:
    """The report of the file's duty periods (multipart, field `file`); a bad row is refused
    naming the row and the column."""
    with naming("file"):
        duty = read_duty_upload(file.file.read(), "file")
    with naming("periods"):
        rotations = read_periods_upload(periods.file.read(), "periods") if periods else {}
    with naming("academic_year_start"):
        calendar = calendar_starting(academic_year_start, "academic_year_start")
    options = CheckOptions(
        mode=mode,
        calendar=calendar,
        rotations=rotations,
        continuous_break_minutes=continuous_break_minutes,
    )
    return ComplianceReport.model_validate(to_json(check_duty(duty, options)))


@alerts_router.get("/alerts", response_model=list[AlertOut])
def alerts(
    request: Request,
    status: AlertStatus = Query(AlertStatus.OPEN, description="open, resolved or all"),
    academic_year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    block: int | None = Query(None, ge=1, le=13),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    before_id: RowId | None = Query(None, description="Page: alerts older than this id."),
    who: Principal = Depends(allow(Permission.READ_PROGRAM)),
) -> list[AlertOut]:
    """Rules broken in published schedules, newest first. Staff only: an alert names a person
    and their hours or absences, which a resident may not read of others."""
    wanted = AlertFilter(status, academic_year, block, limit, before_id)
    with transaction(request, who) as session:
        return [AlertOut(**alert) for alert in list_alerts(session, wanted)]
