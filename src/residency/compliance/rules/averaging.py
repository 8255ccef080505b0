"""Averaging periods (ACGME VI.F.1, VI.F.2.c, VI.F.7: "averaged over four weeks").

The ACGME averages by rotation: over four weeks, a month (28-31 days), or the rotation if it
is shorter. Without rotation dates the academic blocks are used: 13 blocks of 28 days from
the academic-year start, block 13 running to the day before the next start (29 or 30 days).
Leave is removed from both sides: eligible days = days - whole leave days; weeks = eligible / 7.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from residency.calendar.academic_year import BLOCK_DAYS, blocks
from residency.compliance.rules.base import DAY, HOUR, day_seconds
from residency.compliance.rules.timeline import PersonTimeline

# A rotation up to a month long is one period; longer ones are cut into four-week pieces, a
# remainder of at most three days joining the last piece (a "one-month period" of 29-31 days).
LONGEST_SINGLE_PERIOD_DAYS = 31
ROLLING_DAYS = 28


class AveragingMode(StrEnum):
    BLOCK = "block"
    ROLLING = "rolling"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: date
    end: date  # exclusive
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True, order=True)
class RotationPeriod:
    person_id: str
    start: date
    end: date  # inclusive, as a program writes it: 2025-07-01 to 2025-07-28


@dataclass(frozen=True)
class AcademicCalendar:
    """When a program's academic year starts. Commands read the program's own from the
    settings row (calendar.service.academic_calendar); July 1 when there is none."""

    start_month: int = 7
    start_day: int = 1

    def start_of(self, academic_year: int) -> date:
        """Academic year 2025 is the one that starts in calendar year 2025."""
        return date(academic_year, self.start_month, self.start_day)

    def year_start(self, day: date) -> date:
        year = (
            day.year if (day.month, day.day) >= (self.start_month, self.start_day) else day.year - 1
        )
        return date(year, self.start_month, self.start_day)

    def blocks_of_year(self, year_start: date) -> list[Period]:
        """The academic blocks (calendar.academic_year, the one definition), end exclusive."""
        span = f"{year_start.year}-{str(year_start.year + 1)[-2:]}"
        return [
            Period(b.start, b.end + timedelta(days=1), f"block {b.number} {span}")
            for b in blocks(year_start)
        ]

    def blocks_between(self, first: date, last: date) -> list[Period]:
        """Every block that holds a day in [first, last]."""
        blocks: list[Period] = []
        year_start = self.year_start(first)
        while year_start <= last:
            blocks.extend(
                b for b in self.blocks_of_year(year_start) if b.end > first and b.start <= last
            )
            year_start = date(year_start.year + 1, self.start_month, self.start_day)
        return blocks


def split_rotation(rotation: RotationPeriod) -> list[Period]:
    end = rotation.end + timedelta(days=1)
    label = f"rotation {rotation.start.isoformat()}"
    if (end - rotation.start).days <= LONGEST_SINGLE_PERIOD_DAYS:
        return [Period(rotation.start, end, label)]
    pieces: list[Period] = []
    start = rotation.start
    while (end - start).days > BLOCK_DAYS + 3:
        piece_end = start + timedelta(days=BLOCK_DAYS)
        pieces.append(Period(start, piece_end, f"{label} part {len(pieces) + 1}"))
        start = piece_end
    pieces.append(Period(start, end, f"{label} part {len(pieces) + 1}"))
    return pieces


def rotation_periods(
    rotations: Sequence[RotationPeriod], first: date, last: date, calendar: AcademicCalendar
) -> list[Period]:
    """The person's rotations over [first, last]; days no rotation covers fall back to their
    academic blocks, cut where a rotation begins or ends."""
    periods = [piece for rotation in rotations for piece in split_rotation(rotation)]
    blocks = calendar.blocks_between(first, last)
    cursor, stop = blocks[0].start, blocks[-1].end
    for period in [*sorted(periods), Period(stop, stop, "end")]:
        if period.start > cursor:
            uncovered = calendar.blocks_between(cursor, period.start - timedelta(days=1))
            periods.extend(_clip(uncovered, cursor, period.start))
        cursor = max(cursor, period.end)
    return sorted(p for p in periods if p.end > first and p.start <= last)


def _clip(blocks: list[Period], start: date, end: date) -> list[Period]:
    return [Period(max(b.start, start), min(b.end, end), b.label) for b in blocks]


def rolling_windows(first: date, last: date) -> list[Period]:
    """Every 28-day window inside [first, last]; the whole span when it is shorter."""
    stop = last + timedelta(days=1)
    if (stop - first).days <= ROLLING_DAYS:
        return [Period(first, stop, "rolling window")]
    count = (stop - first).days - ROLLING_DAYS + 1
    starts = (first + timedelta(days=k) for k in range(count))
    return [Period(s, s + timedelta(days=ROLLING_DAYS), "rolling window") for s in starts]


@dataclass(frozen=True, slots=True)
class PeriodStats:
    """What the averaged rules measure for one person in one period."""

    person_id: str
    pgy: int
    period: Period
    leave_days: int
    eligible_days: int  # the period's days minus whole leave days
    worked_seconds: int
    days_off: int
    in_house_calls: int

    @property
    def weeks(self) -> float:
        return self.eligible_days / 7

    @property
    def hours(self) -> float:
        return self.worked_seconds / HOUR

    @property
    def hours_per_week(self) -> float:
        # One division of exact integers, so 80.0 stays exactly 80.0 (ACGME VI.F.1).
        return (self.worked_seconds * 7) / (HOUR * self.eligible_days)

    @property
    def days_off_required(self) -> int:
        # ACGME VI.F.2.c: one day in seven; days_off * 7 >= eligible days, i.e. ceil(eligible / 7).
        return -(-self.eligible_days // 7)

    @property
    def calls_allowed(self) -> int:
        # ACGME VI.F.7: no more often than every third night; calls * 3 <= eligible days.
        return self.eligible_days // 3


def measure_period(timeline: PersonTimeline, period: Period) -> PeriodStats:
    start, end = day_seconds(period.start), day_seconds(period.end)
    leave_days = timeline.leave_day_count(start // DAY, end // DAY)
    return PeriodStats(
        person_id=timeline.person_id,
        pgy=timeline.pgy_at(end - 1),
        period=period,
        leave_days=leave_days,
        eligible_days=(end - start) // DAY - leave_days,
        worked_seconds=timeline.worked_seconds(start, end),
        days_off=timeline.days_off(start, end),
        in_house_calls=timeline.in_house_calls(start, end),
    )
