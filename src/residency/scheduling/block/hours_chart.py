"""The person page's chart of hours per week against the 80-hour line, drawn on the server as
SVG shapes (no script; the page's table says the same in words). Pure: the checker's figures
(person_view.Hours) in, coordinates out."""

from __future__ import annotations

import math
from dataclasses import dataclass

from residency.scheduling.block.person_view import Hours

WIDTH, HEIGHT = 320.0, 180.0
LEFT, RIGHT, TOP, BOTTOM = 34.0, 8.0, 10.0, 22.0  # room for the axis labels
TICK_HOURS = 20
MIN_TOP_HOURS = 100  # the 80-hour line is never at the very top


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar: "wk 1"
    value: str  # above the bar: "62.5"
    over: bool  # above the limit


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class HoursChart:
    width: float
    height: float
    left: float
    right: float  # x of the plot's right edge
    bottom: float  # y of the zero line
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    limit_y: float
    average_y: float | None  # the block's average line; None: no average


def hours_chart(hours: Hours) -> HoursChart:
    top_hours = max(MIN_TOP_HOURS, math.ceil(hours.highest / TICK_HOURS) * TICK_HOURS)
    plot_height = HEIGHT - TOP - BOTTOM
    zero = HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return round(zero - plot_height * value / top_hours, 1)

    slot = (WIDTH - LEFT - RIGHT) / max(len(hours.weeks), 1)
    bars = []
    for index, week in enumerate(hours.weeks):
        value = week.hours_per_week or 0.0
        y = y_of(value)
        bars.append(
            Bar(
                x=round(LEFT + slot * index + slot * 0.2, 1),
                y=y,
                width=round(slot * 0.6, 1),
                height=round(zero - y, 1),
                label=f"wk {index + 1}",
                value="leave" if week.hours_per_week is None else f"{value:.1f}",
                over=value > hours.limit,
            )
        )
    ticks = tuple(Tick(y_of(h), str(h)) for h in range(0, top_hours + 1, TICK_HOURS))
    average = None if hours.average is None else y_of(hours.average)
    return HoursChart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, zero, tuple(bars), ticks, y_of(hours.limit), average
    )
