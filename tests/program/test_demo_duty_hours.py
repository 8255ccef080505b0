"""The demo program's clinic sessions form one working day, as the compliance notes advise.

With the PM session starting an hour after the AM one ended, every clinic day logged two duty
runs with a one-hour "rest" between them, and the demo's Block 10 carried about 150
ACGME-8H-BETWEEN warnings that were all lunch breaks.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.compliance.duty import ScheduledActivity, duty_periods
from residency.compliance.validator import check_duty
from residency.program.demo import demo_program
from residency.program.service import import_program
from residency.rotations.duty_pattern import DutyPattern
from residency.rotations.duty_pattern import Session as HalfDay
from residency.rotations.models import RotationTemplate

MONDAY = date(2026, 3, 9)


def _pattern(session: Session, abbreviation: str) -> DutyPattern:
    template = session.scalar(
        select(RotationTemplate).where(RotationTemplate.abbreviation == abbreviation)
    )
    assert template is not None
    return template.duty_pattern()


def test_a_week_of_clinic_days_and_wednesday_didactics_is_one_run_a_day(
    session: Session,
) -> None:
    import_program(session, demo_program())
    clinic, didactics = _pattern(session, "FMC"), _pattern(session, "DID")
    week = [MONDAY + timedelta(days=offset) for offset in range(5)]
    activities = [ScheduledActivity("r1", 2, day, HalfDay.AM, clinic) for day in week]
    activities += [
        ScheduledActivity("r1", 2, day, HalfDay.PM, didactics if day.weekday() == 2 else clinic)
        for day in week
    ]

    result = check_duty(duty_periods(activities))

    assert [f for f in result.warnings if f.rule == "ACGME-8H-BETWEEN"] == []
    assert result.violations == []
