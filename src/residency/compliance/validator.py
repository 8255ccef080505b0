"""Run every ACGME rule over a list of duty periods: findings, closest margins, period stats.

Pure (no database): the CLI feeds it a CSV file, the service layer a stored schedule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from residency.compliance.rules.averaging import (
    AcademicCalendar,
    AveragingMode,
    Period,
    PeriodStats,
    RotationPeriod,
    measure_period,
    rolling_windows,
    rotation_periods,
)
from residency.compliance.rules.base import (
    DAY,
    DEFAULT_CONTINUOUS_BREAK_MINUTES,
    MAX_CONTINUOUS_BREAK_MINUTES,
    DutyPeriod,
    Finding,
    Severity,
)
from residency.compliance.rules.context import PersonContext, Rule, closer
from residency.compliance.rules.registry import ALL_RULES
from residency.compliance.rules.timeline import PersonTimeline

ROLLING_LABEL = "rolling 28-day windows (stricter than the ACGME rule: a safety margin)"


@dataclass(frozen=True)
class CheckOptions:
    mode: AveragingMode = AveragingMode.BLOCK
    calendar: AcademicCalendar = field(default_factory=AcademicCalendar)
    rotations: Mapping[str, Sequence[RotationPeriod]] = field(default_factory=dict)
    # Two duty periods at most this many minutes apart are one continuous run (a lunch break
    # inside a working day); the program's policy.duty.continuous_break_minutes.
    continuous_break_minutes: int = DEFAULT_CONTINUOUS_BREAK_MINUTES

    def __post_init__(self) -> None:
        if not 0 <= self.continuous_break_minutes <= MAX_CONTINUOUS_BREAK_MINUTES:
            raise ValueError(
                f"continuous_break_minutes {self.continuous_break_minutes} is not in "
                f"0-{MAX_CONTINUOUS_BREAK_MINUTES}"
            )

    @property
    def averaging_label(self) -> str:
        if self.mode is AveragingMode.ROLLING:
            return ROLLING_LABEL
        if self.rotations:
            return "rotation periods (academic blocks where no rotation is given)"
        return "academic blocks of 28 days"


@dataclass(frozen=True)
class CheckResult:
    options: CheckOptions
    findings: list[Finding]
    closest: dict[str, Finding]  # rule id -> the measurement nearest its limit, anyone
    period_stats: list[PeriodStats]
    people: int
    duty_periods: int
    checked_periods: int
    skipped_periods: int  # periods with no eligible day (all leave)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.VIOLATION]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


def check_duty(
    duty: Iterable[DutyPeriod],
    options: CheckOptions | None = None,
    rules: Sequence[Rule] = ALL_RULES,
) -> CheckResult:
    options = options or CheckOptions()
    by_person: defaultdict[str, list[DutyPeriod]] = defaultdict(list)
    for period in duty:
        by_person[period.person_id].append(period)
    findings: list[Finding] = []
    closest: dict[str, Finding] = {}
    kept_stats: list[PeriodStats] = []
    checked = skipped = 0
    for person_id, periods in by_person.items():
        timeline = PersonTimeline(person_id, periods, options.continuous_break_minutes * 60)
        measured = [measure_period(timeline, p) for p in _periods_for(timeline, options)]
        eligible = [stats for stats in measured if stats.eligible_days > 0]
        checked += len(eligible)
        skipped += len(measured) - len(eligible)
        context = PersonContext(timeline, eligible)
        for rule in rules:
            result = rule.check(context)
            findings.extend(_dedupe_windows(rule, result.findings, options.mode))
            if result.closest is not None:
                closest[rule.RULE_ID] = closer(closest.get(rule.RULE_ID), result.closest)
        kept_stats.extend(_stats_to_report(eligible, options.mode))
    order = {rule.RULE_ID: index for index, rule in enumerate(rules)}
    findings.sort(
        key=lambda f: (
            f.severity is not Severity.VIOLATION,
            order[f.rule],
            f.person_id,
            f.period_start,
        )
    )
    return CheckResult(
        options=options,
        findings=findings,
        closest=closest,
        period_stats=kept_stats,
        people=len(by_person),
        duty_periods=sum(len(periods) for periods in by_person.values()),
        checked_periods=checked,
        skipped_periods=skipped,
    )


def _periods_for(timeline: PersonTimeline, options: CheckOptions) -> list[Period]:
    first = date.fromordinal(timeline.first_second // DAY)
    last = date.fromordinal((timeline.last_second - 1) // DAY)
    if options.mode is AveragingMode.ROLLING:
        return rolling_windows(first, last)
    rotations = options.rotations.get(timeline.person_id)
    if rotations:
        return rotation_periods(rotations, first, last, options.calendar)
    return options.calendar.blocks_between(first, last)


def _dedupe_windows(rule: Rule, findings: list[Finding], mode: AveragingMode) -> list[Finding]:
    """In rolling mode one bad week breaks up to 28 overlapping windows: report each stretch of
    overlapping breaking windows once, spanning them all, with the worst window's value."""
    if mode is not AveragingMode.ROLLING or not rule.AVERAGED:
        return findings
    stretches: list[list[Finding]] = []
    for finding in findings:  # in window order
        if stretches and finding.period_start < stretches[-1][-1].period_end:
            stretches[-1].append(finding)
        else:
            stretches.append([finding])
    return [_merge_stretch(stretch) for stretch in stretches]


def _merge_stretch(stretch: list[Finding]) -> Finding:
    if len(stretch) == 1:
        return stretch[0]
    worst = min(stretch, key=lambda f: f.margin)
    return replace(
        worst,
        period_start=stretch[0].period_start,
        period_end=stretch[-1].period_end,
        note=f"worst of {len(stretch)} overlapping 28-day windows; {worst.note}",
    )


def _stats_to_report(stats: list[PeriodStats], mode: AveragingMode) -> list[PeriodStats]:
    """Every period in block mode; in rolling mode only each person's tightest windows."""
    if mode is not AveragingMode.ROLLING or not stats:
        return stats
    tightest = {
        max(stats, key=lambda s: s.hours_per_week),
        min(stats, key=lambda s: s.days_off - s.days_off_required),
        min(stats, key=lambda s: s.calls_allowed - s.in_house_calls),
    }
    return sorted(tightest, key=lambda s: s.period)
