"""ACGME-80H (VI.F.1): hours / eligible weeks > 80 breaks the rule; leave leaves both sides."""

from datetime import date, timedelta

from compliance_helpers import BLOCK_1, BLOCK_2, check, daily, duty, findings, lasting, leave

from residency.compliance.rules import eighty_hours
from residency.compliance.rules.averaging import AcademicCalendar
from residency.compliance.rules.base import DutyKind, Severity


def test_320_hours_in_a_28_day_block_is_exactly_80_a_week_and_passes() -> None:
    log = daily(BLOCK_1, 20, start_hour=6, hours=16)  # 20 x 16 h = 320 h

    result = check(log, eighty_hours)

    assert result.findings == []
    assert result.closest[eighty_hours.RULE_ID].value == 80.0


def test_80_point_1_hours_a_week_is_a_violation() -> None:
    log = [*daily(BLOCK_1, 19, start_hour=6, hours=16), lasting("2025-07-20T06:00", 16.4)]

    [finding] = findings(log, eighty_hours)

    assert finding.rule == "ACGME-80H"
    assert round(finding.value, 6) == 80.1
    assert (finding.limit, finding.severity, finding.citation) == (
        80,
        Severity.VIOLATION,
        "ACGME CPR VI.F.1",
    )
    assert (finding.period_start.date(), finding.period_end.date()) == (BLOCK_1, BLOCK_2)


def test_a_week_of_leave_is_removed_from_both_sides() -> None:
    # Three weeks at 90 h plus one week of vacation: 270 h over 3 weeks = 90 h/week, although
    # the naive 28-day average (270 / 4 = 67.5) would hide it.
    log = [leave(BLOCK_1, 7), *daily(BLOCK_1 + timedelta(days=7), 18, start_hour=7, hours=15)]

    [finding] = findings(log, eighty_hours)

    assert finding.value == 90.0


def test_a_block_that_is_all_leave_is_skipped() -> None:
    log = [leave(BLOCK_1, 28), *daily(BLOCK_2, 1, start_hour=7, hours=10)]

    result = check(log, eighty_hours)

    assert (result.checked_periods, result.skipped_periods) == (1, 1)


def test_overlapping_rows_count_once_and_home_call_not_at_all() -> None:
    log = daily(BLOCK_1, 20, start_hour=6, hours=16)
    log += daily(BLOCK_1, 20, start_hour=6, hours=16, kind=DutyKind.HOME_CALL_WORK)  # same hours
    log += daily(BLOCK_1 + timedelta(days=20), 8, start_hour=0, hours=24, kind=DutyKind.HOME_CALL)

    assert findings(log, eighty_hours) == []


def test_moonlighting_and_home_call_work_count() -> None:
    log = [
        *daily(BLOCK_1, 20, start_hour=6, hours=16),
        lasting("2025-07-25T10:00", 1, "moonlighting"),
    ]

    [finding] = findings(log, eighty_hours)

    assert finding.value == 80.25


def test_a_period_crossing_a_block_boundary_is_split_at_it() -> None:
    log = [duty("2025-07-28T20:00", "2025-07-29T08:00")]

    stats = {s.period.start: s.hours for s in check(log, eighty_hours).period_stats}

    assert stats == {BLOCK_1: 4.0, BLOCK_2: 8.0}


def test_block_13_of_a_leap_academic_year_has_30_days() -> None:
    block_13 = date(2028, 6, 1)  # 2027-07-01 + 12 x 28 days; Feb 29 2028 lies in block 9
    allowed = daily(block_13, 19, start_hour=5, hours=18)  # 342 h <= 80 x 30 / 7 = 342.86 h
    over = [*allowed, lasting("2028-06-25T05:00", 1)]  # 343 h

    assert findings(allowed, eighty_hours) == []
    [finding] = findings(over, eighty_hours)
    assert (finding.period_start.date(), finding.period_end.date()) == (block_13, date(2028, 7, 1))
    assert round(finding.value, 3) == round(343 * 7 / 30, 3)


def test_academic_year_start_moves_the_blocks() -> None:
    log = [*daily(date(2025, 6, 30), 20, start_hour=6, hours=16), lasting("2025-07-20T06:00", 1)]

    [finding] = findings(log, eighty_hours, calendar=AcademicCalendar(6, 30))

    assert finding.period_start.date() == date(2025, 6, 30)
    assert findings(log, eighty_hours) == []  # with July 1, the heavy days fall in two blocks
