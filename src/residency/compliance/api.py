"""The compliance check of an uploaded duty CSV: the ACGME report of any schedule or logged
hours, the same check as `residency compliance check FILE`. Nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, UploadFile

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.compliance.csv_io import read_duty_upload, read_periods_upload
from residency.compliance.policy import calendar_starting
from residency.compliance.report import to_json
from residency.compliance.rules.averaging import AveragingMode
from residency.compliance.rules.base import (
    DEFAULT_CONTINUOUS_BREAK_MINUTES,
    MAX_CONTINUOUS_BREAK_MINUTES,
)
from residency.compliance.schemas import ComplianceReport
from residency.compliance.validator import CheckOptions, check_duty
from residency.web.deps import allow
from residency.web.fields import naming

router = APIRouter(prefix="/api/v1/compliance", tags=["compliance"])


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
