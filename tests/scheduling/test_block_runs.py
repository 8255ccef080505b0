"""Runs are safe: a crash or a rule broken after solving keeps the previous schedule, a second
generation for an overlapping range is refused while one runs, and the pre-flight gates it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK_START, count_rows, generate_args, parse_json, runs, seed
from residency.cli import main
from residency.scheduling import preflight
from residency.scheduling.block import rows, verdict
from residency.scheduling.engine.constraints.base import Violation
from residency.scheduling.models import Assignment, RunStatus, ScheduleRun


def _first_schedule(engine: Engine, capsys: pytest.CaptureFixture[str]) -> tuple[set[int], int]:
    seed(engine)
    assert main([*generate_args(), "--json"]) == 0
    run_id = parse_json(capsys.readouterr().out)["run_id"]
    with Session(engine) as session:
        return set(session.scalars(select(Assignment.id))), run_id


def test_a_save_that_fails_midway_leaves_the_previous_schedule_intact(
    cli_db: str,
    db_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before, _ = _first_schedule(db_engine, capsys)

    def crash(*args: Any) -> int:
        raise OSError("disk full")  # after the old rows were deleted and new ones inserted

    monkeypatch.setattr(rows, "insert_calls", crash)
    assert main(generate_args("--seed", "3")) == 70
    assert "disk full" in capsys.readouterr().err
    with Session(db_engine) as session:
        assert set(session.scalars(select(Assignment.id))) == before
        assert count_rows(session)[1] == 8
        last = runs(session)[-1]
        assert last.status == RunStatus.FAILED and "disk full" in last.message


def test_a_hard_violation_found_after_solving_fails_the_run_loudly(
    cli_db: str,
    db_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before, _ = _first_schedule(db_engine, capsys)
    broken = [Violation("Availability", "WARD during tdy", "r1", BLOCK_START)]
    monkeypatch.setattr(verdict.checks, "hard_violations", lambda schedule: broken)
    assert main(generate_args("--seed", "4")) == 70
    err = capsys.readouterr().err
    assert "breaks hard rules" in err and "Availability r1 2026-03-10: WARD" in err
    with Session(db_engine) as session:
        assert set(session.scalars(select(Assignment.id))) == before
        assert runs(session)[-1].status == RunStatus.FAILED


def _running_run(engine: Engine, started: datetime) -> int:
    with Session(engine) as session, session.begin():
        run = ScheduleRun(
            kind="block_schedule",
            academic_year=2025,
            block_number=10,
            start_date=BLOCK_START + timedelta(days=3),
            end_date=BLOCK_START + timedelta(days=40),
            status=RunStatus.RUNNING,
            parameters={"time_limit_s": 60},
            metrics={},
            started_at=started,
        )
        session.add(run)
        session.flush()
        return run.id


def test_a_second_generation_is_refused_while_an_overlapping_run_runs(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    other = _running_run(db_engine, datetime.now(UTC))
    assert main(generate_args()) == 3
    err = capsys.readouterr().err
    assert f"schedule run {other}" in err and "still running" in err
    with Session(db_engine) as session:
        assert [r.status for r in runs(session)] == [RunStatus.RUNNING]
        assert count_rows(session) == (0, 0)


def test_a_stale_running_run_is_marked_failed_and_generation_goes_ahead(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    stale = _running_run(db_engine, datetime.now(UTC) - timedelta(hours=3))
    assert main(generate_args()) == 0
    with Session(db_engine) as session:
        old = session.get_one(ScheduleRun, stale)
        assert old.status == RunStatus.FAILED and "no heartbeat" in old.message
        assert runs(session)[-1].status == RunStatus.SUCCEEDED


def test_generation_refuses_when_the_preflight_fails(
    cli_db: str,
    db_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(db_engine)
    crippled = tuple(c for c in preflight.REGISTRY if c.name != "EightyHourAverage")
    monkeypatch.setattr(preflight, "REGISTRY", crippled)
    assert main(generate_args()) == 3
    assert "missing: EightyHourAverage" in capsys.readouterr().err
    with Session(db_engine) as session:
        assert runs(session) == []
