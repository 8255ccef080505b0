"""A person's time cut into elementary segments between the start and end of their items.

Consecutive segments touch, so a continuous duty run is a stretch of consecutive busy segments
in which no free stretch is longer than the program's continuous break
(`Policy.continuous_break_minutes`: a lunch break between two sessions is part of the run, as
in the checker); that is how the 24+4 and 8 h rules see runs that span several assignments.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from residency.scheduling.engine.items import Item


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    covering: tuple[int, ...]  # indices of the items that cover this segment

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def segments(items: Sequence[Item]) -> list[Segment]:
    points = sorted({t for item in items for t in (item.start, item.end)})
    covering: list[list[int]] = [[] for _ in range(max(0, len(points) - 1))]
    for index, item in enumerate(items):
        for k in range(bisect_left(points, item.start), bisect_left(points, item.end)):
            covering[k].append(index)
    return [Segment(points[k], points[k + 1], tuple(c)) for k, c in enumerate(covering)]


def runs(items: Sequence[Item], break_minutes: int = 0) -> list[list[Item]]:
    """Plain-Python continuous duty runs: work items that overlap, touch or are at most
    `break_minutes` apart (ACGME.md; the checker's compliance/rules/timeline.py)."""
    result: list[list[Item]] = []
    end: datetime | None = None
    joins = timedelta(minutes=break_minutes)
    for item in sorted((i for i in items if i.is_work), key=lambda i: (i.start, i.end)):
        if end is not None and item.start <= end + joins:
            result[-1].append(item)
            end = max(end, item.end)
        else:
            result.append([item])
            end = item.end
    return result


def run_span(run: Sequence[Item]) -> tuple[datetime, datetime]:
    return min(i.start for i in run), max(i.end for i in run)


def break_windows(segments: Sequence[Segment], break_minutes: int) -> dict[int, list[int]]:
    """The shortest stretches of consecutive segments longer than the break, by their last
    index: {last: [first, ...]}. A run spans a stretch only if each such window inside it has
    a busy segment (a free window is a real gap, not a break)."""
    by_last: dict[int, list[int]] = {}
    last, minutes = 0, 0  # minutes of segments first..last-1
    for first in range(len(segments)):
        if last < first:
            last, minutes = first, 0
        while last < len(segments) and minutes <= break_minutes:
            minutes += segments[last].minutes
            last += 1
        if minutes <= break_minutes:
            break  # the remaining segments are no longer than a break together
        by_last.setdefault(last - 1, []).append(first)
        minutes -= segments[first].minutes
    return by_last
