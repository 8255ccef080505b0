"""Checking a duty-hours CSV in the browser, `/compliance/upload`: the form (GET), and its POST
(multipart, field `file`) checked as `residency compliance check FILE` and the API's
`POST /api/v1/compliance/check` do it: the same parser (csv_io) and checker, nothing stored.
A bad file is refused with the parser's message (file, row, reason) next to the file field,
status 422. The result has the block page's layout (compliance/view.py). Staff only, like the
block's check (scheduling/block/compliance_pages.py). docs/web.md, "Compliance"."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.compliance.csv_io import DUTY_COLUMNS, read_duty_upload
from residency.compliance.policy import calendar_starting
from residency.compliance.rules.averaging import AveragingMode
from residency.compliance.rules.base import DutyPeriod
from residency.compliance.validator import CheckOptions, check_duty
from residency.compliance.view import ReportView, report_view
from residency.errors import InputError
from residency.rotations.duty_pattern import DutyKind
from residency.web.page_deps import page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)
TITLE = "Check a duty-hours CSV"
MODES = tuple(mode.value for mode in AveragingMode)
KINDS = ", ".join(kind.value for kind in DutyKind)


@dataclass(frozen=True)
class UploadForm:
    """The CSV form as a page shows it: what was typed, the errors next to the fields."""

    typed: dict[str, str]
    errors: dict[str, str]
    limit_mb: str  # the app's body-size limit (web/middleware.py BodyLimit), for the hint
    modes: tuple[str, ...] = MODES
    kinds: str = KINDS


def upload_form_of(
    request: Request, typed: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> UploadForm:
    """The form, empty unless `typed`; the block's page shows it too."""
    limit = request.app.state.settings.max_body_bytes
    return UploadForm(
        typed or {"mode": AveragingMode.BLOCK.value, "academic_year_start": ""},
        errors or {},
        f"{limit / 1_000_000:g}",
    )


@router.get("/compliance/upload")
def upload_form(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    return _page(request, who, upload_form_of(request))


@router.post("/compliance/upload")
def check_upload(
    request: Request,
    file: UploadFile | None = File(None),
    mode: str = Form(AveragingMode.BLOCK.value),
    academic_year_start: str = Form(""),
    who: Principal = Depends(page_user(Permission.READ_PROGRAM)),
) -> Response:
    typed = {"mode": mode, "academic_year_start": academic_year_start}
    errors: dict[str, str] = {}
    options = _options(mode, academic_year_start.strip() or None, errors)
    duty = _duty(file, errors)
    if options is None or duty is None:  # nothing was stored: the check reads no database
        return _page(request, who, upload_form_of(request, typed, errors), status=422)
    report = report_view(check_duty(duty, options))
    name = (file.filename if file else None) or ""
    return _page(request, who, upload_form_of(request, typed), report=report, file_name=name)


def _options(mode: str, year_start: str | None, errors: dict[str, str]) -> CheckOptions | None:
    """The check's options as the API's check builds them (compliance/api.py); a bad one is
    added to `errors` under its field."""
    calendar = None
    try:
        calendar = calendar_starting(year_start, "academic_year_start")
    except InputError as bad:
        errors["academic_year_start"] = str(bad)
    if mode not in MODES:
        errors["mode"] = f"mode: {mode!r} is not one of {', '.join(MODES)}"
    if calendar is None or "mode" in errors:
        return None
    return CheckOptions(mode=AveragingMode(mode), calendar=calendar)


def _duty(file: UploadFile | None, errors: dict[str, str]) -> list[DutyPeriod] | None:
    """The file's duty periods by the CLI's parser; None, with the parser's message under
    `file`, for a bad file."""
    if file is None or not file.filename:
        errors["file"] = (
            f"file: choose a duty-hours CSV file with the columns {','.join(DUTY_COLUMNS)}"
        )
        return None
    try:
        return read_duty_upload(file.file.read(), "file")
    except InputError as bad:
        errors["file"] = str(bad)
        return None


def _page(
    request: Request,
    who: Principal,
    upload: UploadForm,
    *,
    status: int = 200,
    report: ReportView | None = None,
    file_name: str = "",
) -> Response:
    return render(
        request,
        "compliance/upload.html",
        who,
        status=status,
        title=TITLE,
        upload=upload,
        report=report,
        file_name=file_name,
    )
