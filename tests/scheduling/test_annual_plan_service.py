"""`residency plan year` on both engines: the plan is saved as one run's draft, people-made
entries stay, and a second plan is a new draft that replaces the first only once published."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from residency.cli import main
from residency.db import build_engine
from residency.errors import InputError
from residency.program.demo import demo_program
from residency.program.service import import_program
from residency.rotations import edits
from residency.scheduling.annual.cli import print_result
from residency.scheduling.annual.service import (
    claim_annual,
    load_annual_problem,
    plan_grid,
    published_plan,
)
from residency.scheduling.engine.annual import PlanEntry
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.models import (
    AssignmentSource,
    RotationPlanEntry,
    RunStatus,
    ScheduleRun,
)
from residency.scheduling.runs.execute import execute_run


def _seed(url: str) -> None:
    with Session(build_engine(url)) as session, session.begin():
        import_program(session, demo_program())


def _entries(url: str) -> list[RotationPlanEntry]:
    with Session(build_engine(url)) as session:
        return list(session.scalars(select(RotationPlanEntry)))


def test_plan_year_saves_a_plan_and_keeps_people_made_entries(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(cli_db)
    # The first plan that keeps every hard rule: this test is about what is saved. 10 s is
    # time for it on a busy 2-core machine, too short a limit to split by PGY.
    argv = ["plan", "year", "--academic-year", "2025", "--time-limit", "10", "--workers", "2"]
    argv.append("--first-feasible")
    assert main([*argv, "--json", "--publish"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["published"] is True
    assert result["solver_status"] in ("OPTIMAL", "FEASIBLE")
    assert result["search"] == []
    entries = _entries(cli_db)
    imported = [e for e in entries if e.source == AssignmentSource.IMPORT]
    solver = [e for e in entries if e.source == AssignmentSource.SOLVER]
    assert len(imported) == 6  # the interns' orientation, locked
    assert len(solver) == result["entries_saved"] > 0
    assert all(e.schedule_run_id == result["run_id"] for e in solver)
    # Every resident has every half-block of the year covered exactly once.
    assert set(result["plan"]) == {f"res-pgy{p}-{n:02d}" for p in (1, 2, 3) for n in range(1, 7)}
    assert all(all(half for half in halves) for halves in result["plan"].values())

    assert main([*argv, "--seed", "3"]) == 0
    out = capsys.readouterr().out
    second = result["run_id"] + 1
    assert "Plan for 2025-2026" in out and f"residency runs publish {second}" in out
    again = _entries(cli_db)
    assert len([e for e in again if e.source == AssignmentSource.IMPORT]) == 6
    assert {e.schedule_run_id for e in again if e.source == AssignmentSource.SOLVER} == {
        result["run_id"],
        second,
    }
    with Session(build_engine(cli_db)) as session:  # the draft changed nobody's plan
        assert len(published_plan(session, 2025)) == len(solver)
    assert main(["runs", "publish", str(second), "--yes"]) == 0
    with Session(build_engine(cli_db)) as session:
        published = published_plan(session, 2025)
        assert {e.resident_id for e in published} == set(result["plan"])
        rows = session.scalars(
            select(RotationPlanEntry).where(RotationPlanEntry.schedule_run_id == second)
        )
        assert len(published) == len(list(rows))


def test_no_plan_within_the_time_limit_is_a_failed_run_not_an_infeasible_year(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(cli_db)
    params = SolveParams(time_limit_s=0.01, workers=1, seed=0)
    engine = build_engine(cli_db)
    with Session(engine) as session, session.begin():
        run_id = claim_annual(session, 2025, params)

    result = execute_run(run_id, engine).result

    assert result.solution.status == "UNKNOWN"
    with Session(build_engine(cli_db)) as session:
        run = session.scalars(select(ScheduleRun)).one()
        assert run.status == RunStatus.FAILED
        assert run.message.startswith("no plan found within the time limit of 0.01 s")
        assert session.scalar(select(func.count(RotationPlanEntry.id))) == 6  # orientation only
    print_result(result, 0.01)
    assert "No plan for 2025: no plan found within the time limit" in capsys.readouterr().out


def test_a_year_without_curriculum_is_refused_in_one_line(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = demo_program().model_dump()
    data["curriculum"] = []
    from residency.program.schema import ProgramDocument

    with Session(build_engine(cli_db)) as session, session.begin():
        import_program(session, ProgramDocument.model_validate(data))
    assert main(["plan", "year", "--academic-year", "2025"]) == 2
    err = capsys.readouterr().err
    assert "curriculum: the program has no curriculum requirements" in err
    with Session(build_engine(cli_db)) as session:
        assert session.scalar(select(func.count(ScheduleRun.id))) == 0


def test_an_unknown_academic_year_names_the_years_there_are(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(cli_db)
    assert main(["plan", "year", "--academic-year", "2031"]) == 2
    assert "--academic-year: 2031 is not in the database (it has [2025])" in capsys.readouterr().err


def test_the_problem_from_the_database_equals_the_problem_from_the_program(
    session: Session,
) -> None:
    import_program(session, demo_program())
    problem = load_annual_problem(session, 2025)
    assert len(problem.residents) == 18
    assert PlanEntry("res-pgy1-01", 1, 1, "ORI") in problem.locked
    assert len(problem.curriculum) == 47


def test_a_deactivated_rotation_is_left_out_of_the_plan(session: Session) -> None:
    """Its curriculum and staffing entries go with it; a locked entry on one is refused by
    name rather than dropped (people fixed it)."""
    import_program(session, demo_program())
    edits.deactivate_template(session, "DERM")
    problem = load_annual_problem(session, 2025)
    assert "DERM" not in {r.id for r in problem.rotations}
    assert [c for c in problem.curriculum if c.rotation_id == "DERM"] == []
    assert len(problem.curriculum) == 47 - 2  # DERM of PGY-2 and of PGY-3
    edits.deactivate_template(session, "ORI")
    with pytest.raises(InputError) as refused:
        load_annual_problem(session, 2025)
    assert refused.value.field == "fixed_rotations"
    assert "res-pgy1-01 block 1 half 1 is fixed to ORI, which is deactivated" in str(refused.value)


def test_plan_grid_spreads_whole_blocks_over_both_halves() -> None:
    grid = plan_grid([PlanEntry("r", 1, 0, "FMIT"), PlanEntry("r", 2, 1, "NF")])
    assert grid["r"][:4] == ["FMIT", "FMIT", "NF", ""]


def test_minimal_change_repairs_the_saved_plan_around_a_new_absence(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from residency.absences.models import Absence, AbsenceType
    from residency.calendar.academic_year import blocks, year_start
    from residency.people.models import Person

    _seed(cli_db)
    # 10 s: at 4 s a busy machine left the repair with 14 moves where it needs about 8.
    argv = ["plan", "year", "--academic-year", "2025", "--time-limit", "10", "--workers", "2"]
    # The plan repaired is the first one that keeps every rule, the one the test above asks for
    # (recalled, not solved again: tests/conftest.py); the repair itself is optimised.
    assert main([*argv, "--first-feasible", "--json", "--publish"]) == 0
    capsys.readouterr()
    block_6 = blocks(year_start(2025))[5]
    with Session(build_engine(cli_db)) as session, session.begin():
        person = session.scalars(select(Person).where(Person.key == "res-pgy3-02")).one()
        session.add(
            Absence(
                person_id=person.id,
                absence_type=AbsenceType.MEDICAL,
                start_date=block_6.start,
                end_date=block_6.end,
            )
        )

    assert main([*argv, "--minimal-change", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["plan"]["res-pgy3-02"][10:12] == ["VAC", "VAC"]  # block 6, both halves
    changes = result["changes"]
    assert any(c.startswith("res-pgy3-02 block 6 half 1:") for c in changes)
    assert len(changes) <= 12, changes  # the absent block and the few moves it forces


def test_minimal_change_without_a_saved_plan_is_refused(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(cli_db)
    argv = ["plan", "year", "--academic-year", "2025", "--time-limit", "2", "--minimal-change"]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "no published plan to repair" in err and len(err.strip().splitlines()) == 1


def test_plan_year_runs_the_annual_preflight_first(
    cli_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from residency.scheduling import preflight

    _seed(cli_db)
    crippled = tuple(c for c in preflight.ANNUAL_REGISTRY if c.name != "BlockStaffing")
    monkeypatch.setattr(preflight, "ANNUAL_REGISTRY", crippled)
    assert main(["plan", "year", "--academic-year", "2025", "--time-limit", "2"]) == 3
    err = capsys.readouterr().err
    assert "missing: BlockStaffing" in err and len(err.strip().splitlines()) == 1
    with Session(build_engine(cli_db)) as session:
        assert session.scalar(select(func.count(ScheduleRun.id))) == 0


def test_a_quick_plan_and_a_repair_together_are_refused_in_one_line(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(cli_db)
    argv = ["plan", "year", "--academic-year", "2025", "--minimal-change", "--first-feasible"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "--first-feasible" in err and "\n" not in err
    with Session(build_engine(cli_db)) as session:
        assert session.scalar(select(func.count(ScheduleRun.id))) == 0
