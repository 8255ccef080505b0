"""The verdict on a version of a block as saved: row counts, conflicts, coverage, manual
overrides, the independent ACGME checker's findings (re-derived from the rows) and every hard
rule's own check.

Anything that breaks a hard rule and is not caused by a manual override with a recorded
reason is `broken`: the run that wrote it fails and its transaction is rolled back. An
override excuses only the findings whose duty period or rule window holds the overridden row;
anything else about the same person still counts. What overrides excuse is kept apart
(`excused`), so a manual edit can tell every finding it causes (`block/edits.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from residency.calendar.service import academic_calendar, block_row
from residency.compliance.policy import continuous_break_minutes
from residency.compliance.report import to_json
from residency.compliance.rules.base import Finding
from residency.compliance.validator import CheckOptions, CheckResult, check_duty
from residency.program.settings import program_policy
from residency.scheduling import repository as repo
from residency.scheduling.block import conflicts as checks
from residency.scheduling.block.conflicts import Override
from residency.scheduling.block.data import BlockData
from residency.scheduling.block.duty import duty_periods_between
from residency.scheduling.block.rows import stored_schedule
from residency.scheduling.engine.constraints.base import Violation
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.repository import PUBLISHED, Version

# Why each kind of conflict between saved rows is a break (the hard rules say their own).
CONFLICT_REASONS = {
    "double_booking": "one person cannot be in two places at once",
    "during_absence": "nobody is scheduled during a blocking absence (leave, TDY, sick...)",
    "ineligible": "a rotation takes only the PGY levels it lists as eligible",
}


@dataclass(frozen=True)
class RuleBreak:
    """A hard rule broken in a saved version: the rule (a hard rule's name, an ACGME rule id,
    or a conflict: double_booking, during_absence, ineligible), whom, from when, and what."""

    rule: str
    detail: str
    person_id: str | None = None
    day: date | None = None
    # Where the break ends and why the rule exists, for a reader (the nightly scan's alerts);
    # not part of what the break is, so an edit's before/after comparison ignores them.
    last_day: date | None = field(default=None, compare=False)
    citation: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = " ".join(str(part) for part in (self.person_id, self.day) if part)
        return f"{self.rule} {where}: {self.detail}" if where else f"{self.rule}: {self.detail}"

    def as_json(self) -> dict[str, Any]:
        day = self.day.isoformat() if self.day else None
        return {"rule": self.rule, "person_id": self.person_id, "day": day, "detail": self.detail}


@dataclass
class SavedReport:
    assignments: int
    call_assignments: int
    coverage: dict[str, Any]
    conflicts: list[dict[str, Any]]
    overrides: list[dict[str, Any]]
    compliance: dict[str, Any]
    checker: CheckResult
    breaks: list[RuleBreak] = field(default_factory=list)  # no recorded override causes them
    excused: list[RuleBreak] = field(default_factory=list)  # a recorded override causes them

    @property
    def broken(self) -> list[str]:
        return [str(b) for b in self.breaks]

    def add(self, found: RuleBreak, excused: bool) -> None:
        (self.excused if excused else self.breaks).append(found)


def check_stored_block(
    session: Session, data: BlockData, version: Version = PUBLISHED
) -> CheckResult:
    return check_between(session, data.start, data.end, data.academic_year, version)


def check_block_version(
    session: Session, academic_year: int, block: int, version: Version = PUBLISHED
) -> CheckResult:
    """A stored version of a block checked as `compliance check --block` and generate's
    re-check do: the program's academic blocks and continuous break."""
    row = block_row(session, academic_year, block)
    return check_between(session, row.start_date, row.end_date, academic_year, version)


def check_between(
    session: Session, start: date, end: date, academic_year: int, version: Version
) -> CheckResult:
    periods = duty_periods_between(session, start, end, academic_year, version)
    return check_duty(periods, checker_options(session))


def checker_options(session: Session) -> CheckOptions:
    """How a stored schedule is checked: the program's academic blocks and continuous break
    (also the person page's hours, block/person_view.py)."""
    return CheckOptions(
        calendar=academic_calendar(session),
        continuous_break_minutes=continuous_break_minutes(program_policy(session)),
    )


def check_saved(session: Session, data: BlockData, version: Version) -> SavedReport:
    schedule = stored_schedule(session, data, version)
    checker = check_stored_block(session, data, version)
    overrides = checks.acgme_overrides(data)
    conflicts = checks.conflicts(session, data, version)
    report = SavedReport(
        assignments=len(repo.assignments_between(session, data.start, data.end, version)),
        call_assignments=len(repo.calls_between(session, data.start, data.end, version)),
        coverage=checks.coverage(schedule),
        conflicts=conflicts,
        overrides=[o.as_json() for o in overrides],
        compliance=to_json(checker),
        checker=checker,
    )
    excused_days = {(o.person_id, o.day.isoformat()) for o in overrides}
    for c in conflicts:
        day = date.fromisoformat(c["day"])
        found = RuleBreak(
            c["type"], c["detail"], c["person_id"], day, day, CONFLICT_REASONS.get(c["type"], "")
        )
        report.add(found, excused=(c["person_id"], c["day"]) in excused_days)
    for f in checker.violations:
        last = (f.period_end - timedelta(microseconds=1)).date()  # the end is exclusive
        detail = f"{f.value:g} (limit {f.limit:g})"
        found = RuleBreak(f.rule, detail, f.person_id, f.period_start.date(), last, f.citation)
        report.add(found, excused=any(_causes_finding(o, f) for o in overrides))
    reasons = {rule.name: rule.reason for rule in REGISTRY}
    for v in checks.hard_violations(schedule):
        why = reasons[v.constraint]
        found = RuleBreak(v.constraint, v.detail, v.person_id, v.day, v.last_day or v.day, why)
        report.add(found, excused=any(_causes_violation(o, v) for o in overrides))
    return report


def _causes_finding(override: Override, finding: Finding) -> bool:
    """The finding's period (a duty run, a gap, an averaging window) holds the row's hours."""
    return (
        finding.person_id == override.person_id
        and override.starts < finding.period_end
        and finding.period_start < override.ends
    )


def _causes_violation(override: Override, violation: Violation) -> bool:
    if violation.person_id != override.person_id or violation.day is None:
        return False
    last = violation.last_day or violation.day
    return override.starts.date() <= last and violation.day <= override.ends.date()
