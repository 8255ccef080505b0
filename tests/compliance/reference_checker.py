"""A deliberately simple second implementation of the ACGME rules, for property tests.

Time is an array of 15-minute slots with one flag per kind; runs, free stretches, calls and
leave days are found by scanning the arrays. It shares no code with the real checker (only
the input dataclass), so the two agreeing on random logs means something.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from residency.compliance.rules.base import DutyKind, DutyPeriod

SLOT_MINUTES = 15
SLOTS_PER_HOUR = 60 // SLOT_MINUTES
SLOTS_PER_DAY = 24 * SLOTS_PER_HOUR
MARGIN_DAYS = 40  # arrays reach this far either side of the data, to hold whole blocks


@dataclass(frozen=True)
class RefFinding:
    rule: str
    person_id: str
    start: datetime
    end: datetime
    severity: str
    value: float
    limit: float


def segments(flags: list[bool]) -> list[tuple[int, int]]:
    """Maximal [start, end) stretches of True."""
    found, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            found.append((start, i))
            start = None
    return found


class Grid:
    def __init__(self, periods: list[DutyPeriod]) -> None:
        self.origin = min(p.start for p in periods).date() - timedelta(days=MARGIN_DAYS)
        last = max(p.end for p in periods).date() + timedelta(days=MARGIN_DAYS)
        size = (last - self.origin).days * SLOTS_PER_DAY
        self.active = [False] * size
        self.clinical = [False] * size
        self.call = [False] * size
        self.busy = [False] * size
        self.leave = [False] * size
        self.pgy1_moonlighting = [False] * size
        for p in periods:
            for s in range(self.slot(p.start), self.slot(p.end)):
                self._mark(s, p.kind)
                if p.kind == DutyKind.MOONLIGHTING and p.pgy == 1:
                    self.pgy1_moonlighting[s] = True
        self.first_day = min(p.start for p in periods).date()
        self.last_day = (max(p.end for p in periods) - timedelta(minutes=1)).date()

    def _mark(self, s: int, kind: DutyKind) -> None:
        if kind == DutyKind.LEAVE:
            self.leave[s] = True
            return
        self.busy[s] = True
        if kind != DutyKind.HOME_CALL:
            self.active[s] = True
            if kind != DutyKind.TRANSITION:
                self.clinical[s] = True
            if kind == DutyKind.IN_HOUSE_CALL:
                self.call[s] = True

    def slot(self, moment: datetime | date) -> int:
        if not isinstance(moment, datetime):
            moment = datetime(moment.year, moment.month, moment.day)
        minutes = (
            moment - datetime(self.origin.year, self.origin.month, self.origin.day)
        ).total_seconds() // 60
        return int(minutes) // SLOT_MINUTES

    def time(self, slot: int) -> datetime:
        return datetime(self.origin.year, self.origin.month, self.origin.day) + timedelta(
            minutes=slot * SLOT_MINUTES
        )


def blocks_for_day(day: date) -> tuple[date, date]:
    year = day.year if (day.month, day.day) >= (7, 1) else day.year - 1
    year_start = date(year, 7, 1)
    index = min((day - year_start).days // 28, 12)
    start = year_start + timedelta(days=28 * index)
    end = date(year + 1, 7, 1) if index == 12 else start + timedelta(days=28)
    return start, end


def averaging_periods(grid: Grid, rolling: bool) -> list[tuple[date, date]]:
    days = [
        grid.first_day + timedelta(days=k) for k in range((grid.last_day - grid.first_day).days + 1)
    ]
    if not rolling:
        return sorted({blocks_for_day(day) for day in days})
    if len(days) <= 28:
        return [(days[0], days[-1] + timedelta(days=1))]
    return [(d, d + timedelta(days=28)) for d in days[: len(days) - 27]]


def period_findings(person: str, grid: Grid, period: tuple[date, date]) -> list[RefFinding]:
    lo, hi = grid.slot(period[0]), grid.slot(period[1])
    days = (period[1] - period[0]).days
    leave_days = sum(
        all(grid.leave[lo + d * SLOTS_PER_DAY : lo + (d + 1) * SLOTS_PER_DAY]) for d in range(days)
    )
    eligible = days - leave_days
    if eligible == 0:
        return []
    worked = sum(grid.active[lo:hi])
    free = [not b and not lv for b, lv in zip(grid.busy[lo:hi], grid.leave[lo:hi], strict=True)]
    days_off = sum((e - s) // SLOTS_PER_DAY for s, e in segments(free))
    calls = sum(1 for s, _ in segments(grid.call) if lo <= s < hi)
    start, end = grid.time(lo), grid.time(hi)
    found = []
    if worked * 7 > 80 * SLOTS_PER_HOUR * eligible:
        value = worked * 7 / (SLOTS_PER_HOUR * eligible)
        found.append(RefFinding("ACGME-80H", person, start, end, "violation", value, 80))
    required = -(-eligible // 7)
    if days_off < required:
        found.append(RefFinding("ACGME-1IN7", person, start, end, "violation", days_off, required))
    if calls * 3 > eligible:
        found.append(
            RefFinding("ACGME-Q3-CALL", person, start, end, "violation", calls, eligible // 3)
        )
    return found


def joined(runs: list[tuple[int, int]], break_slots: int) -> list[tuple[int, int]]:
    """Runs at most `break_slots` apart are one run (the program's continuous break)."""
    result: list[tuple[int, int]] = []
    for s, e in runs:
        if result and s - result[-1][1] <= break_slots:
            result[-1] = (result[-1][0], e)
        else:
            result.append((s, e))
    return result


def run_findings(person: str, grid: Grid, break_minutes: int) -> list[RefFinding]:
    found = []
    runs = joined(segments(grid.active), break_minutes // SLOT_MINUTES)
    for i, (s, e) in enumerate(runs):
        clinical, total = sum(grid.clinical[s:e]), e - s
        h = SLOTS_PER_HOUR
        if clinical > 24 * h or total > 28 * h:
            use_clinical = 24 * h - clinical <= 28 * h - total
            value, limit = (clinical, 24) if use_clinical else (total, 28)
            found.append(
                RefFinding(
                    "ACGME-24PLUS4",
                    person,
                    grid.time(s),
                    grid.time(e),
                    "violation",
                    value / h,
                    limit,
                )
            )
        if i + 1 == len(runs):
            continue
        gap_end = runs[i + 1][0]
        long_call = total >= 24 * h and any(grid.call[s:e])
        if long_call and gap_end - e < 14 * h:
            found.append(
                RefFinding(
                    "ACGME-14H-AFTER-24",
                    person,
                    grid.time(e),
                    grid.time(gap_end),
                    "violation",
                    (gap_end - e) / h,
                    14,
                )
            )
        if not long_call and gap_end - e < 8 * h:
            found.append(
                RefFinding(
                    "ACGME-8H-BETWEEN",
                    person,
                    grid.time(e),
                    grid.time(gap_end),
                    "warning",
                    (gap_end - e) / h,
                    8,
                )
            )
    return found


def merge_windows(found: list[RefFinding]) -> list[RefFinding]:
    """Rolling mode: overlapping breaking windows of one rule become one finding (worst value)."""
    groups: defaultdict[str, list[list[RefFinding]]] = defaultdict(list)
    for f in sorted(found, key=lambda f: f.start):
        stretches = groups[f.rule]
        if stretches and f.start < stretches[-1][-1].end:
            stretches[-1].append(f)
        else:
            stretches.append([f])
    merged = []
    for rule, stretches in groups.items():
        for stretch in stretches:
            lower_is_worse = rule == "ACGME-1IN7"
            worst = stretch[0]
            for f in stretch:
                if (
                    (f.value - f.limit < worst.value - worst.limit)
                    if lower_is_worse
                    else (f.value - f.limit > worst.value - worst.limit)
                ):
                    worst = f
            merged.append(
                RefFinding(
                    rule,
                    worst.person_id,
                    stretch[0].start,
                    stretch[-1].end,
                    worst.severity,
                    worst.value,
                    worst.limit,
                )
            )
    return merged


def reference_check(
    log: list[DutyPeriod], rolling: bool = False, break_minutes: int = 60
) -> list[RefFinding]:
    by_person: defaultdict[str, list[DutyPeriod]] = defaultdict(list)
    for p in log:
        by_person[p.person_id].append(p)
    found: list[RefFinding] = []
    for person, periods in by_person.items():
        grid = Grid(periods)
        averaged = [
            f
            for period in averaging_periods(grid, rolling)
            for f in period_findings(person, grid, period)
        ]
        found += merge_windows(averaged) if rolling else averaged
        found += run_findings(person, grid, break_minutes)
        found += [
            RefFinding(
                "ACGME-PGY1-MOONLIGHTING",
                person,
                grid.time(s),
                grid.time(e),
                "violation",
                (e - s) / SLOTS_PER_HOUR,
                0,
            )
            for s, e in segments(grid.pgy1_moonlighting)
        ]
    return found
