"""The annual-plan problem of a program: what Level 1 needs from a program description.

Built from a ProgramDocument, so the database (through `export_program`), a program file and
the demo all become the same AnnualProblem by the same code."""

from __future__ import annotations

from residency.calendar.academic_year import blocks, year_start
from residency.errors import InputError
from residency.program.schema import ProgramDocument
from residency.scheduling.engine.annual import (
    AnnualProblem,
    BlockSpan,
    CurriculumRequirement,
    PlanAbsence,
    PlanEntry,
    PlanPolicy,
    PlanResident,
    PlanRotation,
    StaffingRule,
)


def annual_problem(doc: ProgramDocument, academic_year: int) -> AnnualProblem:
    """The part of a program document the annual plan needs; rotations outside every PGY's
    curriculum (call, clinic half-days, didactics, days off) are Level-2 activities, not
    block rotations, and stay out of the plan. Deactivated rotations stay out too, with their
    curriculum and staffing entries; a locked entry naming one is refused by name."""
    month, day = (int(part) for part in doc.program.academic_year_start.split("-"))
    spans = tuple(
        BlockSpan(b.number, b.start, b.end) for b in blocks(year_start(academic_year, month, day))
    )
    rotations = [r for r in doc.rotations if r.active]
    active = {r.abbreviation for r in rotations}
    leave = next((r.abbreviation for r in rotations if r.activity_type == "leave"), None)
    locked = tuple(
        PlanEntry(f.person, f.block, f.half, f.rotation)
        for f in doc.fixed_rotations
        if f.locked and f.academic_year == academic_year
    )
    _refuse_deactivated_locks(locked, {r.abbreviation for r in doc.rotations} - active)
    curriculum = [c for c in doc.curriculum if c.rotation in active]
    planned = {c.rotation for c in curriculum} | {e.rotation_id for e in locked} | {leave}
    residents = tuple(
        PlanResident(r.key, r.pgy[academic_year]) for r in doc.residents if academic_year in r.pgy
    )
    ids = {r.id for r in residents}
    return AnnualProblem(
        academic_year=academic_year,
        blocks=spans,
        residents=residents,
        rotations=tuple(
            PlanRotation(
                r.abbreviation,
                str(r.activity_type),
                frozenset(r.eligible_pgy),
                r.residents_per_block.min,
                r.residents_per_block.max,
                r.half_block,
            )
            for r in rotations
            if r.abbreviation in planned
        ),
        curriculum=tuple(
            CurriculumRequirement(c.pgy, c.rotation, float(c.min_blocks), float(c.max_blocks))
            for c in curriculum
        ),
        staffing=tuple(
            StaffingRule(s.rotation, s.min_pgy, s.max_pgy, s.min_residents)
            for s in doc.staffing_rules
            if s.rotation in active
        ),
        absences=tuple(
            PlanAbsence(a.person, a.start, a.end, a.blocks_scheduling, str(a.type))
            for a in doc.absences
            if a.person in ids
        ),
        locked=locked,
        policy=PlanPolicy(leave_rotation_id=leave, only_curriculum_rotations=True),
    )


def _refuse_deactivated_locks(locked: tuple[PlanEntry, ...], deactivated: set[str]) -> None:
    """People fixed these entries: dropping one silently would undo their decision."""
    for entry in locked:
        if entry.rotation_id in deactivated:
            half = f" half {entry.half}" if entry.half else ""
            raise InputError(
                f"fixed_rotations: {entry.resident_id} block {entry.block}{half} is fixed to "
                f"{entry.rotation_id}, which is deactivated (reactivate it, or unlock the entry)",
                field="fixed_rotations",
            )
