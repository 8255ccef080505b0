"""A block's rotations written by hand, for tests and the block benchmark (not the demo).

The real plan comes from `residency plan year` (the Level-1 annual solver), which the demo
runs. Tests of Level 2 and its benchmark need a fixed input that does not change with the
Level-1 solver, so they put residents on rotations for one block directly with this function.
Rows are marked `source=import` with an override reason saying where they came from.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from residency.errors import InputError
from residency.people.models import Person
from residency.rotations.repository import rotation_ids_by_abbreviation
from residency.scheduling.models import AssignmentSource, RotationPlanEntry

FALLBACK_REASON = "fixed plan written for a test or a benchmark (not the Level-1 solver)"

# Block 10 of the demo program: FMIT with an intern and seniors, FMIT night float split into two
# halves, the other interns on their required services, seniors in clinics and electives.
DEMO_BLOCK_PLAN: dict[str, str | tuple[str, str]] = {
    "res-pgy1-01": "FMIT",
    "res-pgy1-02": "FMIT",
    "res-pgy1-03": "LD",
    "res-pgy1-04": "PEDW",
    "res-pgy1-05": "NBN",
    "res-pgy1-06": "FMC",
    "res-pgy2-01": "FMIT",
    "res-pgy2-02": ("FMIT-NF", "ELEC"),
    "res-pgy2-03": "PEDC",
    "res-pgy2-04": "EM",
    "res-pgy2-05": "ELEC",  # deployed for the whole block
    "res-pgy2-06": "GERI",
    "res-pgy3-01": "FMC",
    "res-pgy3-02": "FMIT",
    "res-pgy3-03": ("ELEC", "FMIT-NF"),
    "res-pgy3-04": "SM",
    "res-pgy3-05": "PROC",
    "res-pgy3-06": "COMM",
}


def fixed_block_plan(
    session: Session,
    academic_year: int,
    block: int,
    plan: Mapping[str, str | tuple[str, str]],
) -> int:
    """Replace the block's plan entries of the named residents: a rotation for the whole block,
    or (first half, second half). Returns the entries written."""
    people = {p.key: p.id for p in session.scalars(select(Person).where(Person.key.in_(plan)))}
    rotations = rotation_ids_by_abbreviation(session)
    unknown = sorted(set(plan) - set(people))
    if unknown:
        raise InputError(f"fallback plan names unknown people: {', '.join(unknown)}")
    session.execute(
        delete(RotationPlanEntry).where(
            RotationPlanEntry.academic_year == academic_year,
            RotationPlanEntry.block_number == block,
            RotationPlanEntry.person_id.in_(people.values()),
        )
    )
    written = 0
    for key, rotation in plan.items():
        halves = (
            [(0, rotation)] if isinstance(rotation, str) else [(1, rotation[0]), (2, rotation[1])]
        )
        for half, abbreviation in halves:
            if abbreviation not in rotations:
                raise InputError(f"fallback plan: {key}: unknown rotation {abbreviation!r}")
            session.add(
                RotationPlanEntry(
                    person_id=people[key],
                    academic_year=academic_year,
                    block_number=block,
                    block_half=half,
                    rotation_id=rotations[abbreviation],
                    source=AssignmentSource.IMPORT,
                    locked=False,
                    override_reason=FALLBACK_REASON,
                )
            )
            written += 1
    session.flush()
    return written
