"""The vocabulary every ACGME rule shares: duty periods in, findings out. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from residency.rotations.duty_pattern import DutyKind


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


__all__ = ["DutyKind", "DutyPeriod", "Severity"]
