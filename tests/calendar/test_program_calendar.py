"""The program's calendar lives in the settings row: the start day and the holiday country and
state are written there by the program-file import, read back by every command and exported."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.calendar.models import HalfDay
from residency.calendar.public_holidays import HolidayRegion
from residency.calendar.service import academic_calendar, block_row, holiday_region
from residency.compliance.rules.averaging import AcademicCalendar
from residency.errors import InputError
from residency.ops.models import SETTINGS_ROW_ID, AppSettings
from residency.program.export import export_program
from residency.program.schema import ProgramDocument
from residency.program.service import import_program


def program(**info: Any) -> ProgramDocument:
    return ProgramDocument.model_validate(
        {"program": {"name": "Calendar Test", "academic_years": [2025], **info}}
    )


def holiday_names(session: Session, day: date) -> set[str | None]:
    return set(session.scalars(select(HalfDay.holiday_name).where(HalfDay.date == day)))


def test_the_start_day_is_read_from_the_settings_row_and_moves_the_blocks(
    session: Session,
) -> None:
    import_program(session, program(academic_year_start="06-24"))

    assert academic_calendar(session) == AcademicCalendar(6, 24)
    block = block_row(session, 2025, 10)
    assert (block.start_date, block.end_date) == (date(2026, 3, 3), date(2026, 3, 30))
    assert block_row(session, 2025, 13).end_date == date(2026, 6, 23)
    with pytest.raises(InputError, match="block: 14 is not a block number"):
        block_row(session, 2025, 14)


def test_without_a_settings_row_the_year_starts_on_july_1(session: Session) -> None:
    session.delete(session.get(AppSettings, SETTINGS_ROW_ID))
    session.flush()

    assert academic_calendar(session) == AcademicCalendar(7, 1)
    assert holiday_region(session) == HolidayRegion("US", None)


def test_a_state_program_gets_its_state_holidays_and_exports_them(session: Session) -> None:
    first = import_program(session, program(holidays={"country": "US", "state": "HI"}))

    assert holiday_region(session) == HolidayRegion("US", "HI")
    assert holiday_names(session, date(2026, 6, 11)) == {"Kamehameha Day"}
    assert holiday_names(session, date(2026, 3, 26)) == {"Prince Jonah Kuhio Kalanianaole Day"}
    assert holiday_names(session, date(2025, 10, 13)) == {None}  # no Columbus Day in Hawaii
    assert first.counts["half-days"].created == 730
    exported = export_program(session)
    assert exported.program.holidays.state == "HI"
    assert "holidays" not in exported.program.policy  # one spelling: program.holidays
    again = import_program(session, exported)
    assert not again.changed


def test_a_federal_program_gets_the_federal_holidays_and_a_state_change_updates_them(
    session: Session,
) -> None:
    import_program(session, program())
    assert holiday_names(session, date(2026, 6, 11)) == {None}
    assert holiday_names(session, date(2025, 10, 13)) == {"Columbus Day"}

    report = import_program(session, program(holidays={"state": "HI"}))

    assert report.counts["settings"].updated == 1
    assert holiday_names(session, date(2026, 6, 11)) == {"Kamehameha Day"}
    assert holiday_names(session, date(2025, 10, 13)) == {None}
