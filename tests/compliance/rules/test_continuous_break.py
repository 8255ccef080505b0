"""A break of at most `continuous_break_minutes` (default 60) between two duty periods is part
of one continuous run: it counts toward the run's length and is no 8 h gap, but it is not
worked time (80 h) and not clinical time (24 h)."""

import pytest
from compliance_helpers import check, duty, findings

from residency.compliance.rules import eight_hours_between, twenty_four_plus_four
from residency.compliance.validator import CheckOptions


def day_then_call(call_start: str) -> list:
    # 07:00-17:00, then duty to 09:00: 25 h clinical if the two are one run.
    return [duty("2025-07-01T07:00", "2025-07-01T17:00"), duty(call_start, "2025-07-02T09:00")]


def split_day(pm_start: str) -> list:
    return [duty("2025-07-01T08:00", "2025-07-01T12:00"), duty(pm_start, "2025-07-01T17:00")]


@pytest.mark.parametrize(
    ("call_start", "one_run"),
    [("2025-07-01T17:59", True), ("2025-07-01T18:00", True), ("2025-07-01T18:01", False)],
)
def test_59_and_60_minute_breaks_join_a_run_and_61_does_not(call_start, one_run) -> None:
    assert bool(findings(day_then_call(call_start), twenty_four_plus_four)) is one_run


@pytest.mark.parametrize(
    ("pm_start", "warned"),
    [("2025-07-01T12:59", False), ("2025-07-01T13:00", False), ("2025-07-01T13:01", True)],
)
def test_a_lunch_break_is_no_8_hour_gap_unless_it_is_longer_than_the_break(
    pm_start, warned
) -> None:
    assert bool(findings(split_day(pm_start), eight_hours_between)) is warned


def test_the_setting_is_honoured() -> None:
    ninety = split_day("2025-07-01T13:30")
    one_minute = split_day("2025-07-01T12:01")

    assert findings(ninety, eight_hours_between, continuous_break_minutes=90) == []
    assert findings(ninety, eight_hours_between, continuous_break_minutes=89) != []
    [gap] = findings(one_minute, eight_hours_between, continuous_break_minutes=0)
    assert gap.value == pytest.approx(1 / 60)


def test_a_joined_run_counts_the_break_toward_its_length_not_toward_clinical_hours() -> None:
    # 07:00-19:00 and 19:30-11:00 next day: 27.5 h of duty, 28 h long with the break.
    log = [
        duty("2025-07-01T07:00", "2025-07-01T19:00"),
        duty("2025-07-01T19:30", "2025-07-02T11:00"),
    ]

    [finding] = findings(log, twenty_four_plus_four)

    assert finding.note == "run of 28.0 h, 27.5 h clinical"


def test_the_break_is_not_worked_time() -> None:
    result = check(split_day("2025-07-01T12:30"))

    [stats] = result.period_stats
    assert stats.worked_seconds == 8.5 * 3600  # 08:00-12:00 and 12:30-17:00


def test_a_break_setting_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="continuous_break_minutes 241 is not in 0-240"):
        CheckOptions(continuous_break_minutes=241)
