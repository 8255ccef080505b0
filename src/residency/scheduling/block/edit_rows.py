"""The rows a manual edit changes: each edit's input checked against the block (who, what,
when) into a plan, and the plan applied to one version's rows. `edits.py` decides whether the
applied plan is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.calendar.models import HalfDay
from residency.errors import InputError, NotFoundError
from residency.people.models import Person
from residency.rotations.duty_pattern import Session as HalfDaySession
from residency.rotations.models import RotationTemplate
from residency.scheduling.block.data import FMIT_ROW, PRECEPTING, BlockData
from residency.scheduling.block.problem import activity_kind, schedulable
from residency.scheduling.engine.items import CallKey, call_item, shift_for
from residency.scheduling.engine.problem import ActivityKind, CallStaff
from residency.scheduling.models import (
    Assignment,
    AssignmentRole,
    AssignmentSource,
    CallAssignment,
    CallType,
)
from residency.scheduling.repository import Version


@dataclass(frozen=True)
class Change:
    """What an edit did to one row, as plain values (an audit entry's before and after)."""

    entity: str  # the table: assignments or call_assignments
    row_id: int
    before: dict[str, Any] | None  # None: the cell was empty
    after: dict[str, Any] | None  # None: the cell was cleared


@dataclass
class SlotPlan:
    """A checked edit of one half-day cell: `template` None clears it."""

    person: Person
    half_day: HalfDay
    template: RotationTemplate | None
    activity: str
    role: AssignmentRole
    row: Assignment | None  # the version's row of the cell, if any

    def apply(self, session: Session, run_id: int, reason: str | None) -> Change:
        before = None if self.row is None else slot_values(self.row)
        if self.template is None:
            assert self.row is not None, "plan_slot refuses to clear an empty cell"
            row_id = self.row.id
            session.delete(self.row)
            session.flush()
            return Change("assignments", row_id, before, None)
        row = self.row or Assignment(schedule_run_id=run_id)
        row.person, row.half_day, row.rotation = self.person, self.half_day, self.template
        row.activity, row.role = self.activity, self.role
        _made_by_hand(row, reason)
        session.add(row)
        session.flush()
        return Change("assignments", row.id, before, slot_values(row))


@dataclass
class CallPlan:
    """A checked edit of one call night: `person` None removes `row`'s call."""

    person: Person | None
    day: date
    call_type: CallType
    hours: tuple[datetime, datetime]  # the call shift of that night
    row: CallAssignment | None  # the call it changes; None: a call added to the night

    def apply(self, session: Session, run_id: int, reason: str | None) -> Change:
        before = None if self.row is None else call_values(self.row)
        if self.person is None:
            assert self.row is not None, "plan_call refuses to remove a call nobody holds"
            row_id = self.row.id
            session.delete(self.row)
            session.flush()
            return Change("call_assignments", row_id, before, None)
        row = self.row or CallAssignment(
            date=self.day,
            call_type=self.call_type,
            starts_at=self.hours[0],
            ends_at=self.hours[1],
            role=AssignmentRole.PRIMARY,
            schedule_run_id=run_id,
        )
        row.person = self.person
        _made_by_hand(row, reason)
        session.add(row)
        session.flush()
        return Change("call_assignments", row.id, before, call_values(row))


def _made_by_hand(row: Assignment | CallAssignment, reason: str | None) -> None:
    # Manual and locked: every later run keeps it as a lock (with a reason: as an override).
    row.source, row.locked, row.override_reason = AssignmentSource.MANUAL, True, reason


def plan_slot(
    session: Session,
    data: BlockData,
    version: Version,
    cell: tuple[str, date, str],
    rotation: str | None,
) -> SlotPlan:
    person_key, day, session_name = cell
    person = _person(session, data, person_key)
    half = _half_day(session, data, day, session_name)
    row = session.scalars(
        select(Assignment)
        .where(
            Assignment.person_id == person.id,
            Assignment.half_day_id == half.id,
            version.holds(Assignment.schedule_run_id),
        )
        .order_by(Assignment.id)
    ).first()
    if rotation is None:
        if row is None:
            raise InputError(
                f"rotation: nothing to clear, {person_key} has nothing on {day} {half.session} "
                "in this version",
                field="rotation",
            )
        return SlotPlan(person, half, None, row.activity, row.role, row)
    template = _template(session, rotation)
    _check_duty(template, half)
    activity, role = _label(data, person_key, template)
    return SlotPlan(person, half, template, activity, role, row)


def _person(session: Session, data: BlockData, key: str) -> Person:
    found = data.people.get(key)
    if found is None:
        year = data.academic_year
        raise InputError(
            f"person: {key!r} is not an active resident or faculty member of {year}-{year + 1} "
            "(`residency program export` lists them)",
            field="person",
        )
    return session.get_one(Person, found.id)


def within_block(data: BlockData, day: date) -> None:
    if not data.start <= day <= data.end:
        raise InputError(
            f"day: {day} is outside block {data.number} ({data.start} to {data.end})", field="day"
        )


def _half_day(session: Session, data: BlockData, day: date, name: str) -> HalfDay:
    within_block(data, day)
    if name not in tuple(HalfDaySession):
        raise InputError(f"session: {name!r} is not AM or PM", field="session")
    wanted = HalfDaySession(name)
    half = session.scalar(select(HalfDay).where(HalfDay.date == day, HalfDay.session == wanted))
    if half is None:
        raise NotFoundError(f"day: the calendar has no {name} half-day on {day}", field="day")
    return half


def _template(session: Session, abbreviation: str) -> RotationTemplate:
    template = session.scalar(
        select(RotationTemplate).where(RotationTemplate.abbreviation == abbreviation)
    )
    if template is None:
        raise InputError(
            f"rotation: {abbreviation!r} is not a rotation's abbreviation "
            "(`residency program export` lists them)",
            field="rotation",
        )
    if not template.active:
        raise InputError(
            f"rotation: {abbreviation} is deactivated, so it is in no new schedule "
            "(reactivate it under /program/rotations first)",
            field="rotation",
        )
    if not schedulable(template):
        raise InputError(
            f"rotation: {abbreviation} ({template.activity_type.value}) is no half-day's work: "
            "call nights are edited as calls, leave is an absence, and a cell with nothing in "
            "it is cleared",
            field="rotation",
        )
    return template


def _check_duty(template: RotationTemplate, half: HalfDay) -> None:
    if shift_for(template.duty_pattern(), half.date, half.session) is None:
        raise InputError(
            f"rotation: {template.abbreviation} has no {half.session} duty on "
            f"{half.date:%A} {half.date} (its duty pattern)",
            field="rotation",
        )


def _label(data: BlockData, key: str, template: RotationTemplate) -> tuple[str, AssignmentRole]:
    """The row's activity and role, as a run would store them."""
    pgy = data.levels.get(key)
    kind = activity_kind(template, data.settings)
    if pgy is not None:
        _check_pgy(template.abbreviation, template.eligible_pgy, key, pgy)
        return kind.value, AssignmentRole.PRIMARY
    if kind == ActivityKind.CLINIC:
        return PRECEPTING, AssignmentRole.SUPERVISING
    if template.abbreviation == data.settings.fmit_service:
        return FMIT_ROW, AssignmentRole.SUPERVISING
    raise InputError(
        f"rotation: faculty work half-days only in a clinic (precepting) or on the FMIT "
        f"service, not on {template.abbreviation}",
        field="rotation",
    )


def _check_pgy(what: str, eligible: list[int] | frozenset[int], key: str, pgy: int) -> None:
    if eligible and pgy not in eligible:
        levels = ", ".join(f"PGY-{p}" for p in sorted(eligible))
        raise InputError(f"rotation: {what} is for {levels}; {key} is PGY-{pgy}", field="rotation")


def plan_call(
    session: Session,
    data: BlockData,
    version: Version,
    night: tuple[date, str],
    person_key: str | None,
    replacing: str | None,
) -> CallPlan:
    day, type_name = night
    within_block(data, day)
    call_type = _call_type(type_name)
    service_id = data.service_for(call_type)
    service = data.problem.call_service(service_id or "")
    item = call_item(data.problem, CallKey(person_key or "", day, service_id or ""))
    if service is None or item is None:
        raise InputError(
            f"day: no {call_type} call rotation of the program has a call shift on {day:%A} {day}",
            field="day",
        )
    person = None if person_key is None else _person(session, data, person_key)
    if person_key is not None:
        _check_caller(data, person_key, service.staff, service.eligible_pgys, service.id)
    holders = list(
        session.scalars(
            select(CallAssignment)
            .where(
                CallAssignment.date == day,
                CallAssignment.call_type == call_type,
                version.holds(CallAssignment.schedule_run_id),
            )
            .order_by(CallAssignment.id)
        )
    )
    row = _changed_call(holders, person_key, replacing, service.per_night, (day, call_type))
    return CallPlan(person, day, call_type, (item.start, item.end), row)


def _call_type(name: str) -> CallType:
    if name not in tuple(CallType):
        names = ", ".join(CallType)
        raise InputError(f"call_type: {name!r} is not one of {names}", field="call_type")
    return CallType(name)


def _check_caller(
    data: BlockData, key: str, staff: CallStaff, eligible: frozenset[int], service: str
) -> None:
    pgy = data.levels.get(key)
    if (pgy is None) != (staff == CallStaff.FACULTY):
        who = "faculty" if staff == CallStaff.FACULTY else "residents"
        raise InputError(
            f"person: {service} call is taken by {who}; {key} is not one", field="person"
        )
    if pgy is not None:
        _check_pgy(f"{service} call", eligible, key, pgy)


def _changed_call(
    holders: list[CallAssignment],
    person_key: str | None,
    replacing: str | None,
    per_night: int,
    night: tuple[date, CallType],
) -> CallAssignment | None:
    """The call the edit changes: the one `replacing` names; else the person's own (locked as
    it is), none (a call added to a night short of its roster), or the night's only call."""
    by_key = {row.person.key: row for row in holders}
    on_call = ", ".join(by_key) or "nobody"
    where = f"{night[1]} call on {night[0]}"
    if replacing is not None:
        if replacing not in by_key:
            raise InputError(
                f"replacing: {replacing!r} is not on {where} (on call: {on_call})",
                field="replacing",
            )
        if person_key is not None and person_key != replacing and person_key in by_key:
            raise InputError(f"person: {person_key} is already on {where}", field="person")
        return by_key[replacing]
    if person_key is not None and person_key in by_key:
        return by_key[person_key]
    if person_key is not None and len(holders) < per_night:
        return None
    if len(holders) == 1:
        return holders[0]
    if not holders:
        raise InputError(
            f"person: nobody is on {where}; there is no call to remove", field="person"
        )
    raise InputError(
        f"replacing: {len(holders)} people are on {where} ({on_call}); name whose call "
        "this edit changes",
        field="replacing",
    )


def slot_values(row: Assignment) -> dict[str, Any]:
    return {
        "person_key": row.person.key,
        "day": row.half_day.date.isoformat(),
        "session": str(row.half_day.session),
        "rotation": row.rotation.abbreviation,
        "activity": row.activity,
        **_provenance(row),
    }


def call_values(row: CallAssignment) -> dict[str, Any]:
    return {
        "person_key": row.person.key,
        "day": row.date.isoformat(),
        "call_type": str(row.call_type),
        "starts_at": row.starts_at.isoformat(),
        "ends_at": row.ends_at.isoformat(),
        **_provenance(row),
    }


def _provenance(row: Assignment | CallAssignment) -> dict[str, Any]:
    return {
        "role": str(row.role),
        "source": str(row.source),
        "locked": row.locked,
        "override_reason": row.override_reason,
        "schedule_run_id": row.schedule_run_id,
    }
