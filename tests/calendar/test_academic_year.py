from datetime import date
from itertools import pairwise

import pytest

from residency.calendar import academic_year as cal
from residency.errors import InputError
from residency.rotations.duty_pattern import Session


def test_thirteen_blocks_of_28_days_with_the_last_running_to_june_30() -> None:
    blocks = cal.blocks(date(2025, 7, 1))
    assert [b.number for b in blocks] == list(range(1, 14))
    assert all(b.days == 28 for b in blocks[:12])
    assert blocks[12].start == date(2026, 6, 2)
    assert blocks[12].end == date(2026, 6, 30)
    assert blocks[12].days == 29  # 365 = 12 x 28 + 29
    assert all((b.start - a.end).days == 1 for a, b in pairwise(blocks))


def test_block_10_of_2025_is_march_10_to_april_6() -> None:
    block = cal.block(date(2025, 7, 1), 10)
    assert (block.start, block.end) == (date(2026, 3, 10), date(2026, 4, 6))


def test_a_year_has_730_half_days_and_a_leap_year_732() -> None:
    assert len(cal.half_days(date(2025, 7, 1))) == 730
    # 2027-2028 contains 2028-02-29: 366 days, two half-days each (the "731" is 366 + 365).
    assert len(cal.half_days(date(2027, 7, 1))) == 732
    assert cal.blocks(date(2027, 7, 1))[12].days == 30


def test_every_day_has_an_am_and_a_pm_half_day_in_the_right_block() -> None:
    slots = cal.half_days(date(2025, 7, 1))
    assert slots[0].day == date(2025, 7, 1) and slots[0].session == Session.AM
    assert slots[1].day == date(2025, 7, 1) and slots[1].session == Session.PM
    assert {s.block_number for s in slots if s.day == date(2026, 3, 10)} == {10}
    assert {s.block_number for s in slots if s.day == date(2026, 3, 9)} == {9}


def test_federal_holidays_are_flagged_with_observed_dates() -> None:
    holidays = cal.us_federal_holidays(date(2025, 7, 1), date(2026, 6, 30))
    assert holidays[date(2025, 7, 4)] == "Independence Day"
    assert holidays[date(2025, 11, 27)] == "Thanksgiving Day"
    assert holidays[date(2026, 1, 19)] == "Martin Luther King Jr. Day"
    assert holidays[date(2026, 5, 25)] == "Memorial Day"
    assert holidays[date(2026, 6, 19)] == "Juneteenth"
    assert len(holidays) == 11
    # 2027-07-04 is a Sunday: observed Monday the 5th.
    assert date(2027, 7, 5) in cal.us_federal_holidays(date(2027, 7, 1), date(2027, 7, 31))


@pytest.mark.parametrize("number", [0, 14, -1])
def test_a_block_number_outside_1_to_13_is_bad_input(number: int) -> None:
    with pytest.raises(InputError, match=f"block: {number} is not a block number"):
        cal.block(date(2025, 7, 1), number)
