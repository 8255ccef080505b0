"""Shared shape of the averaged rules: measure every period, keep breaches and the closest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from residency.compliance.rules.averaging import PeriodStats
from residency.compliance.rules.base import Finding, RuleResult
from residency.compliance.rules.context import PersonContext


def period_bounds(stats: PeriodStats) -> tuple[datetime, datetime]:
    return datetime.combine(stats.period.start, time()), datetime.combine(stats.period.end, time())


def check_each_period(
    context: PersonContext,
    margin: Callable[[PeriodStats], float],
    measure: Callable[[PeriodStats], Finding],
) -> RuleResult:
    """Findings for periods with a negative margin, plus the closest one. Findings are built
    only for those: rolling mode measures hundreds of windows per person."""
    findings: list[Finding] = []
    closest: PeriodStats | None = None
    closest_margin = 0.0
    for stats in context.periods:
        stats_margin = margin(stats)
        if stats_margin < 0:
            findings.append(measure(stats))
        if closest is None or stats_margin < closest_margin:
            closest, closest_margin = stats, stats_margin
    return RuleResult(findings, None if closest is None else measure(closest))


def leave_note(stats: PeriodStats) -> str:
    if not stats.leave_days:
        return f"{stats.period.label}, {stats.eligible_days} days"
    return (
        f"{stats.period.label}, {stats.eligible_days} eligible days "
        f"({stats.leave_days} leave days removed)"
    )
