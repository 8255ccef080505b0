"""The main job's scheduling part: plan the demo year, generate Block 10, re-check it.

Running the demo again keeps the plan and the schedule already stored (and re-checks the
schedule), so the main job is idempotent and a second run is quick.
"""

from __future__ import annotations

import os

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, select

from residency.compliance.report import margin_sentence
from residency.compliance.rules.registry import ALL_RULES
from residency.compliance.validator import CheckResult
from residency.db import unit_of_work
from residency.errors import ResidencyError
from residency.scheduling import repository as repo
from residency.scheduling.annual_service import no_plan_in_time, optimality, plan_and_save
from residency.scheduling.cli import print_summary
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.models import RunStatus, ScheduleRun
from residency.scheduling.problem_builder import build_block_problem
from residency.scheduling.saved import check_stored_block
from residency.scheduling.service import GenerateRequest, generate_block

DEMO_TIME_LIMIT_S = 30.0  # per solve (plan, then block): `make demo` stays under two minutes
DEMO_SEED = 2025  # the demo shows the same plan on every machine with the same solver


def plan_source(engine: Engine, year: int, block: int, time_limit_s: float) -> str:
    """Plan the year (Level 1) unless a solver-made plan is already stored."""
    with unit_of_work(engine) as session:
        if repo.has_solver_plan(session, year):
            return "the stored annual plan"
    params = SolveParams(time_limit_s=time_limit_s, seed=DEMO_SEED)
    result = plan_and_save(engine, year, params)
    solution = result.solution
    if not solution.has_plan:
        details = "; ".join(solution.conflict_details or solution.conflicting)
        details = (
            details or f"{no_plan_in_time(solution, time_limit_s)} (RESIDENCY_DEMO_TIME_LIMIT)"
        )
        raise ResidencyError(f"the demo year has no rotation plan: {details}")
    return (
        f"annual plan run {result.run_id} ({optimality(solution)}, "
        f"{solution.wall_s:.0f} s; `residency plan year --academic-year {year}` shows it)"
    )


def last_success(engine: Engine, year: int, block: int) -> ScheduleRun | None:
    with unit_of_work(engine) as session:
        return session.scalars(
            select(ScheduleRun)
            .where(
                ScheduleRun.kind == repo.BLOCK_RUN,
                ScheduleRun.academic_year == year,
                ScheduleRun.block_number == block,
                ScheduleRun.status == RunStatus.SUCCEEDED,
            )
            .order_by(ScheduleRun.id.desc())
        ).first()


def demo_block(engine: Engine, year: int, block: int, console: Console) -> None:
    limit = float(os.environ.get("RESIDENCY_DEMO_TIME_LIMIT", DEMO_TIME_LIMIT_S))
    source = plan_source(engine, year, block, limit)
    console.print(f"\nBlock {block} rotations: {source}")
    previous = last_success(engine, year, block)
    if previous is None:
        result = generate_block(GenerateRequest(year, block, time_limit_s=limit), engine)
        print_summary(result, year, block, console)
        if result.run_status != RunStatus.SUCCEEDED:
            raise ResidencyError(f"the demo could not generate Block {block}: see above")
    else:
        console.print(f"Block {block} already has a schedule (run {previous.id}); kept as it is.")
    with unit_of_work(engine) as session:
        context = build_block_problem(session, year, block)
        checked = check_stored_block(session, context)
    console.print(compliance_table(checked, block))


def compliance_table(result: CheckResult, block: int) -> Table:
    """Per ACGME rule: findings on the saved block and the measurement closest to the limit."""
    table = Table(title=f"ACGME re-check of the saved Block {block} (independent checker)")
    for column in ("rule", "violations", "warnings", "closest to the limit"):
        table.add_column(
            column, justify="right" if column in ("violations", "warnings") else "left"
        )
    for rule in ALL_RULES:
        found = [f for f in result.findings if f.rule == rule.RULE_ID]
        violations = sum(f.severity.value == "violation" for f in found)
        closest = result.closest.get(rule.RULE_ID)
        table.add_row(
            rule.RULE_ID,
            str(violations),
            str(len(found) - violations),
            margin_sentence(closest) if closest else "nothing to measure",
        )
    return table
