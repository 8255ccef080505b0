"""A check result for people (rich tables) and for programs (a JSON-ready dict).

Even a clean report shows the margins: how far each person-period and each rule was from
its limit ("76.5 h/week, 3.5 h under the limit").
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from residency.compliance.csv_io import format_moment
from residency.compliance.rules.averaging import PeriodStats
from residency.compliance.rules.base import Finding
from residency.compliance.rules.eighty_hours import LIMIT_HOURS_PER_WEEK
from residency.compliance.rules.registry import ALL_RULES, RULES_BY_ID
from residency.compliance.validator import CheckResult


def to_json(result: CheckResult) -> dict[str, Any]:
    return {
        "violations": [finding_json(f) for f in result.violations],
        "warnings": [finding_json(f) for f in result.warnings],
        "summary": _summary_json(result),
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "person_id": finding.person_id,
        "period_start": format_moment(finding.period_start),
        "period_end": format_moment(finding.period_end),
        "value": round(finding.value, 3),
        "limit": finding.limit,
        "severity": finding.severity.value,
        "citation": finding.citation,
        "unit": finding.unit,
        "note": finding.note,
    }


def _summary_json(result: CheckResult) -> dict[str, Any]:
    counts = Counter(f.rule for f in result.findings)
    return {
        "mode": result.options.mode.value,
        "averaging": result.options.averaging_label,
        "continuous_break_minutes": result.options.continuous_break_minutes,
        "people": result.people,
        "duty_periods": result.duty_periods,
        "periods_checked": result.checked_periods,
        "periods_skipped_all_leave": result.skipped_periods,
        "averaging_periods": _periods_json(result),
        "violations": len(result.violations),
        "warnings": len(result.warnings),
        "rules": {
            rule.RULE_ID: {
                "citation": rule.CITATION,
                "severity": rule.SEVERITY.value,
                "findings": counts[rule.RULE_ID],
                "closest": _closest_json(result.closest.get(rule.RULE_ID)),
            }
            for rule in ALL_RULES
        },
    }


def _periods_json(result: CheckResult) -> list[dict[str, str]]:
    """The distinct periods averaged over (dates inclusive), so two checks of one schedule can
    be seen to use the same academic blocks."""
    periods = sorted({stats.period for stats in result.period_stats})
    return [
        {
            "label": p.label,
            "first": p.start.isoformat(),
            "last": (p.end - timedelta(days=1)).isoformat(),
        }
        for p in periods
    ]


def _closest_json(finding: Finding | None) -> dict[str, Any] | None:
    if finding is None:
        return None
    return {**finding_json(finding), "margin": round(finding.margin, 3)}


def render_text(result: CheckResult, console: Console, top: int = 20) -> None:
    console.print(
        f"[bold]ACGME work-hour check[/bold]: {result.people} people, "
        f"{result.duty_periods} duty periods, {result.checked_periods} periods checked "
        f"({result.skipped_periods} skipped: all leave)"
    )
    console.print(f"Averaging: {result.options.averaging_label}")
    minutes = result.options.continuous_break_minutes
    console.print(f"Continuous runs: breaks of up to {minutes} min are part of the run")
    for title, findings in (("Violations", result.violations), ("Warnings", result.warnings)):
        if findings:
            console.print(_findings_table(title, findings))
    console.print(_periods_table(result, top))
    console.print(_margins_table(result))
    console.print(_verdict(result))


def _findings_table(title: str, findings: list[Finding]) -> Table:
    table = Table(title=f"{title} ({len(findings)})", title_justify="left")
    for column in ("rule", "person", "from", "to", "value", "limit", "citation", "detail"):
        table.add_column(column, overflow="fold")
    for f in findings:
        table.add_row(
            f.rule,
            f.person_id,
            format_moment(f.period_start),
            format_moment(f.period_end),
            f"{number(f.value)} {f.unit}",
            f"{'min' if f.limit_is_minimum else 'max'} {number(f.limit)}",
            f.citation,
            f.note,
        )
    return table


def _periods_table(result: CheckResult, top: int) -> Table:
    per_period = _findings_per_period(result)
    rows = sorted(result.period_stats, key=lambda s: (-per_period[id(s)], -s.hours_per_week))
    shown = rows[:top]
    title = f"Per person and period, worst first ({len(shown)} of {len(rows)})"
    table = Table(title=title, title_justify="left")
    for column in ("person", "PGY", "period", "hours", "weeks", "h/week", "days off", "calls"):
        table.add_column(column, overflow="fold")
    table.add_column("findings", justify="right")
    for stats in shown:
        table.add_row(*_period_cells(stats), str(per_period[id(stats)]))
    return table


def _period_cells(s: PeriodStats) -> list[str]:
    hours_margin = LIMIT_HOURS_PER_WEEK - s.hours_per_week
    dates = f"{s.period.start}..{s.period.end - timedelta(days=1)}"
    return [
        s.person_id,
        str(s.pgy),
        f"{s.period.label} ({dates})",
        f"{s.hours:.1f}",
        f"{s.weeks:.2f}",
        f"{s.hours_per_week:.1f} ({_signed(hours_margin, 'under', 'over')} {LIMIT_HOURS_PER_WEEK})",
        f"{s.days_off} (min {s.days_off_required})",
        f"{s.in_house_calls} (max {s.calls_allowed})",
    ]


def _findings_per_period(result: CheckResult) -> Counter[int]:
    """Violations attributed to the person-period where each starts (a run spanning a boundary
    belongs to the period it starts in)."""
    by_person: defaultdict[str, list[PeriodStats]] = defaultdict(list)
    for stats in result.period_stats:
        by_person[stats.person_id].append(stats)
    counts: Counter[int] = Counter()
    for finding in result.violations:
        periods = by_person.get(finding.person_id, [])
        starts = [s.period.start for s in periods]
        index = bisect_right(starts, finding.period_start.date()) - 1
        if index >= 0 and finding.period_start.date() < periods[index].period.end:
            counts[id(periods[index])] += 1
    return counts


def _margins_table(result: CheckResult) -> Table:
    table = Table(title="Closest to each limit", title_justify="left")
    for column in ("rule", "person", "when", "margin", "detail"):
        table.add_column(column, overflow="fold")
    for rule in ALL_RULES:
        closest = result.closest.get(rule.RULE_ID)
        if closest is None:
            table.add_row(rule.RULE_ID, "-", "-", "nothing to measure", rule.SUMMARY)
            continue
        when = f"{format_moment(closest.period_start)}..{format_moment(closest.period_end)}"
        table.add_row(rule.RULE_ID, closest.person_id, when, margin_sentence(closest), closest.note)
    return table


def margin_sentence(finding: Finding) -> str:
    """e.g. '76.5 h/week, 3.5 under the limit of 80'."""
    value, limit = number(finding.value), number(finding.limit)
    if finding.limit_is_minimum:
        side = _signed(finding.margin, "above", "short of")
        return f"{value} {finding.unit}, {side} the minimum of {limit}"
    return (
        f"{value} {finding.unit}, {_signed(finding.margin, 'under', 'over')} the limit of {limit}"
    )


def number(x: float) -> str:
    """A figure as the report prints it: 80, not 80.0; else one decimal."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _signed(margin: float, inside: str, outside: str) -> str:
    return f"{number(round(abs(margin), 1))} {inside if margin >= 0 else outside}"


def _verdict(result: CheckResult) -> str:
    violations, warnings = len(result.violations), len(result.warnings)
    rules = sorted({f.rule for f in result.violations}, key=list(RULES_BY_ID).index)
    if violations:
        return f"[bold red]{violations} violation(s)[/] ({', '.join(rules)}), {warnings} warning(s)"
    return f"[bold green]No violations[/], {warnings} warning(s)"
