"""When there is no schedule the run says why, in words; `--minimal-change` repairs a stored
schedule after a new absence and lists every change it made."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures.block_program import generate_args, parse_json, runs, seed
from residency.absences.models import Absence, AbsenceType
from residency.cli import main
from residency.people.models import Person
from residency.scheduling.models import RunStatus

THURSDAY = date(2026, 3, 12)


def _tdy(who: str, day: date) -> dict[str, object]:
    return {"person": who, "type": "tdy", "start": day, "end": day, "note": "range training"}


def test_an_infeasible_block_is_explained_with_the_service_the_day_and_the_absences(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    # Both ward residents are away on the same Thursday: nobody can staff the ward.
    seed(db_engine, absences=[_tdy("r1", THURSDAY), _tdy("r2", THURSDAY)])
    assert main([*generate_args(), "--json"]) == 1
    result = parse_json(capsys.readouterr().out)
    assert result["solver_status"] == "INFEASIBLE"
    text = " ".join(result["explanation"])
    assert "Block 10 needs 1 resident on WARD" in text
    assert "only 0 eligible residents are available on 2026-03-12" in text
    assert "the TDY of Resident r1 (r1)" in text and "the TDY of Resident r2 (r2)" in text
    assert "range training" in text
    with Session(db_engine) as session:
        (run,) = runs(session)
        assert run.status == RunStatus.INFEASIBLE
        assert "WARD" in run.message


def test_minimal_change_repairs_around_a_new_absence_and_lists_every_change(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main([*generate_args(quick=False), "--json"]) == 0
    first = parse_json(capsys.readouterr().out)
    day = date(2026, 3, 17)  # a Tuesday: r3 works its elective or clinic
    with Session(db_engine) as session, session.begin():
        r3 = session.scalars(select(Person).where(Person.key == "r3")).one()
        session.add(
            Absence(person_id=r3.id, absence_type=AbsenceType.SICK, start_date=day, end_date=day)
        )
    assert main([*generate_args("--minimal-change"), "--json"]) == 0
    repaired = parse_json(capsys.readouterr().out)
    changes = repaired["changes"]
    removed, added = changes["removed"], changes["added"]
    assert any(entry.startswith(f"r3 {day}") for entry in removed)
    assert not any(entry.startswith(f"r3 {day}") for entry in added)
    # As few changes as possible: the sick day, and little else, moves.
    assert len(removed) + len(added) <= 8
    assert repaired["assignments"] <= first["assignments"]
    assert repaired["compliance"]["violations"] == []


def test_minimal_change_needs_a_stored_schedule(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main(generate_args("--minimal-change")) == 3
    assert "no published schedule to repair" in capsys.readouterr().err


def _keep_r3_tuesday_against_a_new_absence(engine: Engine, reason: str | None) -> date:
    """r3's first Tuesday row is kept by hand; then r3 is sent on TDY that day. (The optimised
    schedule has one: continuity clinic puts r3 to work that Tuesday.)"""
    from residency.calendar.models import HalfDay
    from residency.scheduling.models import Assignment, AssignmentSource

    day = date(2026, 3, 17)
    with Session(engine) as session, session.begin():
        r3 = session.scalars(select(Person).where(Person.key == "r3")).one()
        row = session.scalars(
            select(Assignment)
            .join(HalfDay, Assignment.half_day_id == HalfDay.id)
            .where(Assignment.person_id == r3.id, HalfDay.date == day)
        ).first()
        assert row is not None
        row.source, row.locked, row.override_reason = AssignmentSource.MANUAL, True, reason
        session.add(
            Absence(person_id=r3.id, absence_type=AbsenceType.TDY, start_date=day, end_date=day)
        )
    return day


def test_a_row_kept_with_an_override_reason_is_honoured_and_reported(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main([*generate_args(quick=False), "--json"]) == 0
    capsys.readouterr()
    reason = "teaching the procedure course before the TDY; approved by the PD"
    day = _keep_r3_tuesday_against_a_new_absence(db_engine, reason)

    assert main([*generate_args(), "--json"]) == 0
    result = parse_json(capsys.readouterr().out)
    assert [(o["person_id"], o["day"], o["reason"]) for o in result["acgme_overrides"]] == [
        ("r3", day.isoformat(), reason)
    ]
    assert [(c["type"], c["person_id"]) for c in result["conflicts"]] == [("during_absence", "r3")]
    assert result["compliance"]["violations"] == []


def test_the_same_row_kept_without_a_reason_is_a_conflict_the_run_names(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main([*generate_args(quick=False), "--json"]) == 0
    capsys.readouterr()
    _keep_r3_tuesday_against_a_new_absence(db_engine, None)

    assert main([*generate_args(), "--json"]) == 1
    result = parse_json(capsys.readouterr().out)
    assert result["solver_status"] == "INFEASIBLE"
    assert "LockedAssignments" in " ".join(result["explanation"])
