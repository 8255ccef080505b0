"""Following and stopping a run (its events as a stream, cancel), and starting a chain of
blocks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import StreamingResponse

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.errors import InputError
from residency.scheduling.block.service import GenerateRequest
from residency.scheduling.models import RunStatus
from residency.scheduling.runs.api import DEFAULT_TIME_LIMIT_S, require_year, run_out
from residency.scheduling.runs.chain import claim_blocks_in_order
from residency.scheduling.runs.lifecycle import cancel_run
from residency.scheduling.runs.report import run_detail
from residency.scheduling.runs.schemas import BlocksRequest, RunOut, RunsStarted
from residency.scheduling.runs.stream import run_events
from residency.scheduling.runs.versions import get_run
from residency.web.deps import allow, engine_of, transaction
from residency.web.fields import located
from residency.web.params import MAX_ID, RunId

router = APIRouter(prefix="/api/v1", tags=["runs"])
EVENT_STREAM: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/event-stream": {}}, "description": "the event stream"}
}


@router.post("/runs/{run_id}/cancel", response_model=RunOut, status_code=202)
def cancel(
    run_id: RunId, request: Request, who: Principal = Depends(allow(Permission.RUN_SCHEDULES))
) -> RunOut:
    """Stops a queued or running run. A queued run ends cancelled at once; a running one stops
    within about a second wherever it is solved (poll the run or its events): if it had found a
    schedule, that is kept as a draft that can be inspected and published. A run that has
    ended: 409."""
    with transaction(request, who) as session, located(run="run_id"):
        cancel_run(session, run_id)
        detail = run_detail(session, run_id)
    return run_out(detail)


@router.get("/runs/{run_id}/events", response_class=StreamingResponse, responses=EVENT_STREAM)
def events(
    run_id: RunId,
    request: Request,
    last_event_id: str | None = Header(
        None, alias="Last-Event-ID", description="resume after this progress point"
    ),
    who: Principal = Depends(allow(Permission.RUN_SCHEDULES)),
) -> StreamingResponse:
    """Server-sent events: `progress` (objective, bound, gap, elapsed, stage) as each is
    written, `status` when the run's state changes, then `end`, and the stream closes."""
    after = _point_id(last_event_id)
    with transaction(request, who) as session, located(run="run_id"):
        get_run(session, run_id)  # an unknown run is a 404, not an empty stream
    return StreamingResponse(
        run_events(engine_of(request), run_id, after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _point_id(text: str | None) -> int:
    if text is None:
        return 0
    if not (text.isascii() and text.isdigit() and int(text) <= MAX_ID):
        raise InputError(
            f"Last-Event-ID: {text[:40]!r} is not an event id this stream sent (a number)",
            field="Last-Event-ID",
        )
    return int(text)


@router.post("/run-chains", response_model=RunsStarted, status_code=202)
def start_blocks(
    body: BlocksRequest,
    request: Request,
    who: Principal = Depends(allow(Permission.RUN_SCHEDULES)),
) -> RunsStarted:
    """Generates blocks first_block..last_block of a year in block order, each from the
    previous block's new draft: one queued run per block, executed one after another. A block
    without a schedule stops the rest (each later run ends failed, saying why)."""
    if body.last_block < body.first_block:
        raise InputError(
            f"last_block: {body.last_block} comes before first_block {body.first_block}",
            field="last_block",
        )
    executor = request.app.state.executor
    generate = GenerateRequest(
        body.academic_year,
        body.first_block,
        body.time_limit_s or DEFAULT_TIME_LIMIT_S["block"],
        first_feasible=body.first_feasible,
    )
    blocks = range(body.first_block, body.last_block + 1)
    with transaction(request, who) as session:
        require_year(session, body.academic_year)
        ids = claim_blocks_in_order(session, generate, blocks, executor.label())
    executor.submit_in_order(ids)  # only now are the claims committed for the executor
    return RunsStarted(ids=ids, status=RunStatus.QUEUED)
