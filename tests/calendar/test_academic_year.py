from datetime import date
from itertools import pairwise

import pytest

from residency.calendar import academic_year as cal
from residency.calendar.public_holidays import HolidayRegion, public_holidays
from residency.errors import InputError
from residency.rotations.duty_pattern import Session

US = HolidayRegion()


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
    assert len(cal.half_days(date(2025, 7, 1), US)) == 730
    # 2027-2028 contains 2028-02-29: 366 days, two half-days each (the "731" is 366 + 365).
    assert len(cal.half_days(date(2027, 7, 1), US)) == 732
    assert cal.blocks(date(2027, 7, 1))[12].days == 30


def test_every_day_has_an_am_and_a_pm_half_day_in_the_right_block() -> None:
    slots = cal.half_days(date(2025, 7, 1), US)
    assert slots[0].day == date(2025, 7, 1) and slots[0].session == Session.AM
    assert slots[1].day == date(2025, 7, 1) and slots[1].session == Session.PM
    assert {s.block_number for s in slots if s.day == date(2026, 3, 10)} == {10}
    assert {s.block_number for s in slots if s.day == date(2026, 3, 9)} == {9}


def test_us_holidays_are_the_eleven_federal_ones_by_the_package_names() -> None:
    holidays = public_holidays(US, date(2025, 7, 1), date(2026, 6, 30))
    assert holidays[date(2025, 7, 4)] == "Independence Day"
    assert holidays[date(2025, 10, 13)] == "Columbus Day"
    assert holidays[date(2025, 11, 27)] == "Thanksgiving Day"
    assert holidays[date(2026, 1, 19)] == "Martin Luther King Jr. Day"
    assert holidays[date(2026, 2, 16)] == "Washington's Birthday"
    assert holidays[date(2026, 5, 25)] == "Memorial Day"
    # The hand-written list said "Juneteenth"; the package names the day in full.
    assert holidays[date(2026, 6, 19)] == "Juneteenth National Independence Day"
    assert len(holidays) == 11  # none falls on a weekend in 2025-26


def test_a_weekend_holiday_is_observed_on_the_nearest_weekday_and_stays_a_holiday() -> None:
    # 2026-07-04 is a Saturday: observed Friday the 3rd; 2027-07-04 a Sunday: Monday the 5th.
    observed = public_holidays(US, date(2026, 7, 1), date(2027, 12, 31))
    assert observed[date(2026, 7, 3)] == "Independence Day (observed)"
    assert observed[date(2027, 7, 5)] == "Independence Day (observed)"
    assert observed[date(2026, 7, 4)] == observed[date(2027, 7, 4)] == "Independence Day"
    assert observed[date(2027, 6, 18)] == "Juneteenth National Independence Day (observed)"
    assert observed[date(2027, 12, 31)] == "New Year's Day (observed)"  # for 2028-01-01


def test_a_state_adds_its_own_holidays() -> None:
    hawaii = public_holidays(HolidayRegion("US", "HI"), date(2025, 7, 1), date(2026, 8, 31))
    assert hawaii[date(2026, 3, 26)] == "Prince Jonah Kuhio Kalanianaole Day"
    assert hawaii[date(2026, 6, 11)] == "Kamehameha Day"
    assert hawaii[date(2026, 8, 21)] == "Statehood Day"
    assert date(2025, 10, 13) not in hawaii  # Hawaii keeps no Columbus Day
    federal = public_holidays(US, date(2025, 7, 1), date(2026, 8, 31))
    assert not {date(2026, 3, 26), date(2026, 6, 11), date(2026, 8, 21)} & set(federal)


def test_half_days_carry_the_holiday_name() -> None:
    slots = cal.half_days(date(2025, 7, 1), HolidayRegion("US", "HI"))
    assert {s.holiday for s in slots if s.day == date(2026, 6, 11)} == {"Kamehameha Day"}
    assert {s.holiday for s in slots if s.day == date(2025, 7, 7)} == {None}


@pytest.mark.parametrize("number", [0, 14, -1])
def test_a_block_number_outside_1_to_13_is_bad_input(number: int) -> None:
    with pytest.raises(InputError, match=f"block: {number} is not a block number"):
        cal.block(date(2025, 7, 1), number)
