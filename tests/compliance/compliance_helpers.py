"""Hand-built duty logs for the compliance tests: readable times, one line per period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from residency.compliance.rules.base import DutyKind, DutyPeriod, Finding
from residency.compliance.rules.context import Rule
from residency.compliance.validator import CheckOptions, CheckResult, check_duty

BLOCK_1 = date(2025, 7, 1)  # academic year 2025-26 starts on July 1 (a Tuesday)
BLOCK_2 = BLOCK_1 + timedelta(days=28)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def duty(
    start: str | datetime,
    end: str | datetime,
    kind: DutyKind | str = DutyKind.SHIFT,
    person: str = "R1",
    pgy: int = 2,
) -> DutyPeriod:
    start = at(start) if isinstance(start, str) else start
    end = at(end) if isinstance(end, str) else end
    return DutyPeriod(person, pgy, start, end, DutyKind(kind))


def lasting(
    start: str | datetime, hours: float, kind: DutyKind | str = DutyKind.SHIFT, **who: object
) -> DutyPeriod:
    start = at(start) if isinstance(start, str) else start
    return duty(start, start + timedelta(hours=hours), kind, **who)  # type: ignore[arg-type]


def daily(
    first: date, days: int, start_hour: float, hours: float, kind: DutyKind = DutyKind.SHIFT
) -> list[DutyPeriod]:
    """One period a day for `days` consecutive days."""
    return [
        lasting(
            datetime.combine(first + timedelta(days=d), datetime.min.time())
            + timedelta(hours=start_hour),
            hours,
            kind,
        )
        for d in range(days)
    ]


def leave(first: date, days: int, person: str = "R1") -> DutyPeriod:
    start = datetime.combine(first, datetime.min.time())
    return duty(start, start + timedelta(days=days), DutyKind.LEAVE, person=person)


def check(
    periods: Sequence[DutyPeriod], rule: Rule | None = None, **options: object
) -> CheckResult:
    rules = [rule] if rule is not None else None
    opts = CheckOptions(**options)  # type: ignore[arg-type]
    return check_duty(periods, opts, rules) if rules else check_duty(periods, opts)


def findings(periods: Sequence[DutyPeriod], rule: Rule, **options: object) -> list[Finding]:
    return check(periods, rule, **options).findings
