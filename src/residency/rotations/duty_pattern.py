"""A rotation's duty pattern: the shifts each weekday implies, with real clock times.

Pure (no database): the compliance checker and the solver both read hours from here, so the
two can never disagree about what a rotation costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOON = time(12, 0)


class DutyKind(StrEnum):
    """Kinds of duty period, as defined by the ACGME specification (shared/ACGME.md)."""

    SHIFT = "shift"
    IN_HOUSE_CALL = "in_house_call"
    TRANSITION = "transition"
    HOME_CALL = "home_call"
    HOME_CALL_WORK = "home_call_work"
    MOONLIGHTING = "moonlighting"
    LEAVE = "leave"


class Session(StrEnum):
    AM = "AM"
    PM = "PM"


@dataclass(frozen=True, order=True)
class ShiftSpec:
    """One shift on one weekday. An end at or before the start means the shift ends next day."""

    weekday: int  # 0 = Monday, as date.weekday()
    start: time
    end: time
    kind: DutyKind = DutyKind.SHIFT

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def session(self) -> Session:
        """The half-day a shift belongs to: the one it starts in."""
        return Session.AM if self.start < NOON else Session.PM

    def on(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.start)
        end = datetime.combine(day + timedelta(days=1) if self.crosses_midnight else day, self.end)
        return start, end

    @property
    def hours(self) -> float:
        start, end = self.on(date(2001, 1, 1))
        return (end - start).total_seconds() / 3600


@dataclass(frozen=True)
class DutyPattern:
    shifts: tuple[ShiftSpec, ...] = ()

    def shifts_on(self, weekday: int) -> tuple[ShiftSpec, ...]:
        return tuple(s for s in self.shifts if s.weekday == weekday)

    def weekly_hours(self) -> float:
        return sum(s.hours for s in self.shifts if s.kind != DutyKind.LEAVE)
