"""ACGME VI.F.2.b: at least 14 hours free of clinical work and education after 24 hours of
in-house call, counted from the actual end of the run (FAQ: from when the resident leaves)."""

from __future__ import annotations

from itertools import pairwise

from residency.compliance.rules.base import HOUR, Finding, RuleResult, Severity, from_seconds
from residency.compliance.rules.context import PersonContext
from residency.compliance.rules.timeline import Run

RULE_ID = "ACGME-14H-AFTER-24"
CITATION = "ACGME CPR VI.F.2.b"
SEVERITY = Severity.VIOLATION
SUMMARY = "14 h free after a continuous run of 24 h or more that includes in-house call"
AVERAGED = False
LONG_CALL = 24 * HOUR
REST_REQUIRED = 14 * HOUR


def follows_long_call(run: Run) -> bool:
    return run.has_in_house_call and run.seconds >= LONG_CALL


def check(context: PersonContext) -> RuleResult:
    findings: list[Finding] = []
    tightest: tuple[Run, Run] | None = None
    tightest_rest = 0
    for run, next_run in pairwise(context.timeline.runs):
        if not follows_long_call(run):
            continue
        rest = next_run.start - run.end
        if rest < REST_REQUIRED:
            findings.append(_finding(context.person_id, run, next_run))
        if tightest is None or rest < tightest_rest:
            tightest, tightest_rest = (run, next_run), rest
    closest = None if tightest is None else _finding(context.person_id, *tightest)
    return RuleResult(findings, closest)


def _finding(person_id: str, run: Run, next_run: Run) -> Finding:
    return Finding(
        rule=RULE_ID,
        person_id=person_id,
        period_start=from_seconds(run.end),
        period_end=from_seconds(next_run.start),
        value=(next_run.start - run.end) / HOUR,
        limit=REST_REQUIRED / HOUR,
        severity=SEVERITY,
        citation=CITATION,
        unit="h rest",
        limit_is_minimum=True,
        note=f"after a {run.seconds / HOUR:.1f} h run with in-house call",
    )
