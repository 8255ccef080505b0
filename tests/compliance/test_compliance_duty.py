"""A schedule's assignments become duty periods through each rotation's duty pattern."""

from datetime import date, datetime, time

from residency.compliance.duty import LeaveDay, ScheduledActivity, ScheduledCall, duty_periods
from residency.compliance.rules.base import DutyKind, DutyPeriod
from residency.compliance.validator import check_duty
from residency.rotations.duty_pattern import DutyPattern, Session, ShiftSpec

MONDAY = date(2025, 7, 7)
WARDS = DutyPattern(
    (
        ShiftSpec(0, time(7), time(17)),  # Monday day shift: starts in the AM session
        ShiftSpec(0, time(13), time(17), DutyKind.SHIFT),  # Monday afternoon clinic: PM
        ShiftSpec(1, time(7), time(19)),
    )
)
NIGHTS = DutyPattern(tuple(ShiftSpec(day, time(19), time(7)) for day in range(7)))


def activity(
    session: Session, day: date = MONDAY, pattern: DutyPattern = WARDS
) -> ScheduledActivity:
    return ScheduledActivity("R1", 2, day, session, pattern)


def test_a_shift_is_worked_when_its_session_is_assigned() -> None:
    periods = duty_periods([activity(Session.AM)])

    assert [(p.start.time(), p.end.time()) for p in periods] == [(time(7), time(17))]


def test_a_shift_is_emitted_once_when_am_and_pm_carry_the_template() -> None:
    periods = duty_periods([activity(Session.AM), activity(Session.PM), activity(Session.AM)])

    assert [(p.start.time(), p.end.time()) for p in periods] == [
        (time(7), time(17)),
        (time(13), time(17)),
    ]


def test_a_night_shift_crosses_midnight_and_its_weekday_is_the_start() -> None:
    [period] = duty_periods([activity(Session.PM, pattern=NIGHTS)])

    assert (period.start, period.end) == (datetime(2025, 7, 7, 19), datetime(2025, 7, 8, 7))


def test_no_shift_on_a_weekday_without_one() -> None:
    assert duty_periods([activity(Session.AM, day=date(2025, 7, 9))]) == []


def test_calls_and_leave_become_periods_and_duplicate_leave_days_collapse() -> None:
    call = ScheduledCall("R1", 2, MONDAY, datetime(2025, 7, 7, 17), datetime(2025, 7, 8, 7))
    leave = [LeaveDay("R1", 2, date(2025, 7, 10)), LeaveDay("R1", 2, date(2025, 7, 10))]

    periods = duty_periods([], [call], leave)

    assert periods == [
        DutyPeriod(
            "R1", 2, datetime(2025, 7, 7, 17), datetime(2025, 7, 8, 7), DutyKind.IN_HOUSE_CALL
        ),
        DutyPeriod("R1", 2, datetime(2025, 7, 10), datetime(2025, 7, 11), DutyKind.LEAVE),
    ]


def test_a_day_shift_then_call_from_the_schedule_is_one_run_for_the_rules() -> None:
    day = duty_periods([activity(Session.AM)])
    call = ScheduledCall("R1", 2, MONDAY, datetime(2025, 7, 7, 17), datetime(2025, 7, 8, 8))

    result = check_duty(duty_periods([activity(Session.AM)], [call]))

    assert len(day) == 1
    assert [f.rule for f in result.violations] == ["ACGME-24PLUS4"]  # 07:00 to 08:00 next day


def test_times_are_naive_wall_clock_so_a_dst_night_counts_clock_hours() -> None:
    # US clocks spring forward at 02:00 on 2026-03-08: 19:00 to 07:00 is physically 11 h, but
    # the checker assumes naive local wall-clock times and counts the 12 h on the clock.
    [period] = duty_periods([activity(Session.PM, day=date(2026, 3, 7), pattern=NIGHTS)])

    result = check_duty([period])

    assert period.hours == 12.0
    [stats] = result.period_stats
    assert stats.hours == 12.0
