"""Every published block and what breaks a rule in it as saved today: what the nightly
compliance scan reads. A published schedule can break a rule it kept when it was published,
when the program changed around it (an absence added, a rotation's eligibility narrowed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.scheduling.block.problem import build_block_problem
from residency.scheduling.block.verdict import RuleBreak, check_saved
from residency.scheduling.models import PublishedVersion, RunKind, ScheduleRun
from residency.scheduling.repository import PUBLISHED


@dataclass(frozen=True)
class PublishedBlock:
    scope: str
    academic_year: int
    block: int
    run_id: int
    revision: int
    start: date
    end: date  # inclusive

    def __str__(self) -> str:
        return f"block {self.block} of {self.academic_year}"


def published_blocks(session: Session) -> list[PublishedBlock]:
    rows = session.execute(
        select(PublishedVersion, ScheduleRun.start_date, ScheduleRun.end_date)
        .join(ScheduleRun, ScheduleRun.id == PublishedVersion.run_id)
        .where(PublishedVersion.kind == RunKind.BLOCK_SCHEDULE)
        .order_by(PublishedVersion.academic_year, PublishedVersion.block_number)
    )
    return [
        PublishedBlock(
            row.scope, row.academic_year, row.block_number or 0, row.run_id, row.revision, *dates
        )
        for row, *dates in rows
    ]


def breaks_in_published(session: Session, block: PublishedBlock) -> list[RuleBreak]:
    """The verdict on the published version as saved (with the program as it is now): every
    break no recorded override excuses, as a manual edit or a generation would see it."""
    data = build_block_problem(session, block.academic_year, block.block, kept_from=PUBLISHED)
    return check_saved(session, data, PUBLISHED).breaks
