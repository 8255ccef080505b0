"""A version of the year's rotation plan as a grid a chief can read: residents (by PGY) as
rows, the 13 blocks as columns, each with the rotation of its first and second half; and each
resident's curriculum counts against their PGY's minimums and maximums."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.calendar.service import academic_year_row
from residency.rotations.models import CurriculumRequirement, RotationTemplate
from residency.scheduling import repository as repo
from residency.scheduling.planned_leave import middle_day
from residency.scheduling.repository import Version

HALVES = (1, 2)


@dataclass(frozen=True)
class PlanBlock:
    number: int
    start: date
    second_half_start: date
    end: date


@dataclass(frozen=True)
class PlanRow:
    person_key: str
    name: str
    pgy: int
    # block number -> (first half, second half) rotation abbreviations; "" for nothing
    blocks: dict[int, tuple[str, str]]


@dataclass(frozen=True)
class PlanGrid:
    academic_year: int
    blocks: tuple[PlanBlock, ...]
    rows: tuple[PlanRow, ...]


def annual_grid(session: Session, academic_year: int, version: Version) -> PlanGrid:
    """Every resident with a PGY in the year, planned or not, in one version of the plan."""
    year = academic_year_row(session, academic_year)
    blocks = tuple(
        PlanBlock(b.number, b.start_date, middle_day(b), b.end_date) for b in year.blocks
    )
    halves: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(lambda: ["", ""]))
    for entry in repo.year_plan_entries(session, academic_year, version):
        for half in HALVES if entry.block_half == 0 else (entry.block_half,):
            halves[entry.person_id][entry.block_number][half - 1] = entry.rotation.abbreviation
    levels = repo.resident_levels(session, academic_year)
    people = repo.people_by_id(session, list(levels))
    rows = [
        PlanRow(
            people[pid].key,
            people[pid].name,
            pgy,
            {b.number: _pair(halves[pid][b.number]) for b in blocks},
        )
        for pid, pgy in levels.items()
    ]
    rows.sort(key=lambda r: (r.pgy, r.person_key))
    return PlanGrid(academic_year, blocks, tuple(rows))


def _pair(cells: list[str]) -> tuple[str, str]:
    return cells[0], cells[1]


@dataclass(frozen=True)
class CurriculumCount:
    """A resident's half-blocks of one rotation in a version of the plan, against what their
    PGY's curriculum asks (CurriculumRequirement), counted as the annual engine's
    CurriculumRequirements rule counts them: half by half."""

    rotation: str  # abbreviation
    done: int  # half-blocks
    minimum: int
    maximum: int

    @property
    def status(self) -> str:
        if self.done < self.minimum:
            return "below"
        return "above" if self.done > self.maximum else "within"


def curriculum_counts(session: Session, grid: PlanGrid) -> dict[str, tuple[CurriculumCount, ...]]:
    """Resident key -> each curriculum line of their PGY, by rotation abbreviation."""
    query = (
        select(CurriculumRequirement, RotationTemplate.abbreviation)
        .join(RotationTemplate)
        .order_by(CurriculumRequirement.pgy, RotationTemplate.abbreviation)
    )
    by_pgy: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for req, abbreviation in session.execute(query).tuples():
        by_pgy[req.pgy].append((abbreviation, req.min_half_blocks, req.max_half_blocks))
    counts = {}
    for row in grid.rows:
        halves = [h for pair in row.blocks.values() for h in pair]
        counts[row.person_key] = tuple(
            CurriculumCount(rotation, halves.count(rotation), low, high)
            for rotation, low, high in by_pgy[row.pgy]
        )
    return counts
