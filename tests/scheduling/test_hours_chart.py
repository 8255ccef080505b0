"""The person page's hours chart (scheduling/block/hours_chart.py): bars at the checker's hours
per week, the 80-hour line where 80 is on the scale, a week over the limit marked and the scale
grown to hold it."""

from __future__ import annotations

from datetime import date, timedelta

from residency.scheduling.block.hours_chart import BOTTOM, HEIGHT, TOP, hours_chart
from residency.scheduling.block.person_view import Hours, WeekHours

START = date(2026, 3, 10)
PLOT = HEIGHT - TOP - BOTTOM


def _hours(per_week: list[float | None], average: float | None) -> Hours:
    weeks = tuple(
        WeekHours(START + timedelta(days=7 * i), START + timedelta(days=7 * i + 6), h or 0, 0, 7, h)
        for i, h in enumerate(per_week)
    )
    return Hours(weeks, average, 80, "academic blocks of 28 days", ())


def test_the_limit_and_the_bars_sit_at_their_hours_on_a_scale_of_100() -> None:
    chart = hours_chart(_hours([50.0, 0.0, None, 75.0], 31.25))
    zero = HEIGHT - BOTTOM
    assert chart.limit_y == round(zero - PLOT * 0.8, 1)
    assert [t.label for t in chart.ticks] == ["0", "20", "40", "60", "80", "100"]
    assert [b.height for b in chart.bars] == [round(PLOT * h / 100, 1) for h in (50, 0, 0, 75)]
    assert [b.value for b in chart.bars] == ["50.0", "0.0", "leave", "75.0"]
    assert not any(b.over for b in chart.bars)
    assert chart.average_y == round(zero - PLOT * 0.3125, 1)


def test_a_week_over_the_limit_is_marked_and_the_scale_holds_it() -> None:
    chart = hours_chart(_hours([101.0, 60.0], None))
    assert [t.label for t in chart.ticks][-1] == "120"
    assert [b.over for b in chart.bars] == [True, False]
    assert chart.average_y is None and chart.bars[0].y >= TOP
