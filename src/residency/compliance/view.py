"""A check result as the compliance pages show it: every ACGME rule with its closest value to
the limit (the margins `compliance check` prints, report.py `margin_sentence`), and every
finding with the person, the period and the citation. Pure: both the block's page and the
uploaded CSV's result render this, so the two read alike."""

from __future__ import annotations

from dataclasses import dataclass

from residency.compliance.csv_io import format_moment
from residency.compliance.report import margin_sentence, number
from residency.compliance.rules.base import Finding
from residency.compliance.rules.context import Rule
from residency.compliance.rules.registry import ALL_RULES
from residency.compliance.validator import CheckResult


@dataclass(frozen=True)
class FindingRow:
    rule: str
    severity: str  # violation | warning
    person: str  # the person's key (the CSV's person_id)
    start: str  # local wall-clock time, as the CSV writes it
    end: str
    value: str  # "86.5 h/week"
    limit: str  # "max 80" or "min 4"
    citation: str
    note: str


@dataclass(frozen=True)
class RuleRow:
    rule: str
    summary: str
    citation: str
    severity: str
    findings: int
    closest: FindingRow | None  # None: nothing to measure (no duty the rule applies to)
    margin: str  # "76.5 h/week, 3.5 under the limit of 80", or why nothing was measured
    broken: bool


@dataclass(frozen=True)
class ReportView:
    people: int
    duty_periods: int
    periods_checked: int
    periods_skipped: int
    averaging: str
    continuous_break_minutes: int
    rules: tuple[RuleRow, ...]
    violations: tuple[FindingRow, ...]
    warnings: tuple[FindingRow, ...]


def report_view(result: CheckResult) -> ReportView:
    counts = {rule.RULE_ID: 0 for rule in ALL_RULES}
    for finding in result.findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return ReportView(
        people=result.people,
        duty_periods=result.duty_periods,
        periods_checked=result.checked_periods,
        periods_skipped=result.skipped_periods,
        averaging=result.options.averaging_label,
        continuous_break_minutes=result.options.continuous_break_minutes,
        rules=tuple(_rule_row(rule, result, counts[rule.RULE_ID]) for rule in ALL_RULES),
        violations=tuple(finding_row(f) for f in result.violations),
        warnings=tuple(finding_row(f) for f in result.warnings),
    )


def _rule_row(rule: Rule, result: CheckResult, findings: int) -> RuleRow:
    closest = result.closest.get(rule.RULE_ID)
    return RuleRow(
        rule=rule.RULE_ID,
        summary=rule.SUMMARY,
        citation=rule.CITATION,
        severity=rule.SEVERITY.value,
        findings=findings,
        closest=finding_row(closest) if closest else None,
        margin=margin_sentence(closest) if closest else "nothing to measure",
        broken=closest is not None and closest.breaks_limit,
    )


def finding_row(f: Finding) -> FindingRow:
    return FindingRow(
        rule=f.rule,
        severity=f.severity.value,
        person=f.person_id,
        start=format_moment(f.period_start),
        end=format_moment(f.period_end),
        value=f"{number(f.value)} {f.unit}",
        limit=f"{'min' if f.limit_is_minimum else 'max'} {number(f.limit)}",
        citation=f.citation,
        note=f.note,
    )
