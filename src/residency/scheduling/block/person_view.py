"""A person's page, `/people/{key}`, from the PUBLISHED schedule only: their days in one block
(AM, PM, call, post-call, absence, holiday), their rotations in the 13 blocks of the year's
plan, their hours per week in the block as the compliance checker measures them, the calls,
weekend calls and holidays worked so far this year, and their absences of the year.

The hours are the checker's own: the block's duty periods re-derived from the saved rows
(block/duty.py, as `compliance check --block` does), measured by the checker's timeline
(`measure_period`) week by week, and the block's average that ACGME-80H judges
(`check_duty`'s period figures), with the checker's findings about the person. Only residents
have duty periods (the ACGME rules are about residents). docs/web.md, "A person's page"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from residency.calendar import service as calendar
from residency.calendar.academic_year import year_label
from residency.calendar.models import Block
from residency.compliance.rules.averaging import Period, PeriodStats, measure_period
from residency.compliance.rules.base import Finding
from residency.compliance.rules.eighty_hours import LIMIT_HOURS_PER_WEEK
from residency.compliance.rules.timeline import PersonTimeline
from residency.compliance.validator import check_duty
from residency.people.models import Person, PersonKind
from residency.scheduling import repository as repo
from residency.scheduling.annual.grid import annual_grid
from residency.scheduling.block.duty import duty_periods_between
from residency.scheduling.block.grid import GridRow, block_grid
from residency.scheduling.block.verdict import checker_options
from residency.scheduling.fairness import Worked, holidays_between, worked_between
from residency.scheduling.models import RunKind
from residency.scheduling.repository import PUBLISHED
from residency.scheduling.runs.versions import published, scope_of

WEEK_DAYS = 7
# A block's days left over after its whole weeks (block 13 has 29 or 30) join the last week,
# as the checker joins up to three days to a rotation's last four-week piece.
MAX_REMAINDER_DAYS = 3


@dataclass(frozen=True)
class Day:
    day: date
    am: str  # rotation abbreviation, "" for nothing
    pm: str
    call: bool  # on call this night
    post_call: bool  # the day after a call night
    absence: str | None  # the absence type
    weekend: bool
    holiday: str | None
    today: bool


@dataclass(frozen=True)
class WeekHours:
    """One week of the block as the checker measures it."""

    first: date
    last: date  # inclusive
    hours: float  # worked (active duty, merged as the checker merges it)
    leave_days: int
    eligible_days: int
    hours_per_week: float | None  # None: the week is all leave


@dataclass(frozen=True)
class Hours:
    weeks: tuple[WeekHours, ...]
    average: float | None  # the block's hours per week that ACGME-80H judges; None: all leave
    limit: int
    averaging: str  # how the checker averages ("academic blocks of 28 days")
    findings: tuple[Finding, ...]  # the checker's findings about the person in the block

    @property
    def highest(self) -> float:
        values = [w.hours_per_week or 0.0 for w in self.weeks] + [self.average or 0.0]
        return max(values)


@dataclass(frozen=True)
class AbsenceRow:
    absence_type: str
    start: date
    end: date
    blocks_scheduling: bool
    note: str


@dataclass(frozen=True)
class PlanBlock:
    number: int
    start: date
    end: date
    first_half: str
    second_half: str
    current: bool  # the block the page shows


@dataclass(frozen=True)
class PersonPage:
    key: str
    name: str
    resident: bool
    pgy: int | None  # None: faculty, or a resident with no level this year
    academic_year: int
    label: str
    block: int
    start: date
    end: date
    block_published: bool
    days: tuple[Day, ...]
    plan: tuple[PlanBlock, ...]  # empty for faculty
    hours: Hours | None  # None: faculty (no duty periods), or no duty in the block
    worked: Worked  # published calls and holidays from the year's start through `through`
    through: date | None  # None: the year has not begun
    absences: tuple[AbsenceRow, ...]


def shown_block(session: Session, year: int, today: date) -> int:
    """The block holding today; outside the year the latest published one, else block 1 (as
    `/blocks` chooses)."""
    blocks = calendar.academic_year_with_blocks(session, year).blocks
    holding = [b.number for b in blocks if b.start_date <= today <= b.end_date]
    done = [
        b.number
        for b in blocks
        if published(session, scope_of(RunKind.BLOCK_SCHEDULE, year, b.number))
    ]
    return (holding or done[-1:] or [1])[0]


def person_page(
    session: Session, person: Person, year: int, number: int, today: date
) -> PersonPage:
    block = calendar.block_row(session, year, number)
    year_row = calendar.academic_year_row(session, year)
    pgy = repo.resident_levels(session, year).get(person.id)
    through = min(today, year_row.end_date)
    began = through >= year_row.start_date
    worked = worked_between(session, year_row.start_date, through, person.id) if began else {}
    scope = scope_of(RunKind.BLOCK_SCHEDULE, year, number)
    block_published = published(session, scope) is not None
    return PersonPage(
        key=person.key,
        name=person.name,
        resident=person.kind == PersonKind.RESIDENT,
        pgy=pgy,
        academic_year=year,
        label=year_label(year_row.start_date),
        block=number,
        start=block.start_date,
        end=block.end_date,
        block_published=block_published,
        days=block_days(session, person.key, year, block, today),
        plan=year_plan(session, person, year, number),
        hours=(
            block_hours(session, person.key, year, block, block_published)
            if pgy is not None
            else None
        ),
        worked=worked.get(person.id, Worked()),
        through=through if began else None,
        absences=year_absences(session, person, year_row.start_date, year_row.end_date),
    )


def block_days(session: Session, key: str, year: int, block: Block, today: date) -> tuple[Day, ...]:
    grid = block_grid(session, year, block.number, PUBLISHED, person=key)
    row = grid.rows[0] if grid.rows else GridRow(key, key, 0, {})
    holidays = holidays_between(session, grid.start, grid.end)
    return tuple(_day(row, day, grid.start, holidays.get(day), today) for day in grid.days)


def _day(row: GridRow, day: date, first_day: date, holiday: str | None, today: date) -> Day:
    am, pm = row.cells.get(day, ("", ""))
    return Day(
        day,
        am,
        pm,
        call=day in row.calls,
        post_call=row.post_call(day, first_day),
        absence=row.absences.get(day),
        weekend=day.weekday() >= 5,
        holiday=holiday,
        today=day == today,
    )


def year_plan(session: Session, person: Person, year: int, shown: int) -> tuple[PlanBlock, ...]:
    if person.kind != PersonKind.RESIDENT:
        return ()
    grid = annual_grid(session, year, PUBLISHED)
    row = next((r for r in grid.rows if r.person_key == person.key), None)
    return tuple(
        PlanBlock(
            b.number,
            b.start,
            b.end,
            *(row.blocks[b.number] if row else ("", "")),
            current=b.number == shown,
        )
        for b in grid.blocks
    )


def week_periods(first: date, last: date) -> list[Period]:
    """The block's days as weeks from its first day; a short remainder joins the last."""
    stop = last + timedelta(days=1)
    starts = [first + timedelta(days=k) for k in range(0, (stop - first).days, WEEK_DAYS)]
    if len(starts) > 1 and (stop - starts[-1]).days <= MAX_REMAINDER_DAYS:
        starts.pop()
    ends = [*starts[1:], stop]
    return [
        Period(s, e, f"week {i + 1}") for i, (s, e) in enumerate(zip(starts, ends, strict=False))
    ]


def block_hours(
    session: Session, key: str, year: int, block: Block, published: bool
) -> Hours | None:
    """None: nothing is published and no leave is known for the block (no duty periods)."""
    start, end = block.start_date, block.end_date
    duty = [p for p in duty_periods_between(session, start, end, year) if p.person_id == key]
    options = checker_options(session)
    if not duty:
        return _no_duty(start, end, options.averaging_label) if published else None
    result = check_duty(duty, options)  # the checker measures each person alone
    timeline = PersonTimeline(key, duty, options.continuous_break_minutes * 60)
    weeks = tuple(_week(measure_period(timeline, p)) for p in week_periods(start, end))
    averaged = [s for s in result.period_stats if s.period.start == start]
    return Hours(
        weeks=weeks,
        average=averaged[0].hours_per_week if averaged else None,
        limit=LIMIT_HOURS_PER_WEEK,
        averaging=options.averaging_label,
        findings=tuple(result.findings),
    )


def _no_duty(start: date, end: date, averaging: str) -> Hours:
    """A published block without a duty period of the person's: no hours at all (the checker
    has nothing to measure; zero is what it would count)."""
    weeks = tuple(
        WeekHours(p.start, p.end - timedelta(days=1), 0.0, 0, p.days, 0.0)
        for p in week_periods(start, end)
    )
    return Hours(weeks, 0.0, LIMIT_HOURS_PER_WEEK, averaging, ())


def _week(stats: PeriodStats) -> WeekHours:
    return WeekHours(
        stats.period.start,
        stats.period.end - timedelta(days=1),
        stats.hours,
        stats.leave_days,
        stats.eligible_days,
        stats.hours_per_week if stats.eligible_days else None,
    )


def year_absences(
    session: Session, person: Person, first: date, last: date
) -> tuple[AbsenceRow, ...]:
    return tuple(
        AbsenceRow(a.absence_type.value, a.start_date, a.end_date, a.blocks_scheduling, a.note)
        for a in repo.absences_between(session, first, last)
        if a.person_id == person.id
    )
