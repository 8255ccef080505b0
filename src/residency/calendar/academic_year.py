"""Academic-year arithmetic: 13 blocks of 28 days from the start date, block 13 running to the
day before the next year starts; two half-days (AM, PM) a day. Pure date maths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from residency.errors import InputError
from residency.rotations.duty_pattern import Session

BLOCKS_PER_YEAR = 13
BLOCK_DAYS = 28
DEFAULT_START_MONTH = 7
DEFAULT_START_DAY = 1


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


def year_start(academic_year: int, month: int = DEFAULT_START_MONTH, day: int = 1) -> date:
    """Academic year 2025 is the one that starts in 2025 (2025-07-01 to 2026-06-30)."""
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


def block(start: date, number: int) -> BlockDates:
    if not 1 <= number <= BLOCKS_PER_YEAR:
        raise InputError(f"block: {number} is not a block number (1 to {BLOCKS_PER_YEAR})")
    return blocks(start)[number - 1]


def days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def half_days(start: date) -> list[HalfDaySlot]:
    holidays = us_federal_holidays(start, year_end(start))
    return [
        HalfDaySlot(day, session, block_dates.number, holidays.get(day))
        for block_dates in blocks(start)
        for day in days(block_dates.start, block_dates.end)
        for session in (Session.AM, Session.PM)
    ]


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    # A federal holiday on Saturday is observed on Friday, on Sunday the following Monday.
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def us_federal_holidays(first: date, last: date) -> dict[date, str]:
    """Observed US federal holidays (5 U.S.C. 6103) between two dates, inclusive."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        candidates = {
            _observed(date(year, 1, 1)): "New Year's Day",
            _nth_weekday(year, 1, 0, 3): "Martin Luther King Jr. Day",
            _nth_weekday(year, 2, 0, 3): "Washington's Birthday",
            _last_weekday(year, 5, 0): "Memorial Day",
            _observed(date(year, 6, 19)): "Juneteenth",
            _observed(date(year, 7, 4)): "Independence Day",
            _nth_weekday(year, 9, 0, 1): "Labor Day",
            _nth_weekday(year, 10, 0, 2): "Columbus Day",
            _observed(date(year, 11, 11)): "Veterans Day",
            _nth_weekday(year, 11, 3, 4): "Thanksgiving Day",
            _observed(date(year, 12, 25)): "Christmas Day",
        }
        found.update({day: name for day, name in candidates.items() if first <= day <= last})
    return found
