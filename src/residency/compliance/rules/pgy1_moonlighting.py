"""ACGME VI.F.5.c: PGY-1 residents are not permitted to moonlight (internal or external)."""

from __future__ import annotations

from residency.compliance.rules.base import HOUR, Finding, RuleResult, Severity, from_seconds
from residency.compliance.rules.context import PersonContext
from residency.compliance.rules.timeline import merge_intervals

RULE_ID = "ACGME-PGY1-MOONLIGHTING"
CITATION = "ACGME CPR VI.F.5.c"
SEVERITY = Severity.VIOLATION
SUMMARY = "no moonlighting while PGY-1"
AVERAGED = False


def check(context: PersonContext) -> RuleResult:
    # Overlapping or touching PGY-1 moonlighting rows are one stretch and one finding.
    stretches = merge_intervals(
        (m.start, m.end) for m in context.timeline.moonlighting if m.pgy == 1
    )
    findings = [_finding(context.person_id, start, end) for start, end in stretches]
    return RuleResult(findings, findings[0] if findings else None)


def _finding(person_id: str, start: int, end: int) -> Finding:
    return Finding(
        rule=RULE_ID,
        person_id=person_id,
        period_start=from_seconds(start),
        period_end=from_seconds(end),
        value=(end - start) / HOUR,
        limit=0,
        severity=SEVERITY,
        citation=CITATION,
        unit="h moonlighting",
        note="moonlighting while PGY-1",
    )
