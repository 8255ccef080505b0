"""Background jobs of the run lifecycle: thin, they take an id (or nothing) and call the
service layer."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from celery import shared_task

from residency import clock
from residency.config import get_settings
from residency.db import unit_of_work
from residency.errors import ResidencyError
from residency.scheduling.models import RunStatus
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.retention import prune_progress
from residency.scheduling.runs.versions import get_run

log = logging.getLogger("residency.worker")


@shared_task(name="residency.runs.execute")  # type: ignore[misc]  # celery is untyped
def execute(run_id: int) -> None:
    """Execute a claimed run. A run that is gone or no longer queued is left alone (a task
    handed over again after its worker died, or one whose run was failed meanwhile)."""
    with unit_of_work() as session:
        try:
            run = get_run(session, run_id)
        except ResidencyError:
            log.warning("run %s: no such run; nothing to do", run_id)
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


@shared_task(name="residency.runs.prune_progress")  # type: ignore[misc]  # celery is untyped
def prune_old_progress() -> None:
    """Nightly: the progress curves of runs that ended more than
    RESIDENCY_PROGRESS_RETENTION_DAYS ago."""
    before = clock.now() - timedelta(days=get_settings().progress_retention_days)
    with unit_of_work() as session:
        removed = prune_progress(session, before)
    log.info("progress prune: removed %s points of runs ended before %s", removed, before)
