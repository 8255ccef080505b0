"""Importing a program file into the database and exporting the database as one.

Import is idempotent: every entry is matched on its natural key (person key, rotation
abbreviation, ...), so running it twice changes nothing and says so. An import that changes
something writes one audit event with the counts (not one per entry). Entries that are in the
database but not in the file are left alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from residency.absences.models import Absence
from residency.audit.service import record
from residency.calendar.service import HOLIDAYS_POLICY_KEY, ensure_academic_year
from residency.errors import InputError
from residency.ops.models import SETTINGS_ROW_ID, AppSettings
from residency.people.models import Person, PersonKind, ResidentLevel
from residency.people.repository import person_ids_by_key
from residency.program.schema import ProgramDocument, Rotation, parse_shift
from residency.rotations.duty_pattern import WEEKDAYS
from residency.rotations.models import (
    CurriculumRequirement,
    DutyShift,
    RotationTemplate,
    StaffingRule,
)
from residency.rotations.repository import rotation_ids_by_abbreviation
from residency.scheduling.models import AssignmentSource, RotationPlanEntry
from residency.upsert import UpsertResult, upsert_rows

# The settings are one row: a report names it by the program file's section.
SETTINGS_KEY = ("program",)


@dataclass
class ImportReport:
    counts: dict[str, UpsertResult] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(r.created or r.updated for r in self.counts.values())

    def counts_json(self) -> dict[str, dict[str, int]]:
        return {
            name: {"created": r.created, "updated": r.updated, "unchanged": r.unchanged}
            for name, r in self.counts.items()
        }


def import_program(session: Session, doc: ProgramDocument) -> ImportReport:
    report = ImportReport()
    try:
        report.counts["settings"] = _import_settings(session, doc)
        half_days = UpsertResult()
        for year in doc.program.academic_years:  # on the calendar the settings now hold
            half_days += ensure_academic_year(session, year)
        report.counts["half-days"] = half_days
        report.counts["rotation templates"] = _import_rotations(session, doc.rotations)
        report.counts["people"] = _import_people(session, doc)
        person_ids = person_ids_by_key(session)
        report.counts["PGY levels"] = _import_levels(session, doc, person_ids)
        report.counts["absences"] = _import_absences(session, doc, person_ids)
        report.counts["fixed rotations"] = _import_fixed_rotations(session, doc, person_ids)
        report.counts["curriculum"] = _import_curriculum(session, doc)
        report.counts["staffing rules"] = _import_staffing_rules(session, doc)
        session.flush()
    except IntegrityError as exc:
        # The file is internally consistent (validation.py) but clashes with stored entries,
        # e.g. a new person whose e-mail another stored person already has.
        raise InputError(f"program file clashes with the database: {exc.orig}") from None
    if report.changed:  # an import that changes nothing is no change to audit
        record(session, "program.import", "program", after=report.counts_json())
    return report


def _import_settings(session: Session, doc: ProgramDocument) -> UpsertResult:
    row = session.get(AppSettings, SETTINGS_ROW_ID)
    if row is None:
        raise InputError("the app_settings row is missing: run `residency db upgrade`")
    month, day = doc.program.start_month_day()
    # The holiday country and state live in the policy JSON (no column, so no migration).
    policy = {**doc.program.policy, HOLIDAYS_POLICY_KEY: doc.program.holidays.model_dump()}
    wanted = (doc.program.name, month, day, policy)
    stored = (
        row.program_name,
        row.academic_year_start_month,
        row.academic_year_start_day,
        row.policy,
    )
    if wanted == stored:
        return UpsertResult(unchanged=1, unchanged_keys=[SETTINGS_KEY])
    row.program_name, row.academic_year_start_month, row.academic_year_start_day = wanted[:3]
    row.policy = policy
    return UpsertResult(updated=1, updated_keys=[SETTINGS_KEY])


def _import_rotations(session: Session, rotations: list[Rotation]) -> UpsertResult:
    result = upsert_rows(
        session,
        RotationTemplate,
        [
            {
                "abbreviation": r.abbreviation,
                "name": r.name,
                "activity_type": r.activity_type,
                "eligible_pgy": sorted(r.eligible_pgy),
                "min_residents_per_block": r.residents_per_block.min,
                "max_residents_per_block": r.residents_per_block.max,
                "min_residents_per_half_day": r.residents_per_half_day.min,
                "max_residents_per_half_day": r.residents_per_half_day.max,
                "requires_supervision": r.requires_supervision,
                "half_block": r.half_block,
                "description": r.description,
                "color": r.color.upper() if r.color else None,
                "active": r.active,
            }
            for r in rotations
        ],
        key_columns=["abbreviation"],
    )
    ids = rotation_ids_by_abbreviation(session)
    for rotation in rotations:
        if _replace_shifts(session, ids[rotation.abbreviation], rotation):
            result.mark_updated((rotation.abbreviation,))
    return result


def _replace_shifts(session: Session, template_id: int, rotation: Rotation) -> bool:
    """A duty pattern is one value: replaced whole when it differs. True when it changed."""
    wanted = {
        (WEEKDAYS.index(weekday), *parse_shift(text))
        for weekday, texts in rotation.duty_pattern.items()
        for text in texts
    }
    stored = set(
        session.execute(
            select(
                DutyShift.weekday, DutyShift.start_time, DutyShift.end_time, DutyShift.kind
            ).where(DutyShift.template_id == template_id)
        ).tuples()
    )
    if wanted == stored:
        return False
    session.execute(delete(DutyShift).where(DutyShift.template_id == template_id))
    session.add_all(
        DutyShift(template_id=template_id, weekday=w, start_time=s, end_time=e, kind=k)
        for w, s, e, k in sorted(wanted)
    )
    return True


def _import_people(session: Session, doc: ProgramDocument) -> UpsertResult:
    rows = [
        {
            "key": r.key,
            "kind": PersonKind.RESIDENT,
            "name": r.name,
            "email": r.email,
            "faculty_role": None,
            "active": True,
        }
        for r in doc.residents
    ] + [
        {
            "key": f.key,
            "kind": PersonKind.FACULTY,
            "name": f.name,
            "email": f.email,
            "faculty_role": f.role,
            "active": True,
        }
        for f in doc.faculty
    ]
    return upsert_rows(session, Person, rows, key_columns=["key"])


def _import_levels(
    session: Session, doc: ProgramDocument, person_ids: dict[str, int]
) -> UpsertResult:
    rows = [
        {"person_id": person_ids[r.key], "academic_year": year, "pgy": pgy}
        for r in doc.residents
        for year, pgy in sorted(r.pgy.items())
    ]
    return upsert_rows(session, ResidentLevel, rows, key_columns=["person_id", "academic_year"])


def _import_absences(
    session: Session, doc: ProgramDocument, person_ids: dict[str, int]
) -> UpsertResult:
    rows = [
        {
            "person_id": person_ids[a.person],
            "start_date": a.start,
            "absence_type": a.type,
            "end_date": a.end,
            "blocks_scheduling": a.blocks_scheduling,
            "note": a.note,
        }
        for a in doc.absences
    ]
    return upsert_rows(
        session, Absence, rows, key_columns=["person_id", "start_date", "absence_type"]
    )


def _import_fixed_rotations(
    session: Session, doc: ProgramDocument, person_ids: dict[str, int]
) -> UpsertResult:
    rotation_ids = rotation_ids_by_abbreviation(session)
    rows = [
        {
            "person_id": person_ids[f.person],
            "academic_year": f.academic_year,
            "block_number": f.block,
            "block_half": f.half,
            "rotation_id": rotation_ids[f.rotation],
            "locked": f.locked,
            "source": AssignmentSource.IMPORT,
        }
        for f in doc.fixed_rotations
    ]
    return upsert_rows(
        session,
        RotationPlanEntry,
        rows,
        key_columns=["person_id", "academic_year", "block_number", "block_half"],
        where=RotationPlanEntry.schedule_run_id.is_(None),  # people-made, outside every run
    )


def _import_curriculum(session: Session, doc: ProgramDocument) -> UpsertResult:
    rotation_ids = rotation_ids_by_abbreviation(session)
    rows = [
        {
            "pgy": c.pgy,
            "rotation_id": rotation_ids[c.rotation],
            "min_half_blocks": round(c.min_blocks * 2),
            "max_half_blocks": round(c.max_blocks * 2),
        }
        for c in doc.curriculum
    ]
    return upsert_rows(session, CurriculumRequirement, rows, key_columns=["pgy", "rotation_id"])


def _import_staffing_rules(session: Session, doc: ProgramDocument) -> UpsertResult:
    rotation_ids = rotation_ids_by_abbreviation(session)
    rows = [
        {
            "rotation_id": rotation_ids[r.rotation],
            "min_pgy": r.min_pgy,
            "max_pgy": r.max_pgy,
            "min_residents": r.min_residents,
        }
        for r in doc.staffing_rules
    ]
    return upsert_rows(
        session, StaffingRule, rows, key_columns=["rotation_id", "min_pgy", "max_pgy"]
    )
