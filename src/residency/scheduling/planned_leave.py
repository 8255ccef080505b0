"""Leave written into the rotation plan: a block or half on a `leave` rotation (VAC) is leave
for the resident, not an empty rotation.

Both the block engine (as a blocking leave absence) and the compliance checker (as leave days,
which leave the ACGME averages) read it from here, so the solver and the checker agree on the
denominator, and a planned vacation is never counted as a day off for one-day-in-seven.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from residency.calendar.models import AcademicYear, Block
from residency.rotations.models import ActivityType, RotationTemplate
from residency.scheduling.models import RotationPlanEntry
from residency.scheduling.repository import PUBLISHED, Version

PLANNED_LEAVE = "vacation"  # the absence kind the block engine sees


@dataclass(frozen=True)
class PlannedLeave:
    person_id: int
    person_key: str
    start: date
    end: date  # inclusive


def middle_day(block: Block) -> date:
    """First day of the second half (the annual engine's split: 14 of 28 days)."""
    days = (block.end_date - block.start_date).days + 1
    return block.start_date + timedelta(days=days // 2)


def half_span(block: Block, half: int) -> tuple[date, date]:
    """Days of a plan entry: half 0 is the whole block, 1 and 2 its halves."""
    if half == 1:
        return block.start_date, middle_day(block) - timedelta(days=1)
    if half == 2:
        return middle_day(block), block.end_date
    return block.start_date, block.end_date


def planned_leave_between(
    session: Session, start: date, end: date, version: Version = PUBLISHED
) -> list[PlannedLeave]:
    """Plan entries on a leave rotation whose days touch start..end, clipped to that range
    (of the published plan unless told which version)."""
    rows = session.execute(
        select(RotationPlanEntry, Block)
        .join(RotationTemplate, RotationPlanEntry.rotation_id == RotationTemplate.id)
        .join(AcademicYear, AcademicYear.year == RotationPlanEntry.academic_year)
        .join(
            Block,
            (Block.academic_year_id == AcademicYear.id)
            & (Block.number == RotationPlanEntry.block_number),
        )
        .where(
            RotationTemplate.activity_type == ActivityType.LEAVE,
            version.holds(RotationPlanEntry.schedule_run_id),
            Block.start_date <= end,
            Block.end_date >= start,
        )
        .options(selectinload(RotationPlanEntry.person))
        .order_by(RotationPlanEntry.person_id, Block.start_date, RotationPlanEntry.block_half)
    ).all()
    found = []
    for entry, block in rows:
        first, last = half_span(block, entry.block_half)
        first, last = max(first, start), min(last, end)
        if first <= last:
            found.append(PlannedLeave(entry.person_id, entry.person.key, first, last))
    return found
