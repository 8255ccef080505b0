"""ACGME VI.F.2.c: one day in seven free of clinical work and required education, averaged over
four weeks; at-home call cannot be assigned on these free days (so home_call breaks a day off).

A day off is a continuous 24 h free of every duty kind. Days off in a period = the sum, over
each maximal free stretch clipped to the period and outside leave, of floor(length / 24 h).
"""

from __future__ import annotations

from residency.compliance.rules.averaging import PeriodStats
from residency.compliance.rules.base import Finding, RuleResult, Severity
from residency.compliance.rules.context import PersonContext
from residency.compliance.rules.period_findings import check_each_period, leave_note, period_bounds

RULE_ID = "ACGME-1IN7"
CITATION = "ACGME CPR VI.F.2.c"
SEVERITY = Severity.VIOLATION
SUMMARY = "days off x 7 >= eligible days (28 eligible days need 4 days off)"
AVERAGED = True


def check(context: PersonContext) -> RuleResult:
    return check_each_period(context, _margin, _measure)


def _margin(stats: PeriodStats) -> float:
    return stats.days_off - stats.days_off_required


def _measure(stats: PeriodStats) -> Finding:
    start, end = period_bounds(stats)
    return Finding(
        rule=RULE_ID,
        person_id=stats.person_id,
        period_start=start,
        period_end=end,
        value=stats.days_off,
        limit=stats.days_off_required,
        severity=SEVERITY,
        citation=CITATION,
        unit="days off",
        limit_is_minimum=True,
        note=leave_note(stats),
    )
