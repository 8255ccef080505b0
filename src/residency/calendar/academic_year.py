"""Academic-year arithmetic: 13 blocks of 28 days from the start date, block 13 running to the
day before the next year starts; two half-days (AM, PM) a day. Pure date maths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from residency.calendar.public_holidays import HolidayRegion, public_holidays
from residency.errors import InputError
from residency.rotations.duty_pattern import Session

BLOCKS_PER_YEAR = 13
BLOCK_DAYS = 28
# The start when the settings row says nothing (AcademicCalendar's default); commands read the
# program's own start through calendar.service.academic_calendar(session).
DEFAULT_START_MONTH = 7
DEFAULT_START_DAY = 1
# The academic years a program file or a request may name: wide enough for any real program,
# narrow enough that every date of the year and its holidays can be computed.
EARLIEST_ACADEMIC_YEAR = 1950
LATEST_ACADEMIC_YEAR = 2150


@dataclass(frozen=True)
class BlockDates:
    number: int
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class HalfDaySlot:
    day: date
    session: Session
    block_number: int
    holiday: str | None


def year_start(
    academic_year: int, month: int = DEFAULT_START_MONTH, day: int = DEFAULT_START_DAY
) -> date:
    """Academic year 2025 is the one that starts in 2025 (2025-07-01 to 2026-06-30 for a
    program starting on July 1)."""
    return date(academic_year, month, day)


def year_end(start: date) -> date:
    return date(start.year + 1, start.month, start.day) - timedelta(days=1)


def year_label(start: date) -> str:
    return f"{start.year}-{start.year + 1}"


def blocks(start: date) -> list[BlockDates]:
    result = []
    for index in range(BLOCKS_PER_YEAR):
        block_start = start + timedelta(days=BLOCK_DAYS * index)
        last = index == BLOCKS_PER_YEAR - 1
        block_end = year_end(start) if last else block_start + timedelta(days=BLOCK_DAYS - 1)
        result.append(BlockDates(index + 1, block_start, block_end))
    return result


def check_block_number(number: int) -> None:
    if not 1 <= number <= BLOCKS_PER_YEAR:
        raise InputError(
            f"block: {number} is not a block number (1 to {BLOCKS_PER_YEAR})", field="block"
        )


def block(start: date, number: int) -> BlockDates:
    check_block_number(number)
    return blocks(start)[number - 1]


def days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def half_days(start: date, region: HolidayRegion) -> list[HalfDaySlot]:
    holidays = public_holidays(region, start, year_end(start))
    return [
        HalfDaySlot(day, session, block_dates.number, holidays.get(day))
        for block_dates in blocks(start)
        for day in days(block_dates.start, block_dates.end)
        for session in (Session.AM, Session.PM)
    ]
