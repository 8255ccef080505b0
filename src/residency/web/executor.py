"""Runs claimed schedule runs in the API process on a small thread pool, after the claim has
committed, through the service layer's `execute_run(run_id)`: only the id crosses over. (The
worker issue adds a Celery executor behind the same `submit`.)

Runs this process claims record its host and process id; a server starting on the same host
fails the live runs of a process that no longer exists, so none is left "running" forever."""

from __future__ import annotations

import logging
import os
import socket
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, select

from residency.db import unit_of_work
from residency.errors import ResidencyError
from residency.scheduling.models import LIVE_STATUSES, RunStatus, ScheduleRun
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.lifecycle import end_run

log = logging.getLogger("residency.web.executor")


def executor_label() -> dict[str, object]:
    return {"executor": "local", "host": socket.gethostname(), "pid": os.getpid()}


class LocalExecutor:
    def __init__(self, engine: Engine, threads: int) -> None:
        self.engine = engine
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="run")

    def label(self) -> dict[str, object]:
        """What a claim records as `claimed_by` for the runs this executor will execute."""
        return executor_label()

    def submit(self, run_id: int) -> None:
        self.pool.submit(self._execute, run_id)

    def _execute(self, run_id: int) -> None:
        try:
            execute_run(run_id, self.engine)
        except ResidencyError as exc:  # the run records why it ended; the log says it too
            log.warning("run %s ended: %s", run_id, exc)
        except Exception:
            log.exception("run %s failed", run_id)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def fail_orphaned_runs(engine: Engine) -> list[int]:
    """Live runs claimed by a process of this host that is gone: mark them failed."""
    host = socket.gethostname()
    failed = []
    with unit_of_work(engine) as session:
        for run in session.scalars(
            select(ScheduleRun).where(ScheduleRun.status.in_(LIVE_STATUSES))
        ):
            label = (run.parameters or {}).get("claimed_by") or {}
            if label.get("host") == host and not _alive(label.get("pid")):
                end_run(
                    session,
                    run,
                    RunStatus.FAILED,
                    "the server that ran it stopped before it finished",
                )
                failed.append(run.id)
    return failed


def _alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return True  # not ours to judge: the heartbeat and queue timeouts catch it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True
