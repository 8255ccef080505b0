"""Who is on call: for a day (the program's today by default) and each night of the week it
starts, the person on call for each call service from the PUBLISHED schedule only, with the
backup beside them. A call service is a rotation template of activity type `call`; its rows
are the call assignments of its call type (in-house or home, from its duty pattern), as the
block run saves them (block/rows.py `service_for`). Backups (call type `backup`) have no
template of their own: they are shown per night beside the services. docs/web.md, "Who is on
call"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.calendar.models import AcademicYear, Block
from residency.people.models import ResidentLevel
from residency.rotations.models import ActivityType
from residency.rotations.repository import templates_with_shifts
from residency.scheduling import repository as repo
from residency.scheduling.block.data import CALL_TYPES
from residency.scheduling.models import CallAssignment, CallType, RunKind
from residency.scheduling.runs.versions import published, scope_of

WEEK = 7
LABELS = {
    CallType.IN_HOUSE: "In-house call",
    CallType.WEEKEND: "Weekend call",
    CallType.HOME: "Home call",
}


@dataclass(frozen=True)
class Service:
    """A column of the page: a call service (or a call type with no template of its own)."""

    key: str
    name: str
    call_type: CallType


@dataclass(frozen=True)
class OnCall:
    person_key: str
    name: str
    pgy: int | None  # None: faculty
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Night:
    day: date
    by_service: dict[str, tuple[OnCall, ...]]  # service key -> who (empty: nobody)
    backup: tuple[OnCall, ...]


@dataclass(frozen=True)
class OnCallWeek:
    first: date
    services: tuple[Service, ...]
    nights: tuple[Night, ...]  # the first is tonight
    published_blocks: tuple[int, ...]  # blocks of the week with a published schedule
    unpublished_blocks: tuple[int, ...]  # blocks of the week with nothing published

    @property
    def tonight(self) -> Night:
        return self.nights[0]

    @property
    def anything_published(self) -> bool:
        return bool(self.published_blocks)


def on_call_week(session: Session, first: date) -> OnCallWeek:
    last = first + timedelta(days=WEEK - 1)
    calls = repo.calls_between(session, first, last)
    services = call_services(session, {c.call_type for c in calls})
    levels = pgy_levels(session, {c.person_id for c in calls}, first)
    column = {s.call_type: s.key for s in reversed(services)}  # the first service of a type
    nights = []
    for offset in range(WEEK):
        day = first + timedelta(days=offset)
        tonight = [c for c in calls if c.date == day]
        by_service: dict[str, list[OnCall]] = {s.key: [] for s in services}
        for call in tonight:
            if call.call_type != CallType.BACKUP:
                by_service[column[call.call_type]].append(_on_call(call, levels))
        backup = tuple(_on_call(c, levels) for c in tonight if c.call_type == CallType.BACKUP)
        nights.append(Night(day, {k: tuple(v) for k, v in by_service.items()}, backup))
    done, not_done = blocks_published(session, first, last)
    return OnCallWeek(first, tuple(services), tuple(nights), done, not_done)


def call_services(session: Session, seen: set[CallType]) -> list[Service]:
    """The call templates by abbreviation, then a column for each call type found in the
    week with no template (a weekend call imported, say), so no published call is hidden."""
    services = []
    for template in templates_with_shifts(session):
        if template.activity_type != ActivityType.CALL:
            continue
        kinds = {s.kind for s in template.duty_pattern().shifts}
        call_type = CALL_TYPES.get(next(iter(kinds)), CallType.IN_HOUSE) if kinds else None
        if call_type is not None:
            services.append(Service(template.abbreviation, template.name, call_type))
    covered = {s.call_type for s in services}
    for call_type in sorted(seen - covered - {CallType.BACKUP}):
        services.append(Service(call_type.value, LABELS[call_type], call_type))
    return services


def pgy_levels(session: Session, person_ids: set[int], day: date) -> dict[int, int]:
    """Each resident's PGY in the academic year holding `day` (faculty have none)."""
    year = session.scalar(
        select(AcademicYear.year).where(
            AcademicYear.start_date <= day, AcademicYear.end_date >= day
        )
    )
    if year is None or not person_ids:
        return {}
    query = select(ResidentLevel.person_id, ResidentLevel.pgy).where(
        ResidentLevel.academic_year == year, ResidentLevel.person_id.in_(person_ids)
    )
    return {person_id: pgy for person_id, pgy in session.execute(query).tuples()}


def blocks_published(
    session: Session, first: date, last: date
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    query = (
        select(Block.number, AcademicYear.year)
        .join(AcademicYear, Block.academic_year_id == AcademicYear.id)
        .where(Block.start_date <= last, Block.end_date >= first)
        .order_by(Block.start_date)
    )
    done: list[int] = []
    not_done: list[int] = []
    for number, year in session.execute(query).tuples():
        scope = scope_of(RunKind.BLOCK_SCHEDULE, year, number)
        (done if published(session, scope) is not None else not_done).append(number)
    return tuple(done), tuple(not_done)


def _on_call(call: CallAssignment, levels: dict[int, int]) -> OnCall:
    person = call.person
    return OnCall(person.key, person.name, levels.get(person.id), call.starts_at, call.ends_at)
