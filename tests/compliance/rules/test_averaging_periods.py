"""Averaging periods: 13 blocks a year, rotations cut into four-week pieces, rolling windows."""

from datetime import date, timedelta

from residency.compliance.rules.averaging import (
    AcademicCalendar,
    RotationPeriod,
    rolling_windows,
    rotation_periods,
    split_rotation,
)


def test_a_year_has_12_blocks_of_28_days_and_block_13_runs_to_june_30() -> None:
    blocks = AcademicCalendar().blocks_of_year(date(2025, 7, 1))

    assert len(blocks) == 13
    assert {b.days for b in blocks[:12]} == {28}
    assert (blocks[12].start, blocks[12].end, blocks[12].days) == (
        date(2026, 6, 2),
        date(2026, 7, 1),
        29,
    )
    assert AcademicCalendar().blocks_of_year(date(2027, 7, 1))[12].days == 30  # Feb 29 2028
    assert blocks[2].label == "block 3 2025-26"


def test_blocks_between_spans_academic_years() -> None:
    blocks = AcademicCalendar().blocks_between(date(2026, 6, 20), date(2026, 7, 3))

    assert [b.label for b in blocks] == ["block 13 2025-26", "block 1 2026-27"]


def test_a_rotation_up_to_a_month_is_one_period() -> None:
    assert [
        p.days for p in split_rotation(RotationPeriod("R1", date(2025, 7, 1), date(2025, 7, 31)))
    ] == [31]
    assert [
        p.days for p in split_rotation(RotationPeriod("R1", date(2025, 7, 1), date(2025, 7, 14)))
    ] == [14]


def test_a_longer_rotation_is_cut_into_four_week_pieces() -> None:
    def pieces(days: int) -> list[int]:
        start = date(2025, 7, 1)
        return [
            p.days
            for p in split_rotation(RotationPeriod("R1", start, start + timedelta(days=days - 1)))
        ]

    assert pieces(56) == [28, 28]
    assert pieces(59) == [28, 31]  # a remainder of up to 3 days joins the last piece
    assert pieces(42) == [28, 14]


def test_days_outside_any_rotation_fall_back_to_blocks() -> None:
    rotation = RotationPeriod("R1", date(2025, 7, 10), date(2025, 7, 23))

    periods = rotation_periods([rotation], date(2025, 7, 1), date(2025, 8, 5), AcademicCalendar())

    assert [(p.start, p.end) for p in periods] == [
        (date(2025, 7, 1), date(2025, 7, 10)),
        (date(2025, 7, 10), date(2025, 7, 24)),
        (date(2025, 7, 24), date(2025, 7, 29)),
        (date(2025, 7, 29), date(2025, 8, 26)),
    ]


def test_rolling_windows_cover_every_28_day_window_in_the_span() -> None:
    windows = rolling_windows(date(2025, 7, 1), date(2025, 8, 9))

    assert len(windows) == 13
    assert (windows[0].start, windows[-1].end) == (date(2025, 7, 1), date(2025, 8, 10))
    assert [w.days for w in rolling_windows(date(2025, 7, 1), date(2025, 7, 10))] == [10]
