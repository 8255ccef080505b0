"""The database as a program file, in a stable order so that export, import, export is a no-op."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from residency.absences.models import Absence
from residency.calendar.models import AcademicYear
from residency.calendar.service import HOLIDAYS_POLICY_KEY, region_of_policy
from residency.errors import NotFoundError
from residency.ops.models import SETTINGS_ROW_ID, AppSettings
from residency.people.models import Person, PersonKind
from residency.program.schema import (
    AbsenceEntry,
    CurriculumEntry,
    Faculty,
    FixedRotation,
    Holidays,
    ProgramDocument,
    ProgramInfo,
    Resident,
    Rotation,
    StaffingBounds,
    StaffingRuleEntry,
    format_shift,
)
from residency.rotations.duty_pattern import WEEKDAYS
from residency.rotations.models import CurriculumRequirement, RotationTemplate, StaffingRule
from residency.scheduling.models import AssignmentSource, RotationPlanEntry


def export_program(session: Session) -> ProgramDocument:
    settings = session.get(AppSettings, SETTINGS_ROW_ID)
    assert settings is not None, "migrations create the settings row"
    years = list(session.scalars(select(AcademicYear.year).order_by(AcademicYear.year)))
    if not years:  # a program file needs at least one academic year
        raise NotFoundError(
            "there is no program to export: the database has no academic year; run "
            "`residency seed demo` or `residency program import FILE.yaml`"
        )
    people = list(
        session.scalars(select(Person).options(selectinload(Person.levels)).order_by(Person.key))
    )
    return ProgramDocument(
        program=ProgramInfo(
            name=settings.program_name or "Unnamed program",
            academic_year_start=(
                f"{settings.academic_year_start_month:02d}-{settings.academic_year_start_day:02d}"
            ),
            academic_years=years,
            holidays=Holidays(**asdict(region_of_policy(settings.policy or {}))),
            policy={k: v for k, v in settings.policy.items() if k != HOLIDAYS_POLICY_KEY},
        ),
        residents=[
            Resident(
                key=p.key,
                name=p.name,
                email=p.email,
                pgy={level.academic_year: level.pgy for level in p.levels},
            )
            for p in people
            if p.kind == PersonKind.RESIDENT
        ],
        faculty=[
            Faculty(key=p.key, name=p.name, email=p.email, role=p.faculty_role)
            for p in people
            if p.kind == PersonKind.FACULTY and p.faculty_role is not None
        ],
        rotations=[_rotation(t) for t in _templates(session)],
        absences=_absences(session),
        fixed_rotations=_fixed_rotations(session),
        curriculum=curriculum_entries(session),
        staffing_rules=staffing_rule_entries(session),
    )


def _templates(session: Session) -> list[RotationTemplate]:
    return list(
        session.scalars(
            select(RotationTemplate)
            .options(selectinload(RotationTemplate.shifts))
            .order_by(RotationTemplate.abbreviation)
        )
    )


def _rotation(template: RotationTemplate) -> Rotation:
    pattern: dict[str, list[str]] = defaultdict(list)
    for shift in sorted(template.shifts, key=lambda s: (s.weekday, s.start_time)):
        pattern[WEEKDAYS[shift.weekday]].append(
            format_shift(shift.start_time, shift.end_time, shift.kind)
        )
    return Rotation(
        abbreviation=template.abbreviation,
        name=template.name,
        activity_type=template.activity_type,
        eligible_pgy=sorted(template.eligible_pgy),
        residents_per_block=StaffingBounds(
            min=template.min_residents_per_block, max=template.max_residents_per_block
        ),
        residents_per_half_day=StaffingBounds(
            min=template.min_residents_per_half_day, max=template.max_residents_per_half_day
        ),
        requires_supervision=template.requires_supervision,
        half_block=template.half_block,
        description=template.description,
        color=template.color,
        duty_pattern=dict(pattern),
        active=template.active,
    )


def _absences(session: Session) -> list[AbsenceEntry]:
    rows = session.execute(
        select(Absence, Person.key).join(Person).order_by(Person.key, Absence.start_date)
    ).tuples()
    return [
        AbsenceEntry(
            person=key,
            type=a.absence_type,
            start=a.start_date,
            end=a.end_date,
            blocks_scheduling=a.blocks_scheduling,
            note=a.note,
        )
        for a, key in rows
    ]


def _fixed_rotations(session: Session) -> list[FixedRotation]:
    # Only what people decided: solver output is a schedule, not part of the program description.
    rows = session.execute(
        select(RotationPlanEntry, Person.key, RotationTemplate.abbreviation)
        .join(Person, RotationPlanEntry.person_id == Person.id)
        .join(RotationTemplate, RotationPlanEntry.rotation_id == RotationTemplate.id)
        .where(RotationPlanEntry.source != AssignmentSource.SOLVER)
        .order_by(
            Person.key,
            RotationPlanEntry.academic_year,
            RotationPlanEntry.block_number,
            RotationPlanEntry.block_half,
        )
    ).tuples()
    return [
        FixedRotation(
            person=key,
            academic_year=e.academic_year,
            block=e.block_number,
            half=e.block_half,
            rotation=abbreviation,
            locked=e.locked,
        )
        for e, key, abbreviation in rows
    ]


def curriculum_entries(session: Session) -> list[CurriculumEntry]:
    rows = session.execute(
        select(CurriculumRequirement, RotationTemplate.abbreviation)
        .join(RotationTemplate)
        .order_by(CurriculumRequirement.pgy, RotationTemplate.abbreviation)
    ).tuples()
    return [
        CurriculumEntry(
            pgy=c.pgy,
            rotation=abbreviation,
            min_blocks=c.min_half_blocks / 2,
            max_blocks=c.max_half_blocks / 2,
        )
        for c, abbreviation in rows
    ]


def staffing_rule_entries(session: Session) -> list[StaffingRuleEntry]:
    rows = session.execute(
        select(StaffingRule, RotationTemplate.abbreviation)
        .join(RotationTemplate)
        .order_by(RotationTemplate.abbreviation, StaffingRule.min_pgy, StaffingRule.max_pgy)
    ).tuples()
    return [
        StaffingRuleEntry(
            rotation=abbreviation,
            min_pgy=r.min_pgy,
            max_pgy=r.max_pgy,
            min_residents=r.min_residents,
        )
        for r, abbreviation in rows
    ]
