"""Fairness, `/fairness`: per resident, the calls, weekend calls, holidays worked and inpatient
weeks of the academic year's PUBLISHED schedule, grouped within each PGY with the spread
(most minus fewest) of each column, and the engine's soft rules that shape those numbers,
read from the registries (their names, weights and reasons, so the page cannot drift from
the solver). The person page (block/person_view.py) counts one person's calls, weekend calls
and holidays with `worked_between`, the same definitions. docs/web.md, "Fairness".

Definitions:
- a call: a published call assignment that is not a backup (a backup is on standby);
- a weekend call: a call on a Saturday or Sunday night (the calendar's weekend, as
  `half_days.is_weekend`), or of call type `weekend`. The engine's call equity rules count
  Sunday and Monday-to-Thursday nights apart; Friday and Saturday are the weekend's calls of
  the mini program's CALL service, but Friday is a weekday in the calendar;
- a holiday worked: a calendar holiday (`half_days.is_holiday`) with a call that night or a
  half-day on a rotation that is work (not a `leave` or `off` template);
- inpatient weeks: the days of the blocks with a published block schedule that the rotation
  plan puts the resident on an inpatient service (activity type `inpatient`, narrowed to the
  policy's `block_schedule.inpatient_services` when it lists them, as the block engine
  does), in weeks (a 28-day block is 4, a half-block 2).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.calendar import service as calendar
from residency.calendar.academic_year import year_label
from residency.calendar.models import HalfDay
from residency.program.settings import program_policy
from residency.rotations.models import ActivityType, RotationTemplate
from residency.scheduling import repository as repo
from residency.scheduling.block.policy import BlockSettings
from residency.scheduling.block.problem import ACTIVITY_KINDS, activity_kind
from residency.scheduling.engine.annual.constraints import spread
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.constraints import call_equity
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.problem import ActivityKind
from residency.scheduling.models import Assignment, CallAssignment, CallType, RunKind
from residency.scheduling.planned_leave import half_span
from residency.scheduling.repository import PUBLISHED
from residency.scheduling.runs.versions import published, scope_of

WEEKEND_DAYS = frozenset({5, 6})  # Saturday, Sunday: calendar.service's is_weekend
NOT_WORK = (ActivityType.LEAVE, ActivityType.OFF)
COLUMNS = ("calls", "weekend_calls", "holidays", "inpatient_weeks")
# The modules of the engines' soft rules about call shares and the hard-rotation load: the
# page lists every soft rule registered from them, so a rule added there shows up here.
SHAPING_MODULES = {
    call_equity.__name__: "block schedule",
    spread.__name__: "annual plan",
}


@dataclass(frozen=True)
class CallNight:
    night: date
    call_type: CallType
    weekend: bool
    holiday: str | None  # the holiday's name when the night is one


@dataclass(frozen=True)
class Worked:
    """One person's published calls and holidays worked in a date range."""

    calls: tuple[CallNight, ...] = ()
    holidays: tuple[tuple[date, str], ...] = ()  # (day, holiday name)

    @property
    def weekend_calls(self) -> int:
        return sum(c.weekend for c in self.calls)


@dataclass(frozen=True)
class ShapingRule:
    name: str
    level: str  # "block schedule" or "annual plan"
    weight: int
    reason: str


@dataclass(frozen=True)
class ResidentRow:
    person_key: str
    name: str
    calls: int
    weekend_calls: int
    holidays: int
    inpatient_weeks: float


@dataclass(frozen=True)
class PgyGroup:
    pgy: int
    rows: tuple[ResidentRow, ...]
    spread: dict[str, float]  # column -> most minus fewest within the PGY


@dataclass(frozen=True)
class Fairness:
    academic_year: int
    label: str
    published_blocks: tuple[int, ...]
    groups: tuple[PgyGroup, ...]
    rules: tuple[ShapingRule, ...] = field(default_factory=tuple)


def is_weekend_call(call: CallAssignment) -> bool:
    return call.call_type == CallType.WEEKEND or call.date.weekday() in WEEKEND_DAYS


def holidays_between(session: Session, start: date, end: date) -> dict[date, str]:
    query = select(HalfDay.date, HalfDay.holiday_name).where(
        HalfDay.date.between(start, end), HalfDay.is_holiday
    )
    return {day: name or "holiday" for day, name in session.execute(query).tuples()}


def worked_between(
    session: Session, start: date, end: date, person_id: int | None = None
) -> dict[int, Worked]:
    """person id -> their published calls and holidays worked, start..end inclusive (one
    person's with `person_id`)."""
    holidays = holidays_between(session, start, end)
    calls: dict[int, list[CallNight]] = defaultdict(list)
    for call in repo.calls_between(session, start, end, PUBLISHED):
        if call.call_type == CallType.BACKUP or person_id not in (None, call.person_id):
            continue
        night = CallNight(call.date, call.call_type, is_weekend_call(call), holidays.get(call.date))
        calls[call.person_id].append(night)
    days: dict[int, set[date]] = defaultdict(set)
    for who, day in _working_half_days(session, set(holidays), person_id):
        days[who].add(day)
    for who, nights in calls.items():
        days[who] |= {c.night for c in nights if c.holiday is not None}
    return {
        who: Worked(tuple(calls[who]), tuple((d, holidays[d]) for d in sorted(days[who])))
        for who in calls.keys() | days.keys()
    }


def _working_half_days(
    session: Session, holidays: set[date], person_id: int | None
) -> list[tuple[int, date]]:
    """(person id, day) of each published half-day of work on one of the holidays."""
    if not holidays:
        return []
    query = (
        select(Assignment.person_id, HalfDay.date)
        .join(HalfDay, Assignment.half_day_id == HalfDay.id)
        .join(RotationTemplate, Assignment.rotation_id == RotationTemplate.id)
        .where(
            HalfDay.date.in_(holidays),
            RotationTemplate.activity_type.not_in(NOT_WORK),
            PUBLISHED.holds(Assignment.schedule_run_id),
        )
    )
    if person_id is not None:
        query = query.where(Assignment.person_id == person_id)
    return list(session.execute(query).tuples())


def is_inpatient(template: RotationTemplate, settings: BlockSettings) -> bool:
    """The block engine's inpatient kind (block/problem.py `activity_kind`)."""
    kind = template.activity_type
    return kind in ACTIVITY_KINDS and activity_kind(template, settings) == ActivityKind.INPATIENT


def published_block_numbers(session: Session, year: int) -> tuple[int, ...]:
    blocks = calendar.academic_year_with_blocks(session, year).blocks
    scopes = {b.number: scope_of(RunKind.BLOCK_SCHEDULE, year, b.number) for b in blocks}
    return tuple(n for n, scope in sorted(scopes.items()) if published(session, scope))


def inpatient_days(session: Session, year: int, numbers: tuple[int, ...]) -> dict[int, int]:
    """person id -> days the plan puts them on an inpatient service in those blocks."""
    settings = BlockSettings.from_policy(program_policy(session))
    blocks = {b.number: b for b in calendar.academic_year_with_blocks(session, year).blocks}
    found: dict[int, int] = defaultdict(int)
    for number in numbers:
        for entry in repo.plan_entries(session, year, number, PUBLISHED):
            if is_inpatient(entry.rotation, settings):
                first, last = half_span(blocks[number], entry.block_half)
                found[entry.person_id] += (last - first).days + 1
    return found


def shaping_rules() -> tuple[ShapingRule, ...]:
    """The soft rules of both engines that shape calls and the hard-rotation load."""
    rules = []
    for rule in (*REGISTRY, *ANNUAL_REGISTRY):
        level = SHAPING_MODULES.get(type(rule).__module__)
        if level is not None and not rule.hard:
            rules.append(ShapingRule(rule.name, level, rule.weight, rule.reason))
    return tuple(rules)


def fairness(session: Session, year: int) -> Fairness:
    row = calendar.academic_year_row(session, year)
    numbers = published_block_numbers(session, year)
    worked = worked_between(session, row.start_date, row.end_date)
    inpatient = inpatient_days(session, year, numbers)
    levels = repo.resident_levels(session, year)
    people = repo.people_by_id(session, list(levels))
    by_pgy: dict[int, list[ResidentRow]] = defaultdict(list)
    for person_id, pgy in levels.items():
        mine = worked.get(person_id, Worked())
        by_pgy[pgy].append(
            ResidentRow(
                people[person_id].key,
                people[person_id].name,
                calls=len(mine.calls),
                weekend_calls=mine.weekend_calls,
                holidays=len(mine.holidays),
                inpatient_weeks=inpatient.get(person_id, 0) / 7,
            )
        )
    groups = tuple(
        PgyGroup(pgy, tuple(sorted(rows, key=lambda r: r.person_key)), _spread(rows))
        for pgy, rows in sorted(by_pgy.items())
    )
    return Fairness(year, year_label(row.start_date), numbers, groups, shaping_rules())


def _spread(rows: list[ResidentRow]) -> dict[str, float]:
    return {
        column: max(getattr(r, column) for r in rows) - min(getattr(r, column) for r in rows)
        for column in COLUMNS
    }
