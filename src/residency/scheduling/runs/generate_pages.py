"""The generate form, `/generate`: a coordinator starts a run of a block or of the year. The
POST claims it with the API's own `claim` (same validation, same refusal of an overlapping live
run) and hands it to the app's executor only after the claim is committed, then goes to the
run's page. Bad input is shown next to its field with what was typed kept; nothing is written."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import ValidationError

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.errors import InputError, RefusedError
from residency.scheduling.runs.api import DEFAULT_TIME_LIMIT_S, claim
from residency.scheduling.runs.schemas import RunRequest
from residency.web.deps import transaction
from residency.web.page_deps import page_user, see_other
from residency.web.templating import render

router = APIRouter(include_in_schema=False)
FIELDS = ("kind", "academic_year", "block", "time_limit_s", "mode", "first_feasible")
MODES = ("fresh", "minimal_change")


@router.get("/generate")
def generate_form(
    request: Request, who: Principal = Depends(page_user(Permission.RUN_SCHEDULES))
) -> Response:
    with transaction(request, who) as session:
        year = calendar.default_academic_year(session)
    typed = {
        "kind": "block",
        "academic_year": str(year),
        "block": "",
        "time_limit_s": "",
        "mode": "fresh",
        "first_feasible": "",
    }
    return _page(request, who, typed)


@router.post("/generate")
def start_generation(
    request: Request,
    kind: str = Form("", max_length=16),
    academic_year: str = Form("", max_length=16),
    block: str = Form("", max_length=16),
    time_limit_s: str = Form("", max_length=16),
    mode: str = Form("fresh", max_length=32),
    first_feasible: str = Form("", max_length=8),
    who: Principal = Depends(page_user(Permission.RUN_SCHEDULES)),
) -> Response:
    typed = {
        "kind": kind,
        "academic_year": academic_year,
        "block": block,
        "time_limit_s": time_limit_s,
        "mode": mode,
        "first_feasible": first_feasible,
    }
    executor = request.app.state.executor
    try:
        body = run_request(typed)
        with transaction(request, who) as session:
            run_id = claim(session, body, executor.label())
    except InputError as bad:
        field = bad.field if bad.field in FIELDS else ""
        if field == "minimal_change":
            field = "mode"
        errors = {field: str(bad)} if field else {}
        return _page(request, who, typed, errors, "" if field else str(bad), 422)
    except RefusedError as refused:  # an overlapping live run: nothing claimed
        return _page(request, who, typed, {}, str(refused), 409)
    executor.submit(run_id)  # only now is the claim committed for the executor to read
    return see_other(f"/runs/{run_id}")


def run_request(typed: dict[str, str]) -> RunRequest:
    """The form's text as the API's body, validated by the same model (its messages name the
    field, the value and the rule)."""
    if typed["mode"] not in MODES:
        raise InputError(
            f"mode: {typed['mode']!r} is neither fresh nor minimal_change", field="mode"
        )
    values: dict[str, Any] = {
        "kind": typed["kind"],
        "academic_year": _number(typed, "academic_year", int),
        "block": _number(typed, "block", int) if typed["kind"] == "block" else None,
        "time_limit_s": _number(typed, "time_limit_s", float),
        "minimal_change": typed["mode"] == "minimal_change",
        "first_feasible": bool(typed["first_feasible"]),
    }
    try:
        return RunRequest.model_validate(values)
    except ValidationError as invalid:
        problem = invalid.errors()[0]
        field = str(problem["loc"][0]) if problem["loc"] else "kind"
        raise InputError(
            f"{field}: {typed.get(field, '')!r}: {problem['msg']}", field=field
        ) from None


def _number(typed: dict[str, str], field: str, kind: type[int] | type[float]) -> Any:
    text = typed[field].strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number of seconds"
        raise InputError(f"{field}: {text!r} is not {what}", field=field) from None


def _page(
    request: Request,
    who: Principal,
    typed: dict[str, str],
    errors: dict[str, str] | None = None,
    problem: str = "",
    status: int = 200,
) -> Response:
    return render(
        request,
        "runs/generate.html",
        who,
        status=status,
        title="Generate",
        typed=typed,
        errors=errors or {},
        problem=problem,
        defaults=DEFAULT_TIME_LIMIT_S,
        blocks=range(1, 14),
    )
