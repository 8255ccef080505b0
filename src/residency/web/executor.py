"""Two executors behind one `submit(run_id)`, called after the claim has committed; only the
id crosses over. Without RESIDENCY_REDIS_URL, the API process runs `execute_run(run_id)` on a
small thread pool (the embedded default, one process doing everything); with it, the run is a
Celery task that a `residency worker` executes (residency/worker.py). The API does not know
which one it has.

Runs this process claims record its host and process id; a server starting on the same host
fails the live runs of a process that no longer exists, so none is left "running" forever."""

from __future__ import annotations

import logging
import os
import socket
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, select

from residency.config import Settings
from residency.db import unit_of_work
from residency.errors import EnvironmentProblem, ResidencyError
from residency.scheduling.models import LIVE_STATUSES, RunStatus, ScheduleRun
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.lifecycle import end_run, process_alive
from residency.scheduling.runs.versions import get_run

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

    def submit_in_order(self, run_ids: list[int]) -> None:
        """One after another on one thread: each may build on the one before."""
        self.pool.submit(self._execute_in_order, run_ids)

    def _execute_in_order(self, run_ids: list[int]) -> None:
        for run_id in run_ids:
            self._execute(run_id)

    def _execute(self, run_id: int) -> None:
        try:
            execute_run(run_id, self.engine)
        except ResidencyError as exc:  # the run records why it ended; the log says it too
            log.warning("run %s ended: %s", run_id, exc)
        except Exception:
            log.exception("run %s failed", run_id)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class CeleryExecutor:
    """Hands runs to the task queue. If Redis does not take the task, the run is failed at
    once (never left queued for nobody) and the caller hears 503."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def label(self) -> dict[str, object]:
        return {"executor": "celery"}  # the worker that takes it adds its host

    def submit(self, run_id: int) -> None:
        self.submit_in_order([run_id])

    def submit_in_order(self, run_ids: list[int]) -> None:
        """A Celery chain: each task is sent when the one before has ended."""
        from celery import chain

        from residency.worker import EXECUTE_RUN, celery_app  # Celery only when configured

        app = celery_app()
        # By name through this app: a task's own default app would pick another broker.
        tasks = [app.signature(EXECUTE_RUN, args=[run_id], immutable=True) for run_id in run_ids]
        try:
            if len(tasks) == 1:
                tasks[0].apply_async(retry=False)
            else:
                chain(*tasks).apply_async(retry=False)
        except Exception as exc:  # kombu's errors for an unreachable broker vary
            message = f"the task queue (Redis) did not take the run: {type(exc).__name__}"
            with unit_of_work(self.engine) as session:
                for run_id in run_ids:
                    end_run(session, get_run(session, run_id), RunStatus.FAILED, message)
            listed = ", ".join(str(run_id) for run_id in run_ids)
            raise EnvironmentProblem(
                f"task queue unavailable: {message}; run {listed} was not started "
                "(check RESIDENCY_REDIS_URL and that Redis runs)"
            ) from None

    def shutdown(self) -> None:
        """Nothing to stop here: the queued tasks live in Redis, the work in the workers."""


def executor_for(engine: Engine, settings: Settings) -> LocalExecutor | CeleryExecutor:
    if settings.redis_url:
        return CeleryExecutor(engine)
    return LocalExecutor(engine, settings.run_threads)


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
    return process_alive(pid)
