"""Small building blocks for annual micro-problems: each rule's own test case, used by
`deep_verify` at run time and by the tests. Plain data, no solver."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from residency.scheduling.engine.annual.problem import (
    AnnualProblem,
    BlockSpan,
    PlanResident,
    PlanRotation,
)

YEAR = 2025
YEAR_START = date(2025, 7, 1)
BLOCK_DAYS = 28


def blocks(count: int, start: date = YEAR_START) -> tuple[BlockSpan, ...]:
    return tuple(
        BlockSpan(
            n + 1,
            start + timedelta(days=BLOCK_DAYS * n),
            start + timedelta(days=BLOCK_DAYS * (n + 1) - 1),
        )
        for n in range(count)
    )


def resident(resident_id: str, pgy: int = 1) -> PlanResident:
    return PlanResident(resident_id, pgy)


def rotation(
    rotation_id: str, activity_type: str = "outpatient", *pgys: int, **options: Any
) -> PlanRotation:
    return PlanRotation(rotation_id, activity_type, frozenset(pgys), **options)


def wards(**options: Any) -> PlanRotation:
    return rotation("WARD", "inpatient", **options)


def clinic(**options: Any) -> PlanRotation:
    return rotation("CLIN", "outpatient", **options)


def nights(**options: Any) -> PlanRotation:
    return rotation("NF", "night_float", half_block=True, **options)


def leave() -> PlanRotation:
    return rotation("LV", "leave", half_block=True)


def year(block_count: int = 2, **fields: Any) -> AnnualProblem:
    """A short year of `block_count` 28-day blocks; by default one PGY-1 and a clinic."""
    fields.setdefault("residents", (resident("r1"),))
    fields.setdefault("rotations", (clinic(),))
    return AnnualProblem(YEAR, blocks(block_count), **fields)


def half_start(block: int, half: int) -> date:
    return YEAR_START + timedelta(days=BLOCK_DAYS * (block - 1) + (half - 1) * BLOCK_DAYS // 2)
