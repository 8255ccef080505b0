"""A tiny program for block-schedule tests: 4 residents, 3 faculty, a ward, a clinic, an
elective and weekend call, seeded through the program-file import and planned with the labelled
fallback plan. Small enough that a 28-day block solves in about a second."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fixtures.fallback_plan import fixed_block_plan
from residency.db import unit_of_work
from residency.program.schema import ProgramDocument
from residency.program.service import import_program
from residency.scheduling.models import Assignment, CallAssignment, ScheduleRun

YEAR = 2025
BLOCK = 10  # 2026-03-10 (Tuesday) to 2026-04-06
BLOCK_START = date(2026, 3, 10)
FAST = ["--time-limit", "3", "--workers", "2", "--seed", "1"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
PLAN: dict[str, str | tuple[str, str]] = {
    "r1": "WARD",
    "r2": "WARD",
    "r3": "ELEC",
    "r4": ("ELEC", "WARD"),
}


def _rotation(abbr: str, kind: str, pgys: list[int], half: tuple[int, int], pattern: Any) -> Any:
    return {
        "abbreviation": abbr,
        "name": f"{abbr.title()} rotation",
        "activity_type": kind,
        "eligible_pgy": pgys,
        "residents_per_block": {"min": 0, "max": 4},
        "residents_per_half_day": {"min": half[0], "max": half[1]},
        "requires_supervision": kind == "clinic",
        "duty_pattern": pattern,
    }


def mini_program(absences: list[dict[str, Any]] | None = None) -> ProgramDocument:
    clinic = {d: ["08:00-12:00", "13:00-17:00"] for d in WEEKDAYS}
    ward = {d: ["07:00-17:00"] for d in WEEKDAYS}
    call = ["17:00-07:00 in_house_call"]
    return ProgramDocument.model_validate(
        {
            "program": {
                "name": "Tiny Test Program",
                "academic_year_start": "07-01",
                "academic_years": [YEAR],
                "policy": {
                    "inpatient_residents_per_day": {"min": 1, "max": 3},
                    "block_schedule": {
                        "continuity_clinic": "CLIN",
                        "inpatient_services": ["WARD"],
                        "clinic_half_days_per_week": {"1": 1, "2": 1, "3": 1},
                    },
                },
            },
            "residents": [
                {"key": key, "name": f"Resident {key}", "pgy": {YEAR: pgy}}
                for key, pgy in (("r1", 1), ("r2", 2), ("r3", 2), ("r4", 3))
            ],
            "faculty": [
                {"key": "f1", "name": "Dr One", "role": "core"},
                {"key": "f2", "name": "Dr Two", "role": "core"},
                {"key": "f3", "name": "Dr Three", "role": "program_director"},
            ],
            "rotations": [
                _rotation("WARD", "inpatient", [1, 2, 3], (1, 3), ward),
                _rotation("CLIN", "clinic", [1, 2, 3], (0, 3), clinic),
                _rotation("ELEC", "outpatient", [2, 3], (0, 3), clinic),
                _rotation("CALL", "call", [2, 3], (0, 1), {"fri": call, "sat": call}),
            ],
            "absences": absences or [],
        }
    )


def seed(
    engine: Engine,
    plan: Mapping[str, str | tuple[str, str]] | None = None,
    absences: list[dict[str, Any]] | None = None,
) -> None:
    with unit_of_work(engine) as session:
        import_program(session, mini_program(absences))
        fixed_block_plan(session, YEAR, BLOCK, PLAN if plan is None else plan)


def generate_args(*extra: str, publish: bool = True) -> list[str]:
    """`residency generate` for the test block; published at once unless told (a draft)."""
    shown = ["--publish"] if publish else []
    return ["generate", "--block", str(BLOCK), "--academic-year", str(YEAR), *FAST, *shown, *extra]


def parse_json(out: str) -> dict[str, Any]:
    return dict(json.loads(out))


def count_rows(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count(Assignment.id))) or 0,
        session.scalar(select(func.count(CallAssignment.id))) or 0,
    )


def runs(session: Session) -> list[ScheduleRun]:
    return list(session.scalars(select(ScheduleRun).order_by(ScheduleRun.id)))
