"""Academic years in the database: blocks and half-days created idempotently, and the one
place every command and the engine read the program's calendar from (the settings row)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from residency.audit import service as audit
from residency.calendar import academic_year as calendar
from residency.calendar.models import AcademicYear, Block, HalfDay
from residency.calendar.public_holidays import DEFAULT_COUNTRY, HolidayRegion
from residency.compliance.rules.averaging import AcademicCalendar
from residency.errors import NotFoundError, RefusedError
from residency.ops.models import SETTINGS_ROW_ID, AppSettings
from residency.upsert import UpsertResult, upsert_rows

# The settings row's policy key for the holiday country and state (program.holidays in a
# program file): JSON, so adding it needed no migration.
HOLIDAYS_POLICY_KEY = "holidays"


def academic_calendar(session: Session) -> AcademicCalendar:
    """The program's academic-year start, as the program file's import wrote it; July 1 when
    the settings row is missing."""
    row = session.get(AppSettings, SETTINGS_ROW_ID)
    if row is None:
        return AcademicCalendar()
    return AcademicCalendar(row.academic_year_start_month, row.academic_year_start_day)


def holiday_region(session: Session) -> HolidayRegion:
    row = session.get(AppSettings, SETTINGS_ROW_ID)
    return region_of_policy(row.policy if row is not None and row.policy else {})


def region_of_policy(policy: Mapping[str, Any]) -> HolidayRegion:
    stored = policy.get(HOLIDAYS_POLICY_KEY) or {}
    return HolidayRegion(stored.get("country", DEFAULT_COUNTRY), stored.get("state"))


def ensure_academic_year(session: Session, year: int) -> UpsertResult:
    """Creates (or completes) an academic year with its 13 blocks and 730/731 half-days, from
    the calendar in the settings row (start day, holiday country and state)."""
    start = academic_calendar(session).start_of(year)
    region = holiday_region(session)
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
            for slot in calendar.half_days(start, region)
        ],
        key_columns=["date", "session"],
    )


def academic_year_row(session: Session, year: int) -> AcademicYear:
    row = session.scalar(select(AcademicYear).where(AcademicYear.year == year))
    if row is None:
        raise NotFoundError(
            f"academic year {year} is not in the database; run `residency seed demo` or "
            "`residency program import FILE.yaml`",
            field="academic_year",
        )
    return row


def block_row(session: Session, year: int, number: int) -> Block:
    calendar.check_block_number(number)  # a clear message before the database is asked
    academic_year = academic_year_row(session, year)
    found = session.scalar(
        select(Block).where(Block.academic_year_id == academic_year.id, Block.number == number)
    )
    if found is None:
        raise NotFoundError(
            f"block {number} of academic year {year} is not in the database", field="block"
        )
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


def academic_years(session: Session) -> list[AcademicYear]:
    return list(session.scalars(select(AcademicYear).order_by(AcademicYear.year)))


def academic_year_with_blocks(session: Session, year: int) -> AcademicYear:
    found = session.scalar(
        select(AcademicYear)
        .options(selectinload(AcademicYear.blocks))
        .where(AcademicYear.year == year)
    )
    if found is None:
        raise NotFoundError(f"year: academic year {year} is not in the database", field="year")
    return found


def create_academic_year(session: Session, year: int) -> bool:
    """Creates (or completes) the year with its blocks and half-days; True when anything was
    written, which is then audited, False when it was all there already."""
    existed = session.scalar(select(AcademicYear.id).where(AcademicYear.year == year))
    half_days = ensure_academic_year(session, year)
    changed = existed is None or bool(half_days.created or half_days.updated)
    if changed:
        row = academic_year_with_blocks(session, year)
        audit.record(
            session, "academic_year.create", "academic_year", str(year), after=_snapshot(row)
        )
    return changed


def _snapshot(row: AcademicYear) -> dict[str, Any]:
    return {
        "year": row.year,
        "label": row.label,
        "start": row.start_date.isoformat(),
        "end": row.end_date.isoformat(),
    }
