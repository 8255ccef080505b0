"""What changed in a block after its published version was published, for the dashboard:

- the manual edits of that version, from the audit log (`schedule.edit` events whose revision
  is the published version's: an edit of a draft has none): who, whose cell, when;
- the absences recorded since (`absence.create` events) that overlap the block and are still
  on record: the schedule may no longer fit them;
- the block's runs made since that hold a draft: a newer schedule waiting to be looked at.

Read-only; only plain dataclasses leave it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from residency import clock
from residency.absences.models import Absence
from residency.audit.models import AuditEvent
from residency.audit.service import MAX_LIMIT, AuditFilter, list_events
from residency.calendar.service import block_row
from residency.scheduling.models import RunKind, ScheduleRun
from residency.scheduling.runs.versions import PUBLISHABLE, published, scope_of

NOTHING = "empty"  # a cell or night with nothing in it, before or after an edit


@dataclass(frozen=True)
class EditSince:
    person_key: str
    day: date
    when: str  # AM, PM, or night (a call)
    before: str
    after: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class AbsenceSince:
    person_key: str
    person_name: str
    kind: str
    start: date
    end: date
    recorded_by: str
    at: datetime


@dataclass(frozen=True)
class DraftSince:
    run_id: int
    status: str
    started_at: datetime


@dataclass(frozen=True)
class SincePublish:
    academic_year: int
    block: int
    published_run_id: int
    revision: int
    published_at: datetime
    edits: tuple[EditSince, ...]
    absences: tuple[AbsenceSince, ...]
    drafts: tuple[DraftSince, ...]

    @property
    def nothing(self) -> bool:
        return not (self.edits or self.absences or self.drafts)


def since_publish(session: Session, year: int, number: int) -> SincePublish | None:
    """None when nothing of the block is published (there is no publish to compare with)."""
    scope = scope_of(RunKind.BLOCK_SCHEDULE, year, number)
    pointer = published(session, scope)
    if pointer is None:
        return None
    moment = clock.aware(pointer.published_at)
    block = block_row(session, year, number)
    return SincePublish(
        year,
        number,
        pointer.run_id,
        pointer.revision,
        moment,
        _edits(session, scope, moment),
        _absences(session, moment, block.start_date, block.end_date),
        _drafts(session, year, number, moment, pointer.run_id),
    )


def _events(session: Session, action: str, since: datetime) -> list[AuditEvent]:
    wanted = AuditFilter(action=action, since=since, limit=MAX_LIMIT)
    return sorted(list_events(session, wanted), key=lambda event: event.id)


def _edits(session: Session, scope: str, since: datetime) -> tuple[EditSince, ...]:
    found = []
    for event in _events(session, "schedule.edit", since):
        after: dict[str, Any] = event.after or {}
        if after.get("scope") != scope or after.get("revision") is None:
            continue  # another block, or a draft's edit
        before: dict[str, Any] = event.before or {}
        cell = before | {k: v for k, v in after.items() if k in ("person_key", "day", "session")}
        found.append(
            EditSince(
                person_key=str(cell.get("person_key") or event.person_key or ""),
                day=date.fromisoformat(str(cell["day"])),
                when=str(cell.get("session") or "night"),
                before=_what(before),
                after=_what(after),
                actor=event.actor_name,
                at=clock.aware(event.occurred_at),
            )
        )
    return tuple(found)


def _what(values: dict[str, Any]) -> str:
    """A half-day's rotation or a night's call type, as the edit left it."""
    if values.get("rotation"):
        return str(values["rotation"])
    if values.get("call_type"):
        return f"{values['call_type']} call"
    return NOTHING


def _absences(
    session: Session, since: datetime, first: date, last: date
) -> tuple[AbsenceSince, ...]:
    recorded = {
        int(event.entity_id): event
        for event in _events(session, "absence.create", since)
        if event.entity_id and event.entity_id.isdigit()
    }
    if not recorded:
        return ()
    rows = session.scalars(
        select(Absence)
        .where(Absence.id.in_(recorded), Absence.start_date <= last, Absence.end_date >= first)
        .options(selectinload(Absence.person))
        .order_by(Absence.id)
    )
    return tuple(
        AbsenceSince(
            row.person.key,
            row.person.name,
            row.absence_type.value,
            row.start_date,
            row.end_date,
            recorded[row.id].actor_name,
            clock.aware(recorded[row.id].occurred_at),
        )
        for row in rows
    )


def _drafts(
    session: Session, year: int, number: int, since: datetime, published_run: int
) -> tuple[DraftSince, ...]:
    runs = session.scalars(
        select(ScheduleRun)
        .where(
            ScheduleRun.kind == RunKind.BLOCK_SCHEDULE,
            ScheduleRun.academic_year == year,
            ScheduleRun.block_number == number,
            ScheduleRun.status.in_(PUBLISHABLE),
            ScheduleRun.id != published_run,
        )
        .order_by(ScheduleRun.id)
    )
    return tuple(
        DraftSince(run.id, run.status.value, clock.aware(run.started_at))
        for run in runs
        if clock.aware(run.started_at) >= since and (run.metrics or {}).get("has_schedule")
    )
