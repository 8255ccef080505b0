"""While a run solves, one watcher thread in its process keeps the database and the solve in
touch, in short transactions of its own (the solve runs with no transaction open):

- progress: the latest improving solution (or better bound) is written at most once a second,
  to the run's `progress` and as one more point of its curve (`run_progress_points`);
- cancel: `cancel_requested_at`, set by whoever cancels (any process, any machine), is read
  twice a second and stops the solve;
- heartbeat: `heartbeat_at` moves at least every few seconds, so a run whose process died is
  told from one that works.

The database is the one channel: it reaches a worker on another machine as it reaches the
server's own threads, with or without Redis."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from residency.scheduling import repository as repo
from residency.scheduling.engine.progress import Progress, SolveControl
from residency.scheduling.models import RunProgressPoint, RunStatus, ScheduleRun

log = logging.getLogger("residency.runs")

POLL_S = 0.5  # a cancel reaches the solve within this, plus CP-SAT's own stop
PROGRESS_EVERY_S = 1.0
HEARTBEAT_EVERY_S = 5.0


def progress_json(progress: Progress, found_at: datetime) -> dict[str, Any]:
    found = asdict(progress)
    found["elapsed_s"] = round(progress.elapsed_s, 3)
    found["found_at"] = found_at.isoformat()  # when the solver reported it (not written)
    return found


class RunMonitor:
    def __init__(
        self,
        engine: Engine,
        run_id: int,
        listener: Callable[[Progress], None] | None = None,
    ) -> None:
        self.engine, self.run_id, self.listener = engine, run_id, listener
        self.control = SolveControl(self._improved)
        self._lock = threading.Lock()
        self._pending: tuple[Progress, datetime] | None = None
        self._written_at = self._beat_at = 0.0

    @property
    def cancelled(self) -> bool:
        return self.control.stop_requested

    def _improved(self, progress: Progress) -> None:
        """From the solver's thread: keep it for the next write; never touch the database."""
        with self._lock:
            self._pending = (progress, repo.now())
        if self.listener is not None:
            self.listener(progress)

    def tick(self, final: bool = False) -> None:
        """One visit: read a cancel, write the progress and the heartbeat when due."""
        moment = time.monotonic()
        with self._lock:
            due = self._pending is not None and (
                final or moment - self._written_at >= PROGRESS_EVERY_S
            )
            taken, self._pending = (self._pending, None) if due else (None, self._pending)
        beat = taken is not None or moment - self._beat_at >= HEARTBEAT_EVERY_S
        this_run = ScheduleRun.id == self.run_id
        with self.engine.begin() as connection:
            asked = connection.scalar(select(ScheduleRun.cancel_requested_at).where(this_run))
            if asked is not None:
                self.control.request_stop()
            if not beat:
                return
            values: dict[str, Any] = {"heartbeat_at": repo.now()}
            if taken is not None:
                progress, found_at = taken
                values["progress"] = progress_json(progress, found_at)
                connection.execute(insert(RunProgressPoint).values(_point(self.run_id, progress)))
            connection.execute(
                update(ScheduleRun)
                .where(this_run, ScheduleRun.status == RunStatus.RUNNING)
                .values(**values)
            )
        self._beat_at = moment
        if taken is not None:
            self._written_at = moment

    @contextmanager
    def watching(self) -> Iterator[SolveControl]:
        # A first visit before the solve: a run cancelled while its worker took it from the
        # queue stops before it searches at all.
        self._tick_logged()
        stop = threading.Event()

        def watch() -> None:
            while not stop.wait(POLL_S):
                self._tick_logged()

        thread = threading.Thread(target=watch, name=f"watch-run-{self.run_id}", daemon=True)
        thread.start()
        try:
            yield self.control
        finally:
            stop.set()
            thread.join()
            self._tick_logged(final=True)  # the curve ends at the last solution found

    def _tick_logged(self, final: bool = False) -> None:
        try:
            self.tick(final)
        except Exception:  # a database hiccup must not end the solve; the next visit retries
            log.exception("run %s: could not record progress", self.run_id)


def _point(run_id: int, progress: Progress) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "recorded_at": repo.now(),
        "elapsed_s": progress.elapsed_s,
        "stage": progress.stage[:200],
        "objective": progress.objective,
        "bound": progress.bound,
        "gap": progress.gap,
        "solutions": progress.solutions,
    }


def points_after(session: Session, run_id: int, after_id: int = 0) -> list[RunProgressPoint]:
    """The run's progress points, oldest first (after the point `after_id`: a stream resuming)."""
    return list(
        session.scalars(
            select(RunProgressPoint)
            .where(RunProgressPoint.run_id == run_id, RunProgressPoint.id > after_id)
            .order_by(RunProgressPoint.id)
        )
    )


def point_json(point: RunProgressPoint) -> dict[str, Any]:
    return {
        "stage": point.stage,
        "elapsed_s": round(point.elapsed_s, 3),
        "objective": point.objective,
        "bound": point.bound,
        "gap": point.gap,
        "solutions": point.solutions,
        "recorded_at": repo.aware(point.recorded_at).isoformat(),
    }


def progress_curve(session: Session, run_id: int) -> list[dict[str, Any]]:
    return [point_json(point) for point in points_after(session, run_id)]
