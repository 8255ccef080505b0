"""ACGME VI.F.7: in-house call no more frequently than every third night, averaged over four
weeks. At-home call is exempt (VI.F.8). Touching in_house_call rows count as one call."""

from __future__ import annotations

from residency.compliance.rules.averaging import PeriodStats
from residency.compliance.rules.base import Finding, RuleResult, Severity
from residency.compliance.rules.context import PersonContext
from residency.compliance.rules.period_findings import check_each_period, leave_note, period_bounds

RULE_ID = "ACGME-Q3-CALL"
CITATION = "ACGME CPR VI.F.7"
SEVERITY = Severity.VIOLATION
SUMMARY = "in-house calls starting in the period x 3 <= eligible days (28 days allow 9)"
AVERAGED = True


def check(context: PersonContext) -> RuleResult:
    return check_each_period(context, _margin, _measure)


def _margin(stats: PeriodStats) -> float:
    return stats.calls_allowed - stats.in_house_calls


def _measure(stats: PeriodStats) -> Finding:
    start, end = period_bounds(stats)
    return Finding(
        rule=RULE_ID,
        person_id=stats.person_id,
        period_start=start,
        period_end=end,
        value=stats.in_house_calls,
        limit=stats.calls_allowed,
        severity=SEVERITY,
        citation=CITATION,
        unit="calls",
        note=leave_note(stats),
    )
