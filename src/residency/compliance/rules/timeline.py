"""One person's duty, sorted once and indexed so any period can be measured in O(log n).

Built in a single pass over the person's periods sorted by start:
- runs: active duty merged where periods overlap, touch or are separated by a break no
  longer than the program's continuous break (the 24+4, 14 h and 8 h rules);
- worked time: active duty merged where periods overlap or touch (80 h), so a break that
  joins two runs is not worked time;
- free gaps: the complement of every duty kind and leave (days off, VI.F.2.c);
- in-house calls: in_house_call periods merged where they overlap or touch, so a call
  logged as two rows (evening, then after midnight) counts once (VI.F.7);
- leave days: calendar days wholly covered by leave (removed from averaging).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from residency.compliance.rules.base import (
    DAY,
    DEFAULT_CONTINUOUS_BREAK_MINUTES,
    EPOCH,
    PASSIVE_KINDS,
    SECOND,
    DutyKind,
    DutyPeriod,
)

# Free time before the first and after the last duty is unbounded; queries clip it.
_FAR_PAST = -(10**15)
_FAR_FUTURE = 10**15

_Interval = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Run:
    """A continuous stretch of active duty, in wall-clock seconds (see base.to_seconds); a
    short break inside it counts toward its length (`seconds`), not toward `clinical_seconds`."""

    start: int
    end: int
    clinical_seconds: int  # union of the non-transition duty inside the run
    has_in_house_call: bool

    @property
    def seconds(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Moonlighting:
    start: int
    end: int
    pgy: int


def _runs(active: list[tuple[int, int, DutyKind]]) -> list[Run]:
    """Merge active periods (sorted by start) that overlap or touch into runs, keeping the
    union of their non-transition time. Written with locals only: it is the hot loop."""
    runs: list[Run] = []
    if not active:
        return runs
    run_start, run_end, _ = active[0]
    clinical = 0
    clinical_start = clinical_end = run_start
    has_call = False
    for start, end, kind in active:
        if start > run_end:  # a real gap: close the run
            clinical += clinical_end - clinical_start
            runs.append(Run(run_start, run_end, clinical, has_call))
            run_start, run_end, clinical, has_call = start, end, 0, False
            clinical_start = clinical_end = start
        elif end > run_end:
            run_end = end
        if kind is not DutyKind.TRANSITION:
            if start > clinical_end:
                clinical += clinical_end - clinical_start
                clinical_start, clinical_end = start, end
            elif end > clinical_end:
                clinical_end = end
        if kind is DutyKind.IN_HOUSE_CALL:
            has_call = True
    clinical += clinical_end - clinical_start
    runs.append(Run(run_start, run_end, clinical, has_call))
    return runs


def join_breaks(runs: list[Run], break_seconds: int) -> list[Run]:
    """A break of at most `break_seconds` between two runs (program setting
    duty.continuous_break_minutes) is part of one duty period: the runs become one."""
    joined: list[Run] = []
    for run in runs:
        if joined and run.start - joined[-1].end <= break_seconds:
            last = joined[-1]
            joined[-1] = Run(
                last.start,
                run.end,
                last.clinical_seconds + run.clinical_seconds,  # disjoint: the sum is the union
                last.has_in_house_call or run.has_in_house_call,
            )
        else:
            joined.append(run)
    return joined


def merge_intervals(intervals: Iterable[_Interval]) -> list[_Interval]:
    """Union of intervals sorted by start; touching intervals merge (a gap of zero is none)."""
    merged: list[_Interval] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _free_gaps(blocked: list[_Interval]) -> list[_Interval]:
    edges = [_FAR_PAST, *(bound for interval in blocked for bound in interval), _FAR_FUTURE]
    return list(zip(edges[::2], edges[1::2], strict=True))


def _whole_days(intervals: list[_Interval]) -> list[int]:
    days: list[int] = []
    for start, end in intervals:
        days.extend(range(-(-start // DAY), end // DAY))
    return days


class PersonTimeline:
    def __init__(
        self,
        person_id: str,
        periods: Iterable[DutyPeriod],
        break_seconds: int = DEFAULT_CONTINUOUS_BREAK_MINUTES * 60,
    ) -> None:
        self.person_id = person_id
        items = sorted(
            ((p.start - EPOCH) // SECOND + DAY, (p.end - EPOCH) // SECOND + DAY, p.kind, p.pgy)
            for p in periods
        )  # = base.to_seconds, inlined: this runs once per duty period
        if not items:
            raise ValueError(f"no duty periods for {person_id}")
        active: list[tuple[int, int, DutyKind]] = []
        calls: list[_Interval] = []
        leave: list[_Interval] = []
        self.moonlighting: list[Moonlighting] = []
        for start, end, kind, pgy in items:
            if kind not in PASSIVE_KINDS:
                active.append((start, end, kind))
            if kind is DutyKind.IN_HOUSE_CALL:
                calls.append((start, end))
            elif kind is DutyKind.LEAVE:
                leave.append((start, end))
            elif kind is DutyKind.MOONLIGHTING:
                self.moonlighting.append(Moonlighting(start, end, pgy))
        touching = _runs(active)
        self.runs = join_breaks(touching, break_seconds)
        self.first_second = items[0][0]
        self.last_second = max(item[1] for item in items)
        self._starts = [item[0] for item in items]
        self._pgys = [item[3] for item in items]
        self._index_worked_time(touching)
        self._index_free_time((start, end) for start, end, _, _ in items)
        self.call_starts = [start for start, _ in merge_intervals(calls)]
        self.leave_days = _whole_days(merge_intervals(leave))

    def _index_worked_time(self, touching: list[Run]) -> None:
        # Runs before breaks are joined: their union is exactly the active duty.
        self._run_starts = [run.start for run in touching]
        self._run_ends = [run.end for run in touching]
        self._worked_before = [0, *accumulate(run.seconds for run in touching)]

    def _index_free_time(self, every_period: Iterable[_Interval]) -> None:
        gaps = _free_gaps(merge_intervals(every_period))
        self._gap_starts = [start for start, _ in gaps]
        self._gap_ends = [end for _, end in gaps]
        self._gap_days_before = [0, *accumulate((end - start) // DAY for start, end in gaps)]

    def pgy_at(self, moment: int) -> int:
        """The PGY of the latest period starting at or before `moment` (else the first)."""
        return self._pgys[max(bisect_right(self._starts, moment) - 1, 0)]

    def worked_seconds(self, start: int, end: int) -> int:
        """Active duty (the hours that count toward 80 h) inside [start, end)."""
        return self._worked_until(end) - self._worked_until(start)

    def _worked_until(self, moment: int) -> int:
        count = bisect_left(self._run_starts, moment)
        if count == 0:
            return 0
        return self._worked_before[count] - max(0, self._run_ends[count - 1] - moment)

    def days_off(self, start: int, end: int) -> int:
        """Sum over maximal free stretches clipped to [start, end) of floor(length / 24 h)."""
        first = bisect_right(self._gap_ends, start)
        stop = bisect_left(self._gap_starts, end)
        if first >= stop:
            return 0
        gap_starts, gap_ends = self._gap_starts, self._gap_ends
        if first == stop - 1:
            return (min(gap_ends[first], end) - max(gap_starts[first], start)) // DAY
        head = (gap_ends[first] - max(gap_starts[first], start)) // DAY
        tail = (min(gap_ends[stop - 1], end) - gap_starts[stop - 1]) // DAY
        middle = self._gap_days_before[stop - 1] - self._gap_days_before[first + 1]
        return head + middle + tail

    def in_house_calls(self, start: int, end: int) -> int:
        """In-house calls starting inside [start, end)."""
        return bisect_left(self.call_starts, end) - bisect_left(self.call_starts, start)

    def leave_day_count(self, first_day: int, stop_day: int) -> int:
        """Whole leave days with ordinal in [first_day, stop_day)."""
        return bisect_left(self.leave_days, stop_day) - bisect_left(self.leave_days, first_day)
