"""The annual plan route: the published plan for everyone, a run's draft (`?run=ID`) for
those who may read drafts."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.scheduling.annual.grid import PlanGrid, PlanRow, annual_grid
from residency.scheduling.annual.schemas import AnnualPlan, PlanBlockOut, PlanCell, PlanRowOut
from residency.scheduling.models import RunKind
from residency.scheduling.runs.access import readable_version, version_label
from residency.web.deps import allow, transaction
from residency.web.fields import located
from residency.web.params import AcademicYear, DraftRun

router = APIRouter(prefix="/api/v1", tags=["schedules"])


@router.get("/plan/{academic_year}", response_model=AnnualPlan)
def annual_plan(
    academic_year: AcademicYear,
    request: Request,
    run: DraftRun = None,
    who: Principal = Depends(allow(Permission.READ_PUBLISHED)),
) -> AnnualPlan:
    """Residents by PGY, each block with the rotation of its two halves."""
    with (
        transaction(request, who) as session,
        located(academic_year="academic_year", run="run"),
    ):
        version = readable_version(session, who, run, RunKind.ANNUAL_PLAN, academic_year, None)
        grid = annual_grid(session, academic_year, version)
    return AnnualPlan(
        academic_year=academic_year,
        version=version_label(version),
        run_id=version.run_id,
        blocks=[PlanBlockOut.model_validate(b, from_attributes=True) for b in grid.blocks],
        residents=[_row(grid, row) for row in grid.rows],
    )


def _row(grid: PlanGrid, row: PlanRow) -> PlanRowOut:
    cells = [_cell(b.number, *row.blocks[b.number]) for b in grid.blocks]
    return PlanRowOut(person_key=row.person_key, name=row.name, pgy=row.pgy, blocks=cells)


def _cell(block: int, first: str, second: str) -> PlanCell:
    return PlanCell(block=block, first_half=first or None, second_half=second or None)
