"""A run's progress is written to the database while it solves and read back by every door;
a cancel is a request in the database that the solving process obeys; the database itself
allows one running run per range (migration 0006)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from rich.console import Console
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fixtures.block_program import YEAR, seed
from residency.audit.models import AuditEvent
from residency.cli import main
from residency.db import unit_of_work
from residency.errors import RefusedError
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.engine.progress import Progress
from residency.scheduling.models import (
    Assignment,
    RunKind,
    RunProgressPoint,
    RunStatus,
    ScheduleRun,
)
from residency.scheduling.runs.bar import solve_bar
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.lifecycle import cancel_run
from residency.scheduling.runs.report import run_detail

# The first schedule that keeps every hard rule: quick, and progress reports it like any other.
REQUEST = GenerateRequest(YEAR, 10, time_limit_s=4, workers=2, seed=5, first_feasible=True)


def _claimed(engine: Engine, request: GenerateRequest = REQUEST) -> int:
    seed(engine)
    with unit_of_work(engine) as session:
        return claim_block(session, request)


def test_a_run_records_its_progress_and_the_curve_every_door_reads(db_engine: Engine) -> None:
    run_id = _claimed(db_engine)
    heard = []
    outcome = execute_run(run_id, db_engine, listener=heard.append)
    assert outcome.status == RunStatus.SUCCEEDED and heard
    with unit_of_work(db_engine) as session:
        detail = run_detail(session, run_id)
    latest, curve = detail["solver"], detail["curve"]
    assert latest["objective"] == outcome.metrics["objective"] == curve[-1]["objective"]
    assert latest["solutions"] >= 1 and latest["stage"]
    assert [p["solutions"] for p in curve] == sorted(p["solutions"] for p in curve)


def test_a_queued_run_cancelled_ends_at_once_audited_and_no_worker_solves_it(
    db_engine: Engine,
) -> None:
    run_id = _claimed(db_engine)
    with unit_of_work(db_engine) as session:
        assert cancel_run(session, run_id).status == RunStatus.CANCELLED
    with pytest.raises(RefusedError, match="not queued"):
        execute_run(run_id, db_engine)  # the task that arrives later does nothing
    with Session(db_engine) as session:
        run = session.get_one(ScheduleRun, run_id)
        assert run.status == RunStatus.CANCELLED and "nothing solved" in run.message
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == str(run_id))
        ).all()
    assert list(actions) == ["run.claim", "run.cancel"]


def test_a_run_cancelled_as_its_worker_takes_it_stops_before_searching_and_saves_nothing(
    db_engine: Engine,
) -> None:
    run_id = _claimed(db_engine)
    # The cancel's request is recorded, but the worker's start won the race for the status.
    with db_engine.begin() as connection:
        connection.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id)
            .values(cancel_requested_at=func.now())
        )
    outcome = execute_run(run_id, db_engine)
    assert outcome.status == RunStatus.CANCELLED
    with Session(db_engine) as session:
        run = session.get_one(ScheduleRun, run_id)
        assert run.status == RunStatus.CANCELLED and "nothing was saved" in run.message
        drafted = session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.schedule_run_id == run_id)
        )
        points = session.scalar(
            select(func.count())
            .select_from(RunProgressPoint)
            .where(RunProgressPoint.run_id == run_id)
        )
    assert drafted == 0 and points == 0


def test_an_ended_run_cannot_be_cancelled(db_engine: Engine) -> None:
    run_id = _claimed(db_engine)
    execute_run(run_id, db_engine)
    with unit_of_work(db_engine) as session, pytest.raises(RefusedError, match="has ended"):
        cancel_run(session, run_id)


def _run_row(session: Session, start: date, end: date, kind: RunKind) -> ScheduleRun:
    run = ScheduleRun(
        kind=kind,
        academic_year=YEAR,
        block_number=None,
        start_date=start,
        end_date=end,
        status=RunStatus.QUEUED,
        parameters={},
        metrics={},
        started_at=func.now(),
    )
    session.add(run)
    session.flush()
    return run


def _set_running(engine: Engine, run_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(ScheduleRun).where(ScheduleRun.id == run_id).values(status=RunStatus.RUNNING)
        )


def test_the_database_refuses_a_second_running_run_over_overlapping_dates(
    db_engine: Engine,
) -> None:
    block = RunKind.BLOCK_SCHEDULE
    with unit_of_work(db_engine) as session:
        first = _run_row(session, date(2026, 3, 1), date(2026, 3, 28), block).id
        overlapping = _run_row(session, date(2026, 3, 28), date(2026, 4, 24), block).id
        after = _run_row(session, date(2026, 3, 29), date(2026, 4, 25), block).id
        other_kind = _run_row(session, date(2026, 3, 1), date(2026, 3, 28), RunKind.ANNUAL_PLAN).id
    _set_running(db_engine, first)
    with pytest.raises(IntegrityError, match="schedule_runs_one_running_per_range"):
        _set_running(db_engine, overlapping)
    _set_running(db_engine, after)  # the day after the first ends: no overlap
    _set_running(db_engine, other_kind)  # another kind of run: no overlap


def test_the_cli_bar_shows_the_stage_objective_and_gap_on_a_terminal_only() -> None:
    report = Progress("block schedule", 2.5, 120.0, 100.0, 1 / 6, 3)
    screen, pipe = StringIO(), StringIO()
    with solve_bar(10, Console(file=screen, force_terminal=True, width=120)) as moved:
        moved(report)
    with solve_bar(10, Console(file=pipe, width=120)) as moved:
        moved(report)
    assert "block schedule: objective 120, gap 16.7 %" in screen.getvalue()
    assert pipe.getvalue() == ""  # --json output and logs stay clean


def test_runs_cancel_stops_a_queued_run_and_refuses_an_ended_one_in_one_line(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = _claimed(db_engine)
    assert main(["runs", "cancel", str(run_id)]) == 0
    assert f"Run {run_id}: cancelled; cancelled before it started" in capsys.readouterr().out
    assert main(["runs", "cancel", str(run_id)]) == 3
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "has ended, there is nothing to cancel" in lines[0]
