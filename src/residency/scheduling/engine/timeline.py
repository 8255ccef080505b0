"""A person's time cut into elementary segments between the start and end of their items.

Consecutive segments touch, so a continuous duty run is a stretch of consecutive busy segments;
that is how the 24+4, rest and post-night rules see runs that span several assignments.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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


def runs(items: Sequence[Item]) -> list[list[Item]]:
    """Plain-Python continuous duty runs: work items that overlap or touch (ACGME.md)."""
    result: list[list[Item]] = []
    end: datetime | None = None
    for item in sorted((i for i in items if i.is_work), key=lambda i: (i.start, i.end)):
        if end is not None and item.start <= end:
            result[-1].append(item)
            end = max(end, item.end)
        else:
            result.append([item])
            end = item.end
    return result


def run_span(run: Sequence[Item]) -> tuple[datetime, datetime]:
    return min(i.start for i in run), max(i.end for i in run)
