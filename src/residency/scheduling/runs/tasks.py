"""Background jobs of the run lifecycle: thin, they take an id (or nothing) and call the
service layer.

A worker process killed in the middle of a solve leaves its run "running" and its task
unacknowledged; Celery hands the task out again (late acknowledgement, rejection on a lost
worker). The task that arrives then for a running run whose process is gone retries it once,
from the start; a second loss ends it failed. A run whose process is alive is left to it."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from celery import shared_task
from sqlalchemy import delete
from sqlalchemy.orm import Session

from residency import clock
from residency.config import get_settings
from residency.db import unit_of_work
from residency.errors import ResidencyError
from residency.scheduling import repository as repo
from residency.scheduling.models import RunProgressPoint, RunStatus, ScheduleRun
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.lifecycle import end_run, fail_abandoned_runs, process_alive
from residency.scheduling.runs.progress import HEARTBEAT_EVERY_S
from residency.scheduling.runs.retention import prune_progress
from residency.scheduling.runs.versions import get_run

log = logging.getLogger("residency.worker")
RETRIES = 1
# A run whose heartbeat is this old has no live process, wherever it ran (several beats missed).
SILENT_AFTER_S = 3 * HEARTBEAT_EVERY_S


@shared_task(name="residency.runs.execute")  # type: ignore[misc]  # celery is untyped
def execute(run_id: int) -> None:
    """Execute a claimed run. A run that is gone or has ended is left alone (a task handed over
    again after its run was failed or cancelled meanwhile)."""
    with unit_of_work() as session:
        try:
            run = get_run(session, run_id)
        except ResidencyError:
            log.warning("run %s: no such run; nothing to do", run_id)
            return
        if run.status == RunStatus.RUNNING and not _lost(run):
            log.warning("run %s is running in a live process; nothing to do", run_id)
            return
        if run.status == RunStatus.RUNNING and not _retry(session, run):
            return
        if run.status != RunStatus.QUEUED:
            log.warning("run %s is %s, not queued; nothing to do", run_id, run.status.value)
            return
        # Where it runs, for `GET /api/v1/runs/{id}` and for a restart on this host.
        worker = {"executor": "celery", "host": socket.gethostname(), "pid": os.getpid()}
        run.parameters = {**(run.parameters or {}), "claimed_by": worker}
    try:
        execute_run(run_id)
    except ResidencyError as exc:  # the run records why it ended
        log.warning("run %s ended: %s", run_id, exc)
    except Exception:  # recorded as failed too; a chain goes on, and its next run says why
        log.exception("run %s failed", run_id)


@shared_task(name="residency.runs.fail_abandoned")  # type: ignore[misc]
def fail_abandoned() -> None:
    """Every minute (beat): live runs whose process stopped, however it stopped, end failed."""
    with unit_of_work() as session:
        failed = fail_abandoned_runs(session)
    if failed:
        log.warning("runs %s: abandoned by their processes; marked failed", failed)


def _lost(run: ScheduleRun) -> bool:
    label = (run.parameters or {}).get("claimed_by") or {}
    if label.get("host") == socket.gethostname() and isinstance(label.get("pid"), int):
        return not process_alive(label["pid"])
    beat = repo.aware(run.heartbeat_at or run.started_at)
    return (repo.now() - beat).total_seconds() > SILENT_AFTER_S


def _retry(session: Session, run: ScheduleRun) -> bool:
    """Back to the queue once (its progress of the lost attempt goes); else it ends failed."""
    retries = int((run.parameters or {}).get("retries", 0))
    if retries >= RETRIES:
        end_run(session, run, RunStatus.FAILED, "its worker was lost again while solving it")
        log.warning("run %s: its worker was lost again; marked failed", run.id)
        return False
    session.execute(delete(RunProgressPoint).where(RunProgressPoint.run_id == run.id))
    run.status, run.progress = RunStatus.QUEUED, None
    run.parameters = {**(run.parameters or {}), "retries": retries + 1}
    run.message = "retried: the worker solving it was lost"
    session.flush()
    log.warning("run %s: its worker was lost while solving it; retrying", run.id)
    return True


@shared_task(name="residency.runs.prune_progress")  # type: ignore[misc]  # celery is untyped
def prune_old_progress() -> None:
    """Nightly: the progress curves of runs that ended more than
    RESIDENCY_PROGRESS_RETENTION_DAYS ago."""
    before = clock.now() - timedelta(days=get_settings().progress_retention_days)
    with unit_of_work() as session:
        removed = prune_progress(session, before)
    log.info("progress prune: removed %s points of runs ended before %s", removed, before)
