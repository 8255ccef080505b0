"""An override excuses only what it causes: a row kept with a recorded reason excuses the
findings whose duty period or rule window holds it, and nothing else about that person."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK, YEAR, generate_args, seed
from residency.absences.models import Absence, AbsenceType
from residency.calendar.models import HalfDay
from residency.cli import main
from residency.compliance.rules.base import Finding, Severity
from residency.people.models import Person
from residency.scheduling.block.conflicts import Override
from residency.scheduling.block.problem import build_block_problem
from residency.scheduling.block.verdict import _causes_finding, _causes_violation, check_saved
from residency.scheduling.engine.constraints.base import Violation
from residency.scheduling.models import Assignment, AssignmentSource
from residency.scheduling.repository import PUBLISHED

TUESDAY, FRIDAY = date(2026, 3, 17), date(2026, 3, 20)
REASON = "teaching the procedure course before the TDY; approved by the PD"


def _away(session: Session, person: Person, day: date) -> None:
    session.add(
        Absence(person_id=person.id, absence_type=AbsenceType.TDY, start_date=day, end_date=day)
    )


def _row_on(session: Session, person: Person, day: date) -> Assignment:
    row = session.scalars(
        select(Assignment)
        .join(HalfDay, Assignment.half_day_id == HalfDay.id)
        .where(Assignment.person_id == person.id, HalfDay.date == day)
    ).first()
    assert row is not None, f"{person.key} works on {day} in this schedule"
    return row


def test_an_override_excuses_its_own_day_and_not_another_day_of_the_same_person(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main([*generate_args(quick=False), "--json"]) == 0
    capsys.readouterr()
    with Session(db_engine) as session, session.begin():
        r3 = session.scalars(select(Person).where(Person.key == "r3")).one()
        kept = _row_on(session, r3, TUESDAY)
        kept.source, kept.locked, kept.override_reason = AssignmentSource.MANUAL, True, REASON
        _away(session, r3, TUESDAY)
    with Session(db_engine) as session:
        data = build_block_problem(session, YEAR, BLOCK)
        excused = check_saved(session, data, PUBLISHED)
    assert excused.broken == []
    assert [(o["person_id"], o["day"]) for o in excused.overrides] == [("r3", "2026-03-17")]

    with Session(db_engine) as session, session.begin():
        r3 = session.scalars(select(Person).where(Person.key == "r3")).one()
        _row_on(session, r3, FRIDAY)  # r3 works that Friday, on a row nobody kept
        _away(session, r3, FRIDAY)
    with Session(db_engine) as session:
        data = build_block_problem(session, YEAR, BLOCK)
        report = check_saved(session, data, PUBLISHED)
    assert report.broken, "work during the Friday TDY is not the override's doing"
    assert all("2026-03-20" in line for line in report.broken), report.broken
    assert any(line.startswith("Availability r3 2026-03-20:") for line in report.broken)
    assert any(line.startswith("during_absence r3 2026-03-20") for line in report.broken)


def _override(day: date, start: int, end: int) -> Override:
    return Override(
        "r1",
        day,
        "AM",
        "WARD",
        REASON,
        True,
        datetime(day.year, day.month, day.day, start),
        datetime(day.year, day.month, day.day, end),
    )


def _finding(start: datetime, end: datetime, person: str = "r1") -> Finding:
    return Finding(
        rule="ACGME-8H-BETWEEN",
        person_id=person,
        period_start=start,
        period_end=end,
        value=5.0,
        limit=8.0,
        severity=Severity.WARNING,
        citation="ACGME CPR VI.F.2.a",
        unit="h off",
        limit_is_minimum=True,
    )


def test_a_checker_finding_is_excused_only_when_its_period_holds_the_row() -> None:
    row = _override(TUESDAY, 7, 12)
    assert _causes_finding(row, _finding(datetime(2026, 3, 17, 11), datetime(2026, 3, 17, 16)))
    assert not _causes_finding(row, _finding(datetime(2026, 3, 17, 12), datetime(2026, 3, 17, 20)))
    assert not _causes_finding(row, _finding(datetime(2026, 3, 10), datetime(2026, 3, 17, 7)))
    inside = _finding(datetime(2026, 3, 17, 8), datetime(2026, 3, 17, 9), person="r2")
    assert not _causes_finding(row, inside)


def test_an_engine_violation_is_excused_only_when_its_window_holds_the_row() -> None:
    row = _override(TUESDAY, 7, 12)
    week = Violation("EightyHourAverage", "84 h/week", "r1", date(2026, 3, 10), last_day=FRIDAY)
    assert _causes_violation(row, week)
    assert not _causes_violation(row, Violation("Availability", "away", "r1", FRIDAY))
    assert not _causes_violation(row, Violation("Availability", "away", "r2", TUESDAY))
    assert not _causes_violation(row, Violation("RotationStaffing", "short", None, TUESDAY))
