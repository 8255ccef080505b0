"""The engine's `Problem` for one block, read from the database.

Mapping (documented in docs/scheduling.md):
- residents: every resident with a PGY in the academic year; their rotation comes from the
  Level-1 plan (`rotation_plan_entries`); a half-block plan gives a `later_rotation` from the
  block's middle day (the annual engine's split: 14 of 28 days);
- activities: rotation templates, by `ActivityType` (`ACTIVITY_KINDS`); `call` templates become
  call services; `leave` and `off` templates schedule nothing, and neither do deactivated
  ones (a plan entry naming one leaves its resident without a rotation; kept rows naming one
  stay as they are, but are no activity of the solver's);
- faculty with their role; FMIT attendings are the roles the policy names;
- absences, locked and manual rows of the published version (kept, so given as locks; a
  draft's own, when that draft is checked as saved), the 7 days of published duty before the
  block (boundary context) and the program policy from `app_settings.policy`.

The result is plain data (`BlockData`): nothing in it is bound to the session that read it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from residency.absences.models import Absence as AbsenceRow
from residency.absences.models import counts_as_leave
from residency.calendar.models import Block
from residency.calendar.service import block_row
from residency.errors import RefusedError
from residency.people.models import FacultyRole as DbRole
from residency.people.models import Person
from residency.program.settings import program_policy
from residency.rotations.duty_pattern import DutyKind
from residency.rotations.models import ActivityType, RotationTemplate
from residency.scheduling import repository as repo
from residency.scheduling.block.data import (
    FMIT_ROW,
    AbsenceRef,
    BlockData,
    KeptCall,
    KeptSlot,
    PersonRef,
    TemplateRef,
)
from residency.scheduling.block.duty import duty_periods_between
from residency.scheduling.block.policy import BlockSettings, engine_policy
from residency.scheduling.block.rows import previous_schedule
from residency.scheduling.engine.items import fmit_week_start
from residency.scheduling.engine.problem import (
    FMIT_ACTIVITY,
    Absence,
    Activity,
    ActivityKind,
    CallService,
    CallStaff,
    Faculty,
    FacultyRole,
    Lock,
    Problem,
    Resident,
)
from residency.scheduling.models import Assignment
from residency.scheduling.planned_leave import (
    PLANNED_LEAVE,
    PlannedLeave,
    middle_day,
    planned_leave_between,
)
from residency.scheduling.repository import PUBLISHED, Version

ACTIVITY_KINDS = {
    ActivityType.INPATIENT: ActivityKind.INPATIENT,
    ActivityType.NIGHT_FLOAT: ActivityKind.NIGHT_FLOAT,
    ActivityType.CLINIC: ActivityKind.CLINIC,
    ActivityType.OUTPATIENT: ActivityKind.ELECTIVE,
    ActivityType.PROCEDURE: ActivityKind.ELECTIVE,
    ActivityType.EDUCATION: ActivityKind.DIDACTICS,
    ActivityType.ORIENTATION: ActivityKind.ADMIN,
}  # CALL: a call service; LEAVE and OFF: nothing to schedule
FACULTY_ROLES = {
    DbRole.PROGRAM_DIRECTOR: FacultyRole.PROGRAM_DIRECTOR,
    DbRole.ASSOCIATE_PROGRAM_DIRECTOR: FacultyRole.ASSOCIATE_PROGRAM_DIRECTOR,
    DbRole.OFFICER_IN_CHARGE: FacultyRole.OFFICER_IN_CHARGE,
    DbRole.DEPARTMENT_CHIEF: FacultyRole.DEPARTMENT_CHIEF,
    DbRole.SPORTS_MEDICINE: FacultyRole.CORE,  # clinic limit of core faculty
    DbRole.CORE: FacultyRole.CORE,
}
BOUNDARY_DAYS = 7


def require_plan(session: Session, academic_year: int, number: int) -> list[Any]:
    """The block's entries of the published plan; refused when there are none."""
    entries = repo.plan_entries(session, academic_year, number)
    if not entries:
        raise RefusedError(
            f"block {number} of academic year {academic_year} has no rotation plan; run "
            f"`residency plan year --academic-year {academic_year} --publish` first"
        )
    return entries


def build_block_problem(
    session: Session,
    academic_year: int,
    number: int,
    repair: bool = False,
    kept_from: Version = PUBLISHED,
    boundary_from: Version = PUBLISHED,
) -> BlockData:
    """`kept_from`: the version whose locked and manual rows are kept (the published one, which
    a new run builds on; a draft, to check that draft as saved). `boundary_from`: the version
    of the days before the block (the published one; in a chain of blocks, the previous
    block's new draft)."""
    block = block_row(session, academic_year, number)
    entries = require_plan(session, academic_year, number)
    settings = BlockSettings.from_policy(program_policy(session))
    templates = {t.abbreviation: t for t in repo.templates(session)}
    levels = repo.resident_levels(session, academic_year)
    residents_by_id = repo.people_by_id(session, list(levels))
    faculty = repo.active_faculty(session)
    people = {p.key: p for p in [*residents_by_id.values(), *faculty] if p.active}
    start, end = block.start_date, block.end_date
    absences = [a for a in repo.absences_between(session, start, end) if a.person.key in people]
    kept_rows = [
        a
        for a in repo.assignments_between(session, start, end, kept_from)
        if not repo.replaceable(a.source, a.locked) and a.person.key in people
    ]
    kept_calls = [
        c
        for c in repo.calls_between(session, start, end, kept_from)
        if not repo.replaceable(c.source, c.locked) and c.person.key in people
    ]
    residents = _residents(entries, levels, residents_by_id, settings, middle_day(block))
    used = _used_templates(residents, settings, templates, kept_rows)
    problem = Problem(
        start,
        end,
        residents=residents,
        faculty=tuple(_faculty(p, settings) for p in faculty if p.active),
        activities=tuple(_activity(templates[a], settings) for a in sorted(used)),
        call_services=tuple(
            _call_service(t)
            for t in templates.values()
            if t.activity_type == ActivityType.CALL and t.active
        ),
        absences=tuple(_absence(a) for a in absences)
        + tuple(_planned_leave(p) for p in planned_leave_between(session, start, end)),
        boundary=_boundary(session, block, academic_year, people, boundary_from),
        policy=engine_policy(settings),
    )
    data = BlockData(
        academic_year=academic_year,
        number=number,
        start=start,
        end=end,
        problem=problem,
        settings=settings,
        levels={residents_by_id[i].key: pgy for i, pgy in levels.items() if i in residents_by_id},
        people={k: PersonRef(p.id, p.key, p.name) for k, p in people.items()},
        templates={k: _template_ref(t) for k, t in templates.items()},
        absences=tuple(_absence_ref(a) for a in absences),
        kept_slots=tuple(_kept_slot(row) for row in kept_rows),
        kept_calls=tuple(_kept_call(call) for call in kept_calls),
    )
    previous = previous_schedule(session, data) if repair else None
    return replace(data, problem=replace(problem, locks=_locks(data), previous=previous))


def _template_ref(template: RotationTemplate) -> TemplateRef:
    return TemplateRef(
        template.id,
        template.abbreviation,
        template.name,
        frozenset(template.eligible_pgy),
        template.duty_pattern(),
    )


def _absence_ref(row: AbsenceRow) -> AbsenceRef:
    return AbsenceRef(
        row.person.key,
        row.start_date,
        row.end_date,
        row.absence_type.value,
        row.blocks_scheduling,
        row.note or "",
    )


def _kept_slot(row: Any) -> KeptSlot:
    return KeptSlot(
        row.person.key,
        row.half_day.date,
        row.half_day.session,
        row.rotation.abbreviation,
        row.activity,
        row.role,
        row.source,
        row.locked,
        row.override_reason,
        in_version=row.schedule_run_id is not None,
    )


def _kept_call(call: Any) -> KeptCall:
    return KeptCall(
        call.person.key,
        call.date,
        call.call_type,
        call.starts_at,
        call.ends_at,
        call.role,
        call.source,
        call.locked,
        call.override_reason,
        in_version=call.schedule_run_id is not None,
    )


def _residents(
    entries: list[Any],
    levels: dict[int, int],
    people: dict[int, Person],
    settings: BlockSettings,
    middle: date,
) -> tuple[Resident, ...]:
    halves: dict[int, dict[int, str | None]] = {}
    for entry in entries:
        rotation = entry.rotation.abbreviation if in_new_schedules(entry.rotation) else None
        halves.setdefault(entry.person_id, {})[entry.block_half] = rotation
    found = []
    for person_id, pgy in sorted(levels.items(), key=lambda item: people[item[0]].key):
        person = people[person_id]
        if not person.active:
            continue
        plan = halves.get(person_id, {})
        first = plan.get(0, plan.get(1))
        later = (middle, plan.get(2)) if 0 not in plan and plan.get(2) != first else None
        found.append(
            Resident(
                person.key,
                person.name,
                pgy,
                rotation_id=first,
                clinic_id=settings.continuity_clinic,
                later_rotation=later,
            )
        )
    return tuple(found)


def _used_templates(
    residents: tuple[Resident, ...],
    settings: BlockSettings,
    templates: dict[str, RotationTemplate],
    kept: list[Assignment],
) -> set[str]:
    """Rotations on the plan, shared activities, services that must be staffed, kept rows."""
    used = {r.rotation_id for r in residents} | {
        r.later_rotation[1] for r in residents if r.later_rotation
    }
    used |= set(settings.open_activities)
    if settings.continuity_clinic:
        used.add(settings.continuity_clinic)
    used |= {a for a, t in templates.items() if t.min_residents_per_half_day > 0}
    used |= {row.rotation.abbreviation for row in kept if row.activity != FMIT_ROW}
    return {a for a in used if a is not None and a in templates and in_new_schedules(templates[a])}


def activity_kind(template: RotationTemplate, settings: BlockSettings) -> ActivityKind:
    """The engine's kind of a schedulable template (also the label a resident's row stores)."""
    kind = ACTIVITY_KINDS[template.activity_type]
    services = settings.inpatient_services
    if (
        kind == ActivityKind.INPATIENT
        and services is not None
        and template.abbreviation not in services
    ):
        kind = ActivityKind.ELECTIVE  # another department's ward: no program headcount
    return kind


def schedulable(template: RotationTemplate) -> bool:
    return template.activity_type in ACTIVITY_KINDS and bool(template.shifts)


def in_new_schedules(template: RotationTemplate) -> bool:
    """Schedulable, and not deactivated (rotations/edits.py deactivate_template)."""
    return template.active and schedulable(template)


def _activity(template: RotationTemplate, settings: BlockSettings) -> Activity:
    kind = activity_kind(template, settings)
    clinic = kind == ActivityKind.CLINIC
    return Activity(
        template.abbreviation,
        template.name,
        kind,
        template.duty_pattern(),
        eligible_pgys=frozenset(template.eligible_pgy),
        min_residents=template.min_residents_per_half_day,
        max_residents=template.max_residents_per_half_day,
        max_physicians=settings.clinic_max_physicians.get(template.abbreviation),
        # Precepting is modelled for clinics; a service's own attendings supervise its wards.
        supervised=template.requires_supervision and clinic,
        rotation_only=not clinic and template.abbreviation not in settings.open_activities,
    )


def _call_service(template: RotationTemplate) -> CallService:
    pattern = template.duty_pattern()
    home = all(s.kind == DutyKind.HOME_CALL for s in pattern.shifts)
    return CallService(
        template.abbreviation,
        template.name,
        pattern,
        staff=CallStaff.FACULTY if home else CallStaff.RESIDENTS,
        per_night=max(1, template.min_residents_per_half_day),
        eligible_pgys=frozenset(template.eligible_pgy),
    )


def _faculty(person: Person, settings: BlockSettings) -> Faculty:
    role = person.faculty_role or DbRole.CORE
    return Faculty(
        person.key,
        person.name,
        FACULTY_ROLES[role],
        fmit_eligible=role.value in settings.fmit_attending_roles,
    )


def _absence(row: AbsenceRow) -> Absence:
    return Absence(
        row.person.key,
        row.start_date,
        row.end_date,
        row.absence_type.value,
        blocking=row.blocks_scheduling,
        is_leave=counts_as_leave(row),
    )


def _planned_leave(leave: PlannedLeave) -> Absence:
    return Absence(leave.person_key, leave.start, leave.end, PLANNED_LEAVE)


def _boundary(
    session: Session,
    block: Block,
    academic_year: int,
    people: dict[str, Person],
    version: Version,
) -> tuple[Any, ...]:
    """Duty of the 7 days before the block (rest and consecutive-night rules)."""
    year = academic_year if block.number > 1 else academic_year - 1
    first = block.start_date - timedelta(days=BOUNDARY_DAYS)
    last = block.start_date - timedelta(days=1)
    periods = duty_periods_between(session, first, last, year, version)
    return tuple(p for p in periods if p.person_id in people)


def _locks(data: BlockData) -> tuple[Lock, ...]:
    """Kept rows (locked, or made by hand) are fixed for the solver; one kept with an override
    reason is an exception no rule rejects (see `Lock`)."""
    locks: dict[tuple[str, date, str, object], Lock] = {}
    activities = {a.id for a in data.problem.activities}
    for row in data.kept_slots:
        if row.activity == FMIT_ROW:
            locks.setdefault(
                (row.person_key, fmit_week_start(row.day), FMIT_ACTIVITY, None),
                Lock(row.person_key, row.day, FMIT_ACTIVITY, override_reason=row.override_reason),
            )
        elif row.rotation in activities:
            lock = Lock(row.person_key, row.day, row.rotation, row.session, row.override_reason)
            locks[(row.person_key, row.day, lock.activity_id, lock.session)] = lock
    for call in data.kept_calls:
        service = data.service_for(call.call_type)
        if service is not None:
            locks[(call.person_key, call.day, service, None)] = Lock(
                call.person_key, call.day, service, override_reason=call.override_reason
            )
    return tuple(locks.values())
