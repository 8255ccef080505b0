"""The vocabulary every ACGME rule shares: duty periods in, findings out. Pure Python.

Times are naive local wall-clock date-times (see docs/compliance.md): a duration is the
difference of the two wall-clock readings, so a night that crosses a daylight-saving change
counts the hours printed on the clock, not the hours that physically passed.
Internally the rules work in whole seconds since 0001-01-01 (`to_seconds`), so every limit
comparison is exact integer arithmetic (80.0 h/week passes, 80.1 fails).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from residency.rotations.duty_pattern import DutyKind

HOUR = 3600
DAY = 24 * HOUR
EPOCH = datetime(1, 1, 1)  # ordinal 1
SECOND = timedelta(seconds=1)

# Every kind except these is active duty: it counts toward 80 h and forms continuous runs.
# Being reachable at home is not work (home_call_work is); leave is not duty at all.
PASSIVE_KINDS = frozenset({DutyKind.LEAVE, DutyKind.HOME_CALL})

# A break of at most this long inside a working day (lunch between two logged sessions) is
# part of one duty period, in the checker and the engine alike; programs may change it
# (policy duty.continuous_break_minutes, 0-240; 0: only touching periods join).
DEFAULT_CONTINUOUS_BREAK_MINUTES = 60
MAX_CONTINUOUS_BREAK_MINUTES = 240


@dataclass(frozen=True, order=True)
class DutyPeriod:
    """One stretch of duty in local wall-clock time (see docs for the time-zone assumption)."""

    person_id: str
    pgy: int
    start: datetime
    end: datetime
    kind: DutyKind

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class Severity(StrEnum):
    VIOLATION = "violation"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule measured on one period, run or gap.

    A rule reports its breaches as findings, and its closest call (which may pass) in the
    same shape, so a clean report can still say how far each limit was from being reached.
    """

    rule: str
    person_id: str
    period_start: datetime
    period_end: datetime
    value: float
    limit: float
    severity: Severity
    citation: str
    unit: str
    limit_is_minimum: bool = False
    note: str = field(default="", compare=False)

    @property
    def margin(self) -> float:
        """How far inside the limit the value is; negative when the limit is broken."""
        return self.value - self.limit if self.limit_is_minimum else self.limit - self.value

    @property
    def breaks_limit(self) -> bool:
        return self.value < self.limit if self.limit_is_minimum else self.value > self.limit


@dataclass(frozen=True, slots=True)
class RuleResult:
    findings: list[Finding]
    closest: Finding | None  # the measurement nearest its limit, reported as a margin


def to_seconds(moment: datetime) -> int:
    """Wall-clock seconds counted so that seconds // DAY is the date's ordinal (naive: no
    zone, no DST correction; the difference of two readings is the clock difference)."""
    return (moment - EPOCH) // SECOND + DAY


def from_seconds(seconds: int) -> datetime:
    return datetime.fromordinal(seconds // DAY) + timedelta(seconds=seconds % DAY)


def day_seconds(day: date) -> int:
    return day.toordinal() * DAY


__all__ = [
    "DAY",
    "DEFAULT_CONTINUOUS_BREAK_MINUTES",
    "EPOCH",
    "HOUR",
    "MAX_CONTINUOUS_BREAK_MINUTES",
    "PASSIVE_KINDS",
    "SECOND",
    "DutyKind",
    "DutyPeriod",
    "Finding",
    "RuleResult",
    "Severity",
    "day_seconds",
    "from_seconds",
    "to_seconds",
]
