"""Checks of a schedule version as SAVED (read back from the database, not the solver's
answer): conflicts, coverage of required positions, and manual rows kept against a rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from residency.scheduling import repository as repo
from residency.scheduling.block.data import FMIT_ROW, AbsenceRef, BlockData
from residency.scheduling.engine.constraints.base import Violation
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.constraints.staffing import running_slots
from residency.scheduling.engine.items import fmit_week_starts
from residency.scheduling.engine.results import Schedule
from residency.scheduling.repository import Version


def conflicts(session: Session, data: BlockData, version: Version) -> list[dict[str, Any]]:
    """Double bookings, work during a blocking absence, and ineligible rows, from the rows."""
    blocked = defaultdict(list)
    for a in data.absences:
        if a.blocks_scheduling:
            blocked[a.person_key].append(a)
    found: list[dict[str, Any]] = []
    timed: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for row in repo.assignments_between(session, data.start, data.end, version):
        key, day, what = row.person.key, row.half_day.date, row.rotation.abbreviation
        found += _during_absence(blocked[key], key, day, what)
        pgy = data.levels.get(key)
        if pgy is not None and row.rotation.eligible_pgy and pgy not in row.rotation.eligible_pgy:
            found.append(_conflict("ineligible", key, day, f"PGY-{pgy} on {what}"))
        if row.activity == FMIT_ROW:
            continue
        for shift in row.rotation.duty_pattern().shifts_on(day.weekday()):
            if shift.session == row.half_day.session:
                timed[key].append((*shift.on(day), f"{what} {row.half_day.session}"))
    for call in repo.calls_between(session, data.start, data.end, version):
        key = call.person.key
        found += _during_absence(blocked[key], key, call.date, "call")
        timed[key].append((call.starts_at, call.ends_at, f"{call.call_type} call"))
        service = data.service_for(call.call_type)
        template = data.templates.get(service or "")
        pgy = data.levels.get(key)
        if template and pgy and template.eligible_pgy and pgy not in template.eligible_pgy:
            found.append(_conflict("ineligible", key, call.date, f"PGY-{pgy} on {service} call"))
    for key, items in timed.items():
        found += _overlaps(key, sorted(items))
    return found


def _conflict(kind: str, person: str, day: date, detail: str) -> dict[str, Any]:
    return {"type": kind, "person_id": person, "day": day.isoformat(), "detail": detail}


def _during_absence(
    absences: list[AbsenceRef], key: str, day: date, what: str
) -> list[dict[str, Any]]:
    return [
        _conflict("during_absence", key, day, f"{what} during {a.kind}")
        for a in absences
        if a.start <= day <= a.end
    ]


def _overlaps(key: str, items: list[tuple[datetime, datetime, str]]) -> list[dict[str, Any]]:
    found = []
    latest: tuple[datetime, datetime, str] | None = None
    for item in items:
        if latest is not None and item[0] < latest[1]:
            detail = f"{latest[2]} overlaps {item[2]}"
            found.append(_conflict("double_booking", key, item[0].date(), detail))
        if latest is None or item[1] > latest[1]:
            latest = item
    return found


def coverage(schedule: Schedule) -> dict[str, Any]:
    """Filled required positions over required positions (never above 100 %); staffing above
    the minimum is counted separately so it cannot inflate the percentage."""
    problem = schedule.problem
    required = filled = above = 0
    for activity in (a for a in problem.activities if a.min_residents > 0):
        for day, session in running_slots(problem, activity):
            count = sum(
                1 for p in schedule.in_slot(activity.id, day, session) if problem.resident(p)
            )
            required += activity.min_residents
            filled += min(count, activity.min_residents)
            above += max(0, count - activity.min_residents)
    for service in problem.call_services:
        for day in problem.days:
            if service.pattern.shifts_on(day.weekday()):
                count = len(schedule.on_call(service.id, day))
                required += service.per_night
                filled += min(count, service.per_night)
    if problem.policy.fmit is not None:
        need = problem.policy.fmit.attendings_per_week
        for week in fmit_week_starts(problem):
            required += need
            filled += min(len(schedule.fmit_attendings(week)), need)
    pct = 100.0 if required == 0 else round(100.0 * filled / required, 2)
    return {"coverage_pct": pct, "required": required, "filled": filled, "above_minimum": above}


def hard_violations(schedule: Schedule) -> list[Violation]:
    """Every hard rule's own plain-Python check on the saved schedule (the verdict decides
    which of them a kept override excuses)."""
    return [v for rule in REGISTRY if rule.hard for v in rule.violations(schedule)]


@dataclass(frozen=True)
class Override:
    """A kept row with a recorded reason: a coordinator's exception to a rule, for the hours
    the row stands for."""

    person_id: str
    day: date
    session: str
    rotation: str
    reason: str
    locked: bool
    starts: datetime
    ends: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "day": self.day.isoformat(),
            "session": self.session,
            "rotation": self.rotation,
            "reason": self.reason,
            "locked": self.locked,
        }


def acgme_overrides(data: BlockData) -> list[Override]:
    """Manual rows kept with a recorded reason (a coordinator's override of a rule)."""
    found = []
    for row in data.kept_slots:
        if row.override_reason:
            template = data.templates[row.rotation]
            starts, ends = row.duty_window(template.pattern)
            found.append(
                Override(
                    row.person_key,
                    row.day,
                    str(row.session),
                    row.rotation,
                    row.override_reason,
                    row.locked,
                    starts,
                    ends,
                )
            )
    found += [
        Override(
            call.person_key,
            call.day,
            "night",
            f"{call.call_type} call",
            call.override_reason,
            call.locked,
            call.starts_at,
            call.ends_at,
        )
        for call in data.kept_calls
        if call.override_reason
    ]
    return found
