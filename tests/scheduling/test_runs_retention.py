"""The nightly prune of progress curves, through the task's body: the points of runs that
ended more than RESIDENCY_PROGRESS_RETENTION_DAYS ago go; a recent run's curve, and a live
run's however old, stay."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from residency import clock
from residency.db import unit_of_work
from residency.scheduling.models import RunKind, RunProgressPoint, RunStatus, ScheduleRun
from residency.scheduling.runs import tasks

DAY = timedelta(days=1)


def _run_with_curve(
    engine: Engine, status: RunStatus, started: datetime, finished: datetime | None
) -> int:
    with unit_of_work(engine) as session:
        run = ScheduleRun(
            kind=RunKind.BLOCK_SCHEDULE,
            academic_year=2025,
            block_number=10,
            start_date=date(2026, 3, 10),
            end_date=date(2026, 4, 6),
            status=status,
            started_at=started,
            finished_at=finished,
        )
        session.add(run)
        session.flush()
        for second in range(3):
            session.add(
                RunProgressPoint(
                    run_id=run.id,
                    recorded_at=started + timedelta(seconds=second),
                    elapsed_s=float(second),
                    stage="block",
                    objective=100.0 - second,
                    bound=90.0,
                    gap=0.1,
                    solutions=second + 1,
                )
            )
        return run.id


def test_old_curves_go_and_recent_or_live_ones_stay(
    cli_db: str, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESIDENCY_PROGRESS_RETENTION_DAYS", "30")
    now = clock.now()
    old = _run_with_curve(db_engine, RunStatus.SUCCEEDED, now - 40 * DAY, now - 40 * DAY)
    recent = _run_with_curve(db_engine, RunStatus.CANCELLED, now - 29 * DAY, now - 29 * DAY)
    live = _run_with_curve(db_engine, RunStatus.QUEUED, now - 60 * DAY, None)

    tasks.prune_old_progress.run()

    with unit_of_work(db_engine) as session:
        points = dict(
            session.execute(
                select(RunProgressPoint.run_id, func.count()).group_by(RunProgressPoint.run_id)
            ).all()
        )
        assert points == {recent: 3, live: 3}
        assert session.get(ScheduleRun, old) is not None  # the run and its outcome stay
