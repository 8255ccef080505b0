"""A run's page, `/runs/{id}`: its state, parameters and executor; while it is queued or
running, the latest solver figures and a chart of objective and bound (run-progress.js follows
the run's event stream and, at its end, fetches the page again in place); once it has ended,
the result in words, the diff against the published version and a publish button. Cancel and
publish are plain forms (CSRF) calling the services the API calls, then 303 back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request, Response
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.errors import InputError, RefusedError
from residency.scheduling.models import LIVE_STATUSES, RunKind, RunStatus
from residency.scheduling.runs.api import run_out
from residency.scheduling.runs.chart import HEIGHT, WIDTH, chart_of
from residency.scheduling.runs.diff import Diff, diff_run
from residency.scheduling.runs.lifecycle import cancel_run
from residency.scheduling.runs.report import run_detail
from residency.scheduling.runs.versions import StaleVersion, publish
from residency.web.deps import transaction
from residency.web.page_deps import page_user, see_other
from residency.web.params import RunId
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
DIFF_LINES = 200  # a page lists this many changed cells; the count per person covers all


@router.get("/runs/{run_id}")
def run_page(
    run_id: RunId, request: Request, who: Principal = Depends(page_user(Permission.RUN_SCHEDULES))
) -> Response:
    return _page(request, who, run_id)


@router.post("/runs/{run_id}/cancel")
def cancel(
    run_id: RunId, request: Request, who: Principal = Depends(page_user(Permission.RUN_SCHEDULES))
) -> Response:
    try:
        with transaction(request, who) as session:
            cancel_run(session, run_id)
    except RefusedError as refused:  # it has ended meanwhile
        return _page(request, who, run_id, problem=str(refused), status=409)
    response = see_other(f"/runs/{run_id}")
    flash(response, "run_cancel_requested")
    return response


@router.post("/runs/{run_id}/publish")
def publish_page(
    run_id: RunId,
    request: Request,
    force: str = Form("", max_length=8),
    who: Principal = Depends(page_user(Permission.PUBLISH)),
) -> Response:
    try:
        with transaction(request, who) as session:
            publish(session, run_id, force=bool(force))
    except RefusedError as refused:  # stale (offer force), already published, no draft
        stale = isinstance(refused, StaleVersion)
        return _page(request, who, run_id, problem=str(refused), offer_force=stale, status=409)
    response = see_other(f"/runs/{run_id}")
    flash(response, "run_published")
    return response


def _page(
    request: Request,
    who: Principal,
    run_id: int,
    problem: str = "",
    offer_force: bool = False,
    status: int = 200,
) -> Response:
    with transaction(request, who) as session:
        detail = run_detail(session, run_id)
        run = run_out(detail)
        live = RunStatus(run.status) in LIVE_STATUSES
        has_draft = bool((detail["metrics"] or {}).get("has_schedule")) and not live
        diff = _diff(session, run_id) if has_draft else None
    context: dict[str, Any] = {
        "title": f"Run {run_id}",
        "run": run,
        "live": live,
        "has_draft": has_draft,
        "annual": run.kind == RunKind.ANNUAL_PLAN,
        "metrics": detail["metrics"] or {},
        "penalties": _penalties(detail["metrics"] or {}),
        "chart": chart_of(detail["curve"]),
        "chart_size": (WIDTH, HEIGHT),
        "diff": diff,
        "diff_lines": DIFF_LINES,
        "problem": problem,
        "offer_force": offer_force,
        "can_publish": allows(who.role, Permission.PUBLISH),
    }
    return render(request, "runs/run.html", who, status=status, **context)


def _diff(session: Session, run_id: int) -> Diff | None:
    try:
        return diff_run(session, run_id)
    except (InputError, RefusedError):  # nothing to compare: the page says so
        return None


def _penalties(metrics: dict[str, Any]) -> list[tuple[str, float]]:
    """Each soft rule that cost something, in words ("call fairness" for call_fairness)."""
    costs = metrics.get("penalties") or {}
    return [(name.replace("_", " "), value) for name, value in costs.items() if value]
