"""ACGME VI.F.2.a: residents *should* have eight hours off between scheduled clinical work and
education periods, so a shorter gap is a warning. A gap after 24 h of in-house call is left to
the stricter 14 h rule (VI.F.2.b), so one gap never yields two findings."""

from __future__ import annotations

from itertools import pairwise

from residency.compliance.rules.base import HOUR, Finding, RuleResult, Severity, from_seconds
from residency.compliance.rules.context import PersonContext
from residency.compliance.rules.rest_after_call import follows_long_call

RULE_ID = "ACGME-8H-BETWEEN"
CITATION = "ACGME CPR VI.F.2.a"
SEVERITY = Severity.WARNING
SUMMARY = "should have 8 h off between duty runs (warning)"
AVERAGED = False
REST_ADVISED = 8 * HOUR


def check(context: PersonContext) -> RuleResult:
    findings: list[Finding] = []
    shortest: tuple[int, int] | None = None  # (gap start, gap end)
    for run, next_run in pairwise(context.timeline.runs):
        gap = next_run.start - run.end
        if gap >= REST_ADVISED and shortest is not None and gap >= shortest[1] - shortest[0]:
            continue  # the common case, kept cheap: nothing to report or remember
        if follows_long_call(run):
            continue
        if gap < REST_ADVISED:
            findings.append(_finding(context.person_id, run.end, next_run.start))
        if shortest is None or gap < shortest[1] - shortest[0]:
            shortest = (run.end, next_run.start)
    closest = None if shortest is None else _finding(context.person_id, *shortest)
    return RuleResult(findings, closest)


def _finding(person_id: str, gap_start: int, gap_end: int) -> Finding:
    return Finding(
        rule=RULE_ID,
        person_id=person_id,
        period_start=from_seconds(gap_start),
        period_end=from_seconds(gap_end),
        value=(gap_end - gap_start) / HOUR,
        limit=REST_ADVISED / HOUR,
        severity=SEVERITY,
        citation=CITATION,
        unit="h off",
        limit_is_minimum=True,
    )
