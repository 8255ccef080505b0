"""The stored schedule as duty periods: re-derived from rows through the duty patterns, with
leave from absences, for `compliance check --block` and `schedule duty --csv`."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from residency.calendar.models import HalfDay
from residency.cli import main
from residency.people.models import Person
from residency.rotations.duty_pattern import DutyKind
from residency.rotations.duty_pattern import Session as HalfDaySession
from residency.rotations.models import RotationTemplate
from residency.scheduling.block.duty import duty_periods_for_block
from residency.scheduling.models import Assignment, AssignmentSource, CallAssignment, CallType

sys.path.insert(0, str(Path(__file__).parents[1] / "scheduling"))
from fixtures.block_program import BLOCK, YEAR, seed

TUESDAY = date(2026, 3, 10)  # the block's first day


def _ids(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    people = {p.key: p.id for p in session.scalars(select(Person))}
    rotations = {r.abbreviation: r.id for r in session.scalars(select(RotationTemplate))}
    return people, rotations


def _assign(session: Session, person: str, rotation: str, day: date, half: HalfDaySession) -> None:
    people, rotations = _ids(session)
    half_day = session.scalars(
        select(HalfDay).where(HalfDay.date == day, HalfDay.session == half)
    ).one()
    session.add(
        Assignment(
            person_id=people[person],
            half_day_id=half_day.id,
            rotation_id=rotations[rotation],
            activity="test",
            source=AssignmentSource.MANUAL,
        )
    )


def _call(session: Session, person: str, night: date) -> None:
    people, _ = _ids(session)
    start = datetime.combine(night, datetime.min.time()) + timedelta(hours=17)
    session.add(
        CallAssignment(
            person_id=people[person],
            date=night,
            call_type=CallType.IN_HOUSE,
            starts_at=start,
            ends_at=start + timedelta(hours=14),
            source=AssignmentSource.MANUAL,
        )
    )


def test_stored_rows_become_duty_periods_through_the_patterns(
    db_engine: Engine, session: Session
) -> None:
    seed(
        db_engine,
        absences=[
            {"person": "r2", "type": "vacation", "start": TUESDAY, "end": TUESDAY},
            {"person": "r3", "type": "conference", "start": TUESDAY, "end": TUESDAY},
        ],
    )
    _assign(session, "r1", "WARD", TUESDAY, HalfDaySession.AM)
    _assign(session, "r1", "WARD", TUESDAY, HalfDaySession.PM)  # the ward day has no PM shift
    _assign(session, "f1", "CLIN", TUESDAY, HalfDaySession.AM)  # faculty: not ACGME duty
    _call(session, "r4", TUESDAY)
    session.flush()
    periods = duty_periods_for_block(session, YEAR, BLOCK)
    summary = [(p.person_id, p.pgy, p.start.hour, p.hours, p.kind) for p in periods]
    assert summary == [
        ("r1", 1, 7, 10.0, DutyKind.SHIFT),
        ("r2", 2, 0, 24.0, DutyKind.LEAVE),  # vacation is leave; the conference is not
        ("r4", 3, 17, 14.0, DutyKind.IN_HOUSE_CALL),
    ]


@pytest.mark.parametrize("year", [["--academic-year", str(YEAR)], []], ids=["given", "default"])
def test_compliance_check_block_exits_1_on_a_violating_stored_schedule(
    year: list[str],
    cli_db: str,
    db_engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without --academic-year: the one holding today, else the latest stored (here the only
    # one), as for `generate`; not today's academic year, which is not stored.
    # The clock: November of the year after the only stored academic year.
    monkeypatch.setattr("residency.calendar.service.local_today", lambda: date(YEAR + 1, 11, 29))
    seed(db_engine)
    with Session(db_engine) as session, session.begin():
        for night in range(12):  # call every other night: 12 calls in 24 days breaks q3
            _call(session, "r3", TUESDAY + timedelta(days=2 * night))
    assert main(["compliance", "check", "--block", str(BLOCK), *year, "--json"]) == 1
    assert '"ACGME-Q3-CALL"' in capsys.readouterr().out


def test_an_unknown_block_year_is_one_line_not_found(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    assert main(["compliance", "check", "--block", "3", "--academic-year", "2031"]) == 5
    assert "academic year 2031" in capsys.readouterr().err
