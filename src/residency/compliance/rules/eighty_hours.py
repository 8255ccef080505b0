"""ACGME VI.F.1: clinical and educational work limited to 80 hours a week, averaged over four
weeks (by rotation), including clinical work done from home and all moonlighting."""

from __future__ import annotations

from residency.compliance.rules.averaging import PeriodStats
from residency.compliance.rules.base import Finding, RuleResult, Severity
from residency.compliance.rules.context import PersonContext
from residency.compliance.rules.period_findings import check_each_period, leave_note, period_bounds

RULE_ID = "ACGME-80H"
CITATION = "ACGME CPR VI.F.1"
SEVERITY = Severity.VIOLATION
SUMMARY = "at most 80 h/week averaged over the period, leave removed from both sides"
AVERAGED = True
LIMIT_HOURS_PER_WEEK = 80


def check(context: PersonContext) -> RuleResult:
    return check_each_period(context, _margin, _measure)


def _margin(stats: PeriodStats) -> float:
    return LIMIT_HOURS_PER_WEEK - stats.hours_per_week


def _measure(stats: PeriodStats) -> Finding:
    start, end = period_bounds(stats)
    return Finding(
        rule=RULE_ID,
        person_id=stats.person_id,
        period_start=start,
        period_end=end,
        value=stats.hours_per_week,
        limit=LIMIT_HOURS_PER_WEEK,
        severity=SEVERITY,
        citation=CITATION,
        unit="h/week",
        note=f"{stats.hours:.1f} h over {stats.weeks:.2f} weeks; {leave_note(stats)}",
    )
