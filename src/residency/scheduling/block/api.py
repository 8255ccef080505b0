"""Block routes: a block's schedule as rows a grid can draw, and its ACGME report; the
published version for everyone, a run's draft (`?run=ID`) for those who may read drafts."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from residency.auth.permissions import Permission, allows
from residency.auth.tokens import Principal
from residency.compliance.report import to_json
from residency.compliance.schemas import ComplianceReport
from residency.people.repository import key_of_person
from residency.scheduling.block.grid import FACULTY_GROUP, Grid, GridRow, block_grid
from residency.scheduling.block.schemas import BlockSchedule
from residency.scheduling.block.verdict import check_block_version
from residency.scheduling.models import RunKind
from residency.scheduling.runs.access import readable_version, version_label
from residency.web.deps import allow, transaction
from residency.web.fields import located
from residency.web.params import AcademicYear, BlockNumber, DraftRun

router = APIRouter(prefix="/api/v1", tags=["schedules"])
WHERE = {
    "academic_year": "academic_year",
    "block": "block",
    "run": "run",
    "person": "person",
}
AWAY = "absent"  # what a reader who may not see why someone is away sees


@router.get("/blocks/{academic_year}/{block}/schedule", response_model=BlockSchedule)
def block_schedule(
    request: Request,
    academic_year: AcademicYear,
    block: BlockNumber,
    run: DraftRun = None,
    person: str | None = Query(None, max_length=64, description="only this person (their key)"),
    who: Principal = Depends(allow(Permission.READ_PUBLISHED)),
) -> dict[str, Any]:
    """People grouped by PGY, then faculty; each day's AM/PM rotation, call night, absence."""
    with transaction(request, who) as session, located(**WHERE):
        version = readable_version(session, who, run, RunKind.BLOCK_SCHEDULE, academic_year, block)
        grid = block_grid(session, academic_year, block, version, person)
        # Why others are away (sick, parental...) is theirs: a reader without the program's
        # view sees only that they are, and the reason for their own absences.
        own = None if allows(who.role, Permission.READ_PROGRAM) else _own_key(session, who)
    return {
        "academic_year": academic_year,
        "block": block,
        "start": grid.start,
        "end": grid.end,
        "version": version_label(version),
        "run_id": version.run_id,
        "days": grid.days,
        "groups": _groups(grid, own),
    }


@router.get(
    "/compliance/blocks/{academic_year}/{block}",
    response_model=ComplianceReport,
    tags=["compliance"],
)
def block_compliance(
    request: Request,
    academic_year: AcademicYear,
    block: BlockNumber,
    run: DraftRun = None,
    who: Principal = Depends(allow(Permission.READ_PROGRAM)),
) -> ComplianceReport:
    """The block's ACGME report, as `compliance check --block` computes it. Staff only: it
    holds every person's hours and findings, which a resident may not read of others."""
    with transaction(request, who) as session, located(**WHERE):
        version = readable_version(session, who, run, RunKind.BLOCK_SCHEDULE, academic_year, block)
        result = check_block_version(session, academic_year, block, version)
    return ComplianceReport.model_validate(to_json(result))


def _own_key(session: Session, who: Principal) -> str:
    """The reader's own person key ("" for an account that is nobody in the program)."""
    return key_of_person(session, who.person_id) or ""


# Plain dicts, validated once against the response model as FastAPI serializes them: a model
# object per day cell would cost more than reading the block (docs/benchmarks.md, "API").
def _groups(grid: Grid, own: str | None) -> list[dict[str, Any]]:
    return [
        {
            "label": "Faculty" if group == FACULTY_GROUP else f"PGY-{group}",
            "pgy": None if group == FACULTY_GROUP else group,
            "people": [_row(grid, row, own) for row in rows],
        }
        for group, rows in groupby(grid.rows, key=lambda r: r.group)
    ]


def _row(grid: Grid, row: GridRow, own: str | None) -> dict[str, Any]:
    open_reasons = own is None or own == row.person_key
    cells = []
    for day in grid.days:
        am, pm = row.cells.get(day, ("", ""))
        away = row.absences.get(day)
        cells.append(
            {
                "date": day,
                "am": am or None,
                "pm": pm or None,
                "call": day in row.calls,
                "absence": away if away is None or open_reasons else AWAY,
            }
        )
    return {"person_key": row.person_key, "name": row.name, "days": cells}
