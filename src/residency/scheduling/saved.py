"""The verdict on a block as saved: row counts, conflicts, coverage, manual overrides, the
independent ACGME checker's findings (re-derived from the rows) and every hard rule's own check.

Anything that breaks a hard rule and is not explained by a manual override with a recorded
reason is `broken`: the generation that wrote it fails and its transaction is rolled back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from residency.calendar.service import academic_calendar
from residency.compliance.report import to_json
from residency.compliance.rules.averaging import AcademicCalendar
from residency.compliance.service import duty_periods_between
from residency.compliance.validator import CheckOptions, CheckResult, check_duty
from residency.scheduling import checks
from residency.scheduling import repository as repo
from residency.scheduling.stored import stored_schedule

if TYPE_CHECKING:
    from residency.scheduling.problem_builder import BlockContext


@dataclass
class SavedReport:
    assignments: int
    call_assignments: int
    coverage: dict[str, Any]
    conflicts: list[dict[str, Any]]
    overrides: list[dict[str, Any]]
    compliance: dict[str, Any]
    checker: CheckResult
    broken: list[str] = field(default_factory=list)


def calendar(session: Session) -> AcademicCalendar:
    return academic_calendar(session)


def check_stored_block(session: Session, context: BlockContext) -> CheckResult:
    start, end = context.block.start_date, context.block.end_date
    periods = duty_periods_between(session, start, end, context.academic_year)
    return check_duty(periods, CheckOptions(calendar=calendar(session)))


def check_saved(session: Session, context: BlockContext) -> SavedReport:
    schedule = stored_schedule(session, context)
    span = (context.block.start_date, context.block.end_date)
    checker = check_stored_block(session, context)
    overrides = checks.acgme_overrides(context)
    excused = {(o["person_id"], o["day"]) for o in overrides}
    conflicts = checks.conflicts(session, context)
    report = SavedReport(
        assignments=len(repo.assignments_between(session, *span)),
        call_assignments=len(repo.calls_between(session, *span)),
        coverage=checks.coverage(schedule),
        conflicts=conflicts,
        overrides=overrides,
        compliance=to_json(checker),
        checker=checker,
    )
    report.broken += [
        f"{c['type']} {c['person_id']} {c['day']}: {c['detail']}"
        for c in conflicts
        if (c["person_id"], c["day"]) not in excused
    ]
    excused_people = {person for person, _ in excused}
    report.broken += [
        f"{f.rule} {f.person_id} {f.period_start:%Y-%m-%d}: {f.value:g} (limit {f.limit:g})"
        for f in checker.violations
        if f.person_id not in excused_people
    ]
    report.broken += checks.hard_violations(schedule, excused_people)
    return report
