"""One academic calendar: for a program whose year starts on June 24, the stored blocks, the
annual plan's blocks, generate's re-check and `compliance check --block` all use the same
dates, because each reads the start from the settings row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK, PLAN, YEAR, generate_args, mini_program, parse_json
from fixtures.fallback_plan import fixed_block_plan
from residency.calendar.models import AcademicYear, Block
from residency.calendar.service import academic_calendar
from residency.cli import main
from residency.compliance.rules.averaging import AcademicCalendar
from residency.db import unit_of_work
from residency.program.export import export_program
from residency.program.schema import ProgramDocument
from residency.program.service import import_program
from residency.scheduling.annual.problem import annual_problem

BLOCK_10 = (date(2026, 3, 3), date(2026, 3, 30))  # 2025-06-24 + 9 x 28 days


def june_24_program() -> ProgramDocument:
    doc = mini_program()
    info = doc.program.model_copy(update={"academic_year_start": "06-24"})
    return doc.model_copy(update={"program": info})


def seed_june_24(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        import_program(session, june_24_program())
        fixed_block_plan(session, YEAR, BLOCK, PLAN)


def stored_blocks(session: Session) -> dict[int, tuple[date, date]]:
    rows = session.scalars(select(Block).join(AcademicYear).where(AcademicYear.year == YEAR))
    return {b.number: (b.start_date, b.end_date) for b in rows}


def test_stored_blocks_annual_plan_and_checker_calendar_agree(db_engine: Engine) -> None:
    seed_june_24(db_engine)
    with Session(db_engine) as session:
        stored = stored_blocks(session)
        calendar = academic_calendar(session)
        problem = annual_problem(export_program(session), YEAR)

    assert stored[BLOCK] == BLOCK_10 and stored[13][1] == date(2026, 6, 23)
    assert calendar == AcademicCalendar(6, 24)
    assert {s.number: (s.start, s.end) for s in problem.blocks} == stored
    averaging = calendar.blocks_of_year(calendar.start_of(YEAR))
    assert [(p.start, p.end - timedelta(days=1)) for p in averaging] == list(stored.values())


def test_generate_and_compliance_check_average_over_the_stored_blocks(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_june_24(db_engine)
    assert main([*generate_args(), "--json"]) == 0
    rechecked = parse_json(capsys.readouterr().out)["compliance"]["summary"]
    where = ["--block", str(BLOCK), "--academic-year", str(YEAR)]
    assert main(["compliance", "check", *where, "--json"]) == 0
    checked = parse_json(capsys.readouterr().out)["summary"]

    with Session(db_engine) as session:
        stored = set(stored_blocks(session).values())
    periods = checked["averaging_periods"]
    assert periods == rechecked["averaging_periods"]
    assert {(date.fromisoformat(p["first"]), date.fromisoformat(p["last"])) for p in periods} <= (
        stored
    )
    assert {"label": "block 10 2025-26", "first": "2026-03-03", "last": "2026-03-30"} in periods


def test_with_block_the_start_option_is_refused(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["compliance", "check", "--block", "10", "--academic-year-start", "2025-06-24"]
    assert main(args) == 2
    assert "--academic-year-start goes with a FILE" in capsys.readouterr().err
