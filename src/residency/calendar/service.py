"""Academic years in the database: blocks and half-days created idempotently."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from residency.calendar import academic_year as calendar
from residency.calendar.models import AcademicYear, Block, HalfDay
from residency.compliance.rules.averaging import AcademicCalendar
from residency.errors import NotFoundError, RefusedError
from residency.ops.models import SETTINGS_ROW_ID, AppSettings
from residency.upsert import UpsertResult, upsert_rows


def ensure_academic_year(session: Session, year: int, start: date) -> UpsertResult:
    """Creates (or completes) an academic year with its 13 blocks and 730/731 half-days."""
    upsert_rows(
        session,
        AcademicYear,
        [
            {
                "year": year,
                "label": calendar.year_label(start),
                "start_date": start,
                "end_date": calendar.year_end(start),
            }
        ],
        key_columns=["year"],
    )
    year_id = session.scalar(select(AcademicYear.id).where(AcademicYear.year == year))
    upsert_rows(
        session,
        Block,
        [
            {
                "academic_year_id": year_id,
                "number": b.number,
                "start_date": b.start,
                "end_date": b.end,
            }
            for b in calendar.blocks(start)
        ],
        key_columns=["academic_year_id", "number"],
    )
    block_ids = dict(
        session.execute(select(Block.number, Block.id).where(Block.academic_year_id == year_id))
        .tuples()
        .all()
    )
    return upsert_rows(
        session,
        HalfDay,
        [
            {
                "date": slot.day,
                "session": slot.session,
                "block_id": block_ids[slot.block_number],
                "is_weekend": slot.day.weekday() >= 5,
                "is_holiday": slot.holiday is not None,
                "holiday_name": slot.holiday,
            }
            for slot in calendar.half_days(start)
        ],
        key_columns=["date", "session"],
    )


def academic_year_row(session: Session, year: int) -> AcademicYear:
    row = session.scalar(select(AcademicYear).where(AcademicYear.year == year))
    if row is None:
        raise NotFoundError(
            f"academic year {year} is not in the database; run `residency seed demo` or "
            "`residency program import FILE.yaml`"
        )
    return row


def block_row(session: Session, year: int, number: int) -> Block:
    calendar.block(date(year, 7, 1), number)  # validates the number with a clear message
    academic_year = academic_year_row(session, year)
    found = session.scalar(
        select(Block).where(Block.academic_year_id == academic_year.id, Block.number == number)
    )
    if found is None:
        raise NotFoundError(f"block {number} of academic year {year} is not in the database")
    return found


def count_half_days(session: Session, year: int) -> int:
    academic_year = academic_year_row(session, year)
    counted = session.scalar(
        select(func.count(HalfDay.id)).join(Block).where(Block.academic_year_id == academic_year.id)
    )
    return counted or 0


def local_today() -> date:
    """The program's calendar date, in local time like its blocks and half-days. The one clock
    behind every command's default year (a test fixes it here)."""
    return date.today()


def default_academic_year(session: Session, today: date | None = None) -> int:
    """The academic year holding `today` (by default `local_today()`), else the latest one in
    the database: what a command given no --academic-year works on (after `residency demo`
    outside its year, the demo's)."""
    today = today or local_today()
    years = list(session.scalars(select(AcademicYear).order_by(AcademicYear.year)))
    current = [y.year for y in years if y.start_date <= today <= y.end_date]
    if current:
        return current[0]
    if years:
        return years[-1].year
    raise RefusedError("no academic year in the database; run `residency seed demo` first")


def academic_calendar(session: Session) -> AcademicCalendar:
    """The program's academic-year start, from the settings row (July 1 without one)."""
    settings = session.get(AppSettings, SETTINGS_ROW_ID)
    if settings is None:
        return AcademicCalendar()
    return AcademicCalendar(settings.academic_year_start_month, settings.academic_year_start_day)
