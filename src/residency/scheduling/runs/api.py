"""Run routes: start a run of a block or the year (claimed in the request's transaction,
executed after commit by the app's executor), follow it, compare its draft, publish it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.calendar.service import academic_year_row
from residency.errors import InputError, NotFoundError
from residency.scheduling.annual.service import claim_annual
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.models import RunKind, RunStatus
from residency.scheduling.runs.diff import diff_run
from residency.scheduling.runs.modes import solve_mode
from residency.scheduling.runs.report import run_detail, runs_listing
from residency.scheduling.runs.schemas import (
    AnnualResult,
    BlockResult,
    DiffOut,
    Progress,
    PublishOut,
    PublishRequest,
    RunOut,
    RunRequest,
    RunStarted,
    RunSummary,
)
from residency.scheduling.runs.versions import get_run, publish
from residency.web import idempotency
from residency.web.deps import allow, transaction
from residency.web.fields import located, naming
from residency.web.params import MAX_ID, RunId

router = APIRouter(prefix="/api/v1", tags=["runs"])
KINDS = {"block": RunKind.BLOCK_SCHEDULE, "annual": RunKind.ANNUAL_PLAN}
DEFAULT_TIME_LIMIT_S = {"block": 60.0, "annual": 30.0}  # as `generate` and `plan year`
KindQuery = Literal["block", "annual"] | None
KEY = Header(
    None,
    alias=idempotency.HEADER,
    description="Sent again with the same body, replays the first answer (no second effect).",
)


@router.post("/runs", response_model=RunStarted, status_code=202)
def start_run(
    body: RunRequest,
    request: Request,
    response: Response,
    idempotency_key: str | None = KEY,
    who: Principal = Depends(allow(Permission.RUN_SCHEDULES)),
) -> RunStarted:
    """Claims a queued run and starts it in the background: poll the Location it answers."""
    once = idempotency.Once.of(request, who.user_id, idempotency_key, body)
    executor = request.app.state.executor
    with transaction(request, who) as session:
        earlier = once.earlier_answer(session)
        answer = earlier or _claimed(session, body, once, executor.label())
    started = RunStarted.model_validate(answer.body)
    if earlier is None:  # only now is the claim committed for the executor to read
        executor.submit(started.id)
    response.status_code = answer.status_code
    response.headers["Location"] = f"/api/v1/runs/{started.id}"
    return started


@router.get("/runs", response_model=list[RunSummary])
def list_runs(
    request: Request,
    kind: KindQuery = Query(None, description="only block or annual runs"),
    who: Principal = Depends(allow(Permission.RUN_SCHEDULES)),
) -> list[RunSummary]:
    """Every run, newest first, each with a one-line result."""
    with transaction(request, who) as session:
        found = runs_listing(session, None if kind is None else KINDS[kind])
    return [RunSummary.model_validate(run) for run in found]


@router.get("/runs/{run_id}", response_model=RunOut)
def read_run(
    run_id: RunId, request: Request, who: Principal = Depends(allow(Permission.RUN_SCHEDULES))
) -> RunOut:
    with transaction(request, who) as session, located(run="run_id"):
        detail = run_detail(session, run_id)
    return run_out(detail)


@router.get("/runs/{run_id}/diff", response_model=DiffOut)
def diff(
    run_id: RunId,
    request: Request,
    against: str = Query(
        "published", max_length=20, description="'published' or another run of its scope"
    ),
    who: Principal = Depends(allow(Permission.RUN_SCHEDULES)),
) -> DiffOut:
    """What publishing the run would change, one line per cell, and the count per person."""
    other = None if against == "published" else _run_id(against)
    with transaction(request, who) as session:
        with located(run="run_id"):
            get_run(session, run_id)
        with naming("against"):  # the other run: unknown, or of another scope
            found = diff_run(session, run_id, other)
    return DiffOut.model_validate(found.as_json())


@router.post("/runs/{run_id}/publish", response_model=PublishOut)
def publish_run(
    run_id: RunId,
    request: Request,
    body: PublishRequest | None = None,
    idempotency_key: str | None = KEY,
    who: Principal = Depends(allow(Permission.PUBLISH)),
) -> PublishOut:
    """Makes the run's version the published one of its block or year (history is kept).
    Over a newer published version than the run was built on: refused unless `force`."""
    wanted = body or PublishRequest()
    once = idempotency.Once.of(request, who.user_id, idempotency_key, wanted)
    with transaction(request, who) as session:
        earlier = once.earlier_answer(session)
        answer = earlier or once.remember(session, 200, _published(session, run_id, wanted))
    return PublishOut.model_validate(answer.body)


def _published(session: Session, run_id: int, body: PublishRequest) -> PublishOut:
    with located(run="run_id"):
        get_run(session, run_id)
    done = publish(session, run_id, force=body.force)
    return PublishOut(
        run_id=done.run_id,
        scope=done.scope,
        previous_run_id=done.previous_run_id,
        revision=done.revision,
        forced=done.forced,
    )


def _claimed(
    session: Session, body: RunRequest, once: idempotency.Once, claimed_by: Mapping[str, object]
) -> idempotency.Answer:
    run_id = claim(session, body, claimed_by)
    return once.remember(session, 202, RunStarted(id=run_id, status=RunStatus.QUEUED))


def claim(session: Session, body: RunRequest, claimed_by: Mapping[str, object]) -> int:
    """The level's claim for the body, recording who will execute the run."""
    _check_options(body)
    require_year(session, body.academic_year)
    limit = body.time_limit_s or DEFAULT_TIME_LIMIT_S[body.kind]
    if body.kind == "annual":
        mode = solve_mode(body.minimal_change, body.first_feasible)
        params = SolveParams(time_limit_s=limit, mode=mode)
        return claim_annual(session, body.academic_year, params, claimed_by=claimed_by)
    assert body.block is not None
    generate = GenerateRequest(
        body.academic_year,
        body.block,
        limit,
        minimal_change=body.minimal_change,
        first_feasible=body.first_feasible,
    )
    return claim_block(session, generate, claimed_by=claimed_by)


def _check_options(body: RunRequest) -> None:
    if body.kind == "block" and body.block is None:
        raise InputError("block: required when kind is block (1 to 13)", field="block")
    if body.kind == "annual" and body.block is not None:
        raise InputError("block: an annual run plans the whole year; send no block", field="block")
    if body.minimal_change and body.first_feasible:
        raise InputError(
            "first_feasible: a repair (minimal_change) searches for the fewest changes; send "
            "one of the two",
            field="first_feasible",
        )


def require_year(session: Session, academic_year: int) -> None:
    try:
        academic_year_row(session, academic_year)
    except NotFoundError as missing:  # a field of the body, not the resource asked for
        raise InputError(str(missing), field="academic_year") from None


def _run_id(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID):
        raise InputError(f"against: {text!r} is neither 'published' nor a run id", field="against")
    return int(text)


def run_out(detail: dict[str, Any]) -> RunOut:
    result = detail["result"]
    level = AnnualResult if detail["kind"] == RunKind.ANNUAL_PLAN else BlockResult
    return RunOut.model_validate(
        detail
        | {
            "progress": Progress.model_validate(detail),
            "executor": detail["parameters"].get("claimed_by"),
            "result": None if result is None else level.model_validate(result),
        }
    )
