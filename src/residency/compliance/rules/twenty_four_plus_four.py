"""ACGME VI.F.3.a: continuous scheduled clinical work must not exceed 24 hours; up to four more
hours may be used for transitions of care and education only (VI.F.3.a.(1)), so a run breaks
the rule with more than 24 h of non-transition duty or more than 28 h in total."""

from __future__ import annotations

from residency.compliance.rules.base import HOUR, Finding, RuleResult, Severity, from_seconds
from residency.compliance.rules.context import PersonContext
from residency.compliance.rules.timeline import Run

RULE_ID = "ACGME-24PLUS4"
CITATION = "ACGME CPR VI.F.3.a"
SEVERITY = Severity.VIOLATION
SUMMARY = "a continuous run holds at most 24 h of clinical duty and 28 h in total"
AVERAGED = False
CLINICAL_LIMIT = 24 * HOUR
TOTAL_LIMIT = 28 * HOUR


def check(context: PersonContext) -> RuleResult:
    findings: list[Finding] = []
    closest_run: Run | None = None
    closest_margin = 0
    for run in context.timeline.runs:
        margin = min(CLINICAL_LIMIT - run.clinical_seconds, TOTAL_LIMIT - (run.end - run.start))
        if margin < 0:
            findings.append(_finding(context.person_id, run))
        if closest_run is None or margin < closest_margin:
            closest_run, closest_margin = run, margin
    closest = None if closest_run is None else _finding(context.person_id, closest_run)
    return RuleResult(findings, closest)


def _finding(person_id: str, run: Run) -> Finding:
    # Report whichever limit the run comes closest to (or breaks by more).
    clinical = CLINICAL_LIMIT - run.clinical_seconds <= TOTAL_LIMIT - run.seconds
    value, limit = (
        (run.clinical_seconds, CLINICAL_LIMIT) if clinical else (run.seconds, TOTAL_LIMIT)
    )
    return Finding(
        rule=RULE_ID,
        person_id=person_id,
        period_start=from_seconds(run.start),
        period_end=from_seconds(run.end),
        value=value / HOUR,
        limit=limit / HOUR,
        severity=SEVERITY,
        citation=CITATION,
        unit="h clinical" if clinical else "h continuous",
        note=f"run of {run.seconds / HOUR:.1f} h, {run.clinical_seconds / HOUR:.1f} h clinical",
    )
