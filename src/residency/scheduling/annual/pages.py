"""The annual plan page, `/plan` (`?year=` another academic year, `?run=ID` an annual run's
draft): residents grouped by PGY, the 13 blocks with both halves of a split block, each cell
its rotation's abbreviation in its colour (the block grid's /blocks/colors.css), and each
resident's curriculum counts against their PGY's minimums and maximums. The same version rule
and grid as the API's `GET /api/v1/plan/{year}` (grid.annual_grid). Staff only: a plan that
is not published yet is nobody's to read, and it names every resident. docs/web.md, "Plan"."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from fastapi import APIRouter, Depends, Request, Response

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.calendar import service as calendar
from residency.calendar.academic_year import year_label
from residency.scheduling.annual.grid import (
    CurriculumCount,
    PlanRow,
    annual_grid,
    curriculum_counts,
)
from residency.scheduling.block.grid_view import Rotation, css_version, rotation_css
from residency.scheduling.block.pages import Shown, YearQuery, grid_query, rotation_colours
from residency.scheduling.models import RunKind
from residency.scheduling.runs.access import readable_version
from residency.scheduling.runs.versions import published, scope_of
from residency.web.deps import transaction
from residency.web.page_deps import page_user
from residency.web.params import DraftRun
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class PgyGroup:
    pgy: int
    rows: tuple[PlanRow, ...]
    curriculum: tuple[str, ...]  # the rotations the PGY's curriculum lists


@router.get("/plan")
def plan_page(
    request: Request,
    year: int | None = YearQuery,
    run: DraftRun = None,
    who: Principal = Depends(page_user(Permission.READ_PROGRAM)),
) -> Response:
    with transaction(request, who) as session:
        academic_year = year if year is not None else calendar.default_academic_year(session)
        version = readable_version(session, who, run, RunKind.ANNUAL_PLAN, academic_year, None)
        grid = annual_grid(session, academic_year, version)
        counts = curriculum_counts(session, grid)
        rotations = rotation_colours(session)
        pointer = published(session, scope_of(RunKind.ANNUAL_PLAN, academic_year, None))
        label = year_label(calendar.academic_year_row(session, academic_year).start_date)
    shown = Shown(run, *((pointer.run_id, pointer.revision) if pointer else (None, None)))
    return render(
        request,
        "plan/plan.html",
        who,
        title=f"Annual plan, {label}",
        grid=grid,
        groups=_groups(grid.rows, counts),
        counts=counts,
        rotations=rotations,
        legend=_legend(grid.rows, rotations),
        shown=shown,
        explicit_year=year,
        query=grid_query,
        colors_url=f"/blocks/colors.css?v={css_version(rotation_css(rotations))}",
    )


def _legend(rows: tuple[PlanRow, ...], rotations: dict[str, Rotation]) -> list[Rotation]:
    """The rotations the plan shows, by abbreviation."""
    shown = {half for row in rows for pair in row.blocks.values() for half in pair}
    return [rotations[a] for a in sorted(shown & rotations.keys())]


def _groups(
    rows: tuple[PlanRow, ...], counts: dict[str, tuple[CurriculumCount, ...]]
) -> list[PgyGroup]:
    groups = []
    for pgy, members in groupby(rows, key=lambda r: r.pgy):
        kept = tuple(members)
        lines = counts[kept[0].person_key]  # one PGY, one curriculum
        groups.append(PgyGroup(pgy, kept, tuple(c.rotation for c in lines)))
    return groups
