"""`residency generate --block`: saved in one transaction, re-checked from the database, honest
JSON; then `compliance check --block` and `schedule duty --csv` on what was saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK, YEAR, count_rows, generate_args, parse_json, runs, seed
from residency.cli import main
from residency.ops.models import SETTINGS_ROW_ID, AppSettings
from residency.scheduling.models import Assignment, AssignmentSource, RunStatus, ScheduleRun

JSON_KEYS = {
    "run_id",
    "solver_status",
    "objective",
    "best_bound",
    "gap",
    "wall_s",
    "assignments",
    "call_assignments",
    "coverage_pct",
    "conflicts",
    "acgme_overrides",
    "compliance",
    "penalties",
    "published",
}


def test_generate_saves_the_block_and_reports_exactly_the_json_keys(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main([*generate_args(), "--json"]) == 0
    result = parse_json(capsys.readouterr().out)
    assert set(result) == JSON_KEYS
    assert result["solver_status"] in ("OPTIMAL", "FEASIBLE")
    assert 0 < result["coverage_pct"] <= 100
    assert result["conflicts"] == [] and result["acgme_overrides"] == []
    assert result["compliance"]["violations"] == []
    assert set(result["penalties"]) >= {"Continuity", "ContinuityClinic"}
    with Session(db_engine) as session:
        assignments, calls = count_rows(session)
        assert (assignments, calls) == (result["assignments"], result["call_assignments"])
        assert calls == 8  # Friday and Saturday nights of four weeks, one resident each
        (run,) = runs(session)
        assert run.id == result["run_id"] and run.status == RunStatus.SUCCEEDED
        assert run.metrics["coverage_pct"] == result["coverage_pct"]
        assert len(run.constraint_fingerprint) == 64


def test_text_output_is_a_summary_table(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main(generate_args()) == 0
    out = capsys.readouterr().out
    for label in ("solver status", "coverage of required positions", "ACGME violations"):
        assert label in out


def test_a_second_generation_is_a_new_version_that_carries_the_locked_rows(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main([*generate_args(), "--json"]) == 0
    first = parse_json(capsys.readouterr().out)
    with Session(db_engine) as session, session.begin():
        kept = session.scalars(select(Assignment).order_by(Assignment.id)).first()
        assert kept is not None
        kept_id, slot = kept.id, (kept.person_id, kept.half_day_id, kept.rotation_id)
        session.execute(
            update(Assignment)
            .where(Assignment.id == kept_id)
            .values(locked=True, source=AssignmentSource.MANUAL)
        )
    assert main([*generate_args("--seed", "2"), "--json"]) == 0
    second = parse_json(capsys.readouterr().out)
    with Session(db_engine) as session:
        of_run = select(Assignment).where(Assignment.schedule_run_id == second["run_id"])
        rows = list(session.scalars(of_run))
        assert len(rows) == second["assignments"]
        carried = [r for r in rows if (r.person_id, r.half_day_id, r.rotation_id) == slot]
        assert len(carried) == 1 and carried[0].locked
        assert carried[0].source == AssignmentSource.MANUAL
        older = select(Assignment).where(Assignment.schedule_run_id == first["run_id"])
        assert len(list(session.scalars(older))) == first["assignments"]  # history is kept


def test_stored_block_is_rechecked_and_exported(
    cli_db: str, db_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main(generate_args()) == 0
    capsys.readouterr()
    where = ["--block", str(BLOCK), "--academic-year", str(YEAR)]
    assert main(["compliance", "check", *where, "--json"]) == 0
    checked = parse_json(capsys.readouterr().out)
    assert checked["summary"]["violations"] == 0
    duty = tmp_path / "duty.csv"
    assert main(["schedule", "duty", *where, "--csv", str(duty)]) == 0
    lines = duty.read_text().splitlines()
    assert lines[0] == "person_id,pgy,start,end,kind"
    assert any(line.endswith(",in_house_call") for line in lines)
    capsys.readouterr()
    assert main(["compliance", "check", str(duty), "--json"]) == 0
    assert parse_json(capsys.readouterr().out)["summary"]["violations"] == 0


def test_a_block_without_a_plan_is_refused_naming_the_fix(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine, plan={})
    assert main(generate_args()) == 3
    err = capsys.readouterr().err.strip()
    assert "residency plan year --academic-year 2025" in err
    assert err.count("\n") == 0


def test_the_programs_continuous_break_reaches_both_checks(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    with Session(db_engine) as session, session.begin():
        settings = session.get_one(AppSettings, SETTINGS_ROW_ID)
        settings.policy = {**settings.policy, "duty": {"continuous_break_minutes": 0}}
    assert main([*generate_args(), "--json"]) == 0
    generated = parse_json(capsys.readouterr().out)
    assert generated["compliance"]["summary"]["continuous_break_minutes"] == 0
    where = ["--block", str(BLOCK), "--academic-year", str(YEAR), "--json"]
    assert main(["compliance", "check", *where]) == 0
    assert parse_json(capsys.readouterr().out)["summary"]["continuous_break_minutes"] == 0
    assert main(["compliance", "check", *where, "--continuous-break-minutes", "30"]) == 0
    assert parse_json(capsys.readouterr().out)["summary"]["continuous_break_minutes"] == 30


def test_a_quick_draft_and_a_repair_together_are_refused_in_one_line(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main(generate_args("--minimal-change", "--first-feasible")) == 2
    err = capsys.readouterr().err.strip()
    assert "--first-feasible" in err and "--minimal-change" in err and "\n" not in err
    with Session(db_engine) as session:
        assert runs(session) == []


def test_a_quick_draft_is_recorded_as_one(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main([*generate_args(), "--json"]) == 0
    run_id = parse_json(capsys.readouterr().out)["run_id"]
    with Session(db_engine) as session:
        assert session.get_one(ScheduleRun, run_id).parameters["first_feasible"] is True
