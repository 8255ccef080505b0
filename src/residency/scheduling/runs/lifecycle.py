"""A run's life: queued when claimed, running while its process works (with a heartbeat,
runs/progress.py), then succeeded, infeasible, failed or cancelled. Every function takes the
caller's session and never commits.

One run at a time per range: a claim is refused while a live run of the same kind overlaps
its dates, and the database itself refuses a second running run over overlapping dates
(migration 0006), so two workers that start at the same moment cannot both solve. A live run
whose heartbeat stopped belongs to a process that died: it is marked failed by the next claim
that meets it, instead of blocking the range forever."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from residency.audit.service import record
from residency.errors import RefusedError
from residency.scheduling import repository as repo
from residency.scheduling.models import LIVE_STATUSES, RunKind, RunStatus, ScheduleRun
from residency.scheduling.runs.versions import current_base, get_run, run_scope

ONE_RUNNING_PER_RANGE = "schedule_runs_one_running_per_range"  # migration 0006's name
# A running run silent for this long has lost its process (many missed beats, not one).
HEARTBEAT_TIMEOUT = timedelta(seconds=60)
# A queued run waits for an executor; one never picked up in this time was lost with it.
QUEUE_TIMEOUT = timedelta(minutes=30)


def new_run(
    session: Session,
    kind: RunKind,
    academic_year: int,
    block_number: int | None,
    span: tuple[date, date],
    parameters: dict[str, Any],
    fingerprint: str,
    claimed_by: Mapping[str, object] | None = None,
) -> ScheduleRun:
    """Record a queued run for the range, refusing while a live one overlaps it. The claim is
    audited; the run's own progress and end are not (the run row records them).

    `claimed_by` names the process that will execute it (an executor's label: host and pid),
    so a server restarting on that host can fail the runs its predecessor left live."""
    start, end = span
    refuse_if_live(session, kind, start, end)
    if claimed_by is not None:
        parameters = parameters | {"claimed_by": dict(claimed_by)}
    moment = repo.now()
    run = ScheduleRun(
        kind=kind,
        academic_year=academic_year,
        block_number=block_number,
        start_date=start,
        end_date=end,
        status=RunStatus.QUEUED,
        parameters=parameters,
        metrics={},
        constraint_fingerprint=fingerprint,
        started_at=moment,
        heartbeat_at=moment,  # base_run_id and base_revision: set when built (record_base)
        message="",
    )
    session.add(run)
    session.flush()
    _audit_claim(session, run)
    return run


def _audit_claim(session: Session, run: ScheduleRun) -> None:
    scope = {"kind": run.kind, "academic_year": run.academic_year, "block_number": run.block_number}
    span = {"start_date": run.start_date, "end_date": run.end_date}
    after = {**scope, **span, "parameters": run.parameters}
    record(session, "run.claim", "schedule_run", run.id, after=after)


class OverlappingRun(RefusedError):
    """Another live run holds an overlapping range."""


def refuse_if_live(
    session: Session, kind: RunKind, start: date, end: date, before_id: int | None = None
) -> None:
    for run in repo.live_runs(session, kind, start, end):
        if before_id is not None and run.id >= before_id:
            continue
        if is_abandoned(run):
            end_run(session, run, RunStatus.FAILED, abandoned_message(run))
        else:
            raise OverlappingRun(running_message(run))


def fail_abandoned_runs(session: Session) -> list[int]:
    """End failed every live run whose process stopped (no heartbeat, or never picked up)."""
    failed = []
    live = session.scalars(select(ScheduleRun).where(ScheduleRun.status.in_(LIVE_STATUSES)))
    for run in live:
        if is_abandoned(run):
            end_run(session, run, RunStatus.FAILED, abandoned_message(run))
            failed.append(run.id)
    return failed


def process_alive(pid: int) -> bool:
    """Whether a process of this host with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def is_abandoned(run: ScheduleRun) -> bool:
    last = repo.aware(run.heartbeat_at or run.started_at)
    limit = HEARTBEAT_TIMEOUT if run.status == RunStatus.RUNNING else QUEUE_TIMEOUT
    return last + limit < repo.now()


def abandoned_message(run: ScheduleRun) -> str:
    last = repo.aware(run.heartbeat_at or run.started_at)
    return (
        f"abandoned: {run.status.value} with no heartbeat since {last:%Y-%m-%d %H:%M:%S} UTC "
        "(its process stopped)"
    )


def running_message(run: ScheduleRun) -> str:
    what = f"block {run.block_number}" if run.block_number else f"the {run.academic_year} plan"
    return (
        f"schedule run {run.id} for {run.start_date}..{run.end_date} ({what}) is still "
        f"{run.status.value} since {repo.aware(run.started_at):%Y-%m-%d %H:%M} UTC; wait for it "
        "to finish before starting an overlapping run"
    )


def record_base(session: Session, run: ScheduleRun) -> None:
    """The published version the run's draft is built on: read when it is built (a queued run
    may wait while someone publishes), in the transaction that reads the rest."""
    base = current_base(session, run_scope(run))
    run.base_run_id, run.base_revision = base.run_id, base.revision
    session.flush()


def start_run(session: Session, run_id: int) -> ScheduleRun:
    """queued -> running. Two claims committed at the same moment both pass `new_run`: the
    lower id goes ahead and this one is refused with `OverlappingRun` (the caller ends it
    failed, in a transaction of its own: this one rolls back)."""
    run = get_run(session, run_id)
    if run.status != RunStatus.QUEUED:
        raise RefusedError(f"run {run.id} is {run.status.value}, not queued; it cannot start")
    refuse_if_live(session, RunKind(run.kind), run.start_date, run.end_date, before_id=run.id)
    run.status, run.heartbeat_at = RunStatus.RUNNING, repo.now()
    try:
        session.flush()
    except IntegrityError as exc:  # another process started an overlapping run meanwhile
        if ONE_RUNNING_PER_RANGE not in str(exc):
            raise
        raise OverlappingRun(
            f"run {run_id} not started: another run of this kind started over overlapping "
            "dates at the same moment (the database allows one running run per range)"
        ) from None
    return run


def end_run(
    session: Session,
    run: ScheduleRun,
    status: RunStatus,
    message: str,
    metrics: dict[str, Any] | None = None,
) -> None:
    if run.status not in LIVE_STATUSES:
        return  # already ended (e.g. marked abandoned by another claim)
    run.status, run.message, run.finished_at = status, message[:1000], repo.now()
    if metrics is not None:
        run.metrics = metrics
    following = (run.parameters or {}).get("next_run")
    if isinstance(following, int):  # its wait in the queue starts now (runs/chain.py)
        session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == following, ScheduleRun.status == RunStatus.QUEUED)
            .values(heartbeat_at=repo.now())
        )
    session.flush()


def cancel_run(session: Session, run_id: int) -> ScheduleRun:
    """Ask a live run to stop. A queued run ends cancelled at once; a running one is stopped by
    the process that solves it, wherever it is, when its watcher next reads the request
    (runs/progress.py). The request is recorded on a queued run too: a worker that took it at
    this very moment then stops at once instead of solving a cancelled run."""
    run = get_run(session, run_id)
    if run.status not in LIVE_STATUSES:
        raise RefusedError(
            f"run {run.id} is {run.status.value}: it has ended, there is nothing to cancel"
        )
    record(session, "run.cancel", "schedule_run", run.id, before={"status": run.status.value})
    if run.cancel_requested_at is None:
        run.cancel_requested_at = repo.now()
    if run.status == RunStatus.QUEUED:
        end_run(session, run, RunStatus.CANCELLED, "cancelled before it started; nothing solved")
    elif is_abandoned(run):  # no process is left to hear the request
        end_run(session, run, RunStatus.CANCELLED, f"cancelled; {abandoned_message(run)}")
    session.flush()
    return run
