"""The main job's scheduling part: plan the demo year, generate Block 10, re-check it, and
publish both, through the same claim, execute_run and publish steps as every other door.

Running the demo again keeps the plan and the schedule already published (and re-checks the
schedule), so the main job is idempotent and a second run is quick.
"""

from __future__ import annotations

import os

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from residency.compliance.report import margin_sentence
from residency.compliance.rules.registry import ALL_RULES
from residency.compliance.validator import CheckResult
from residency.db import unit_of_work
from residency.errors import ResidencyError
from residency.scheduling.annual.service import (
    AnnualPlanResult,
    claim_annual,
    no_plan_in_time,
    optimality,
)
from residency.scheduling.block.cli import print_summary
from residency.scheduling.block.problem import build_block_problem
from residency.scheduling.block.service import GenerateRequest, GenerateResult, claim_block
from residency.scheduling.block.verdict import check_stored_block
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.models import PublishedVersion, RunKind, RunStatus
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.versions import publish, published, scope_of

DEMO_TIME_LIMIT_S = 30.0  # per solve (plan, then block): `make demo` stays under two minutes
DEMO_SEED = 2025  # the demo shows the same plan on every machine with the same solver


def plan_source(engine: Engine, year: int, time_limit_s: float) -> str:
    """Plan the year (Level 1) and publish it, unless a plan is already published."""
    with unit_of_work(engine) as session:
        if published(session, scope_of(RunKind.ANNUAL_PLAN, year, None)) is not None:
            return "the published annual plan"
        run_id = claim_annual(session, year, SolveParams(time_limit_s=time_limit_s, seed=DEMO_SEED))
    result: AnnualPlanResult = execute_run(run_id, engine).result
    solution = result.solution
    if not solution.has_plan:
        details = "; ".join(solution.conflict_details or solution.conflicting)
        details = (
            details or f"{no_plan_in_time(solution, time_limit_s)} (RESIDENCY_DEMO_TIME_LIMIT)"
        )
        raise ResidencyError(f"the demo year has no rotation plan: {details}")
    with unit_of_work(engine) as session:
        publish(session, run_id)
    return (
        f"annual plan run {run_id}, published ({optimality(solution)}, "
        f"{solution.wall_s:.0f} s; `residency runs show {run_id}` shows it)"
    )


def published_block(engine: Engine, year: int, block: int) -> PublishedVersion | None:
    with unit_of_work(engine) as session:
        return published(session, scope_of(RunKind.BLOCK_SCHEDULE, year, block))


def demo_block(engine: Engine, year: int, block: int, console: Console) -> None:
    limit = float(os.environ.get("RESIDENCY_DEMO_TIME_LIMIT", DEMO_TIME_LIMIT_S))
    source = plan_source(engine, year, limit)
    console.print(f"\nBlock {block} rotations: {source}")
    previous = published_block(engine, year, block)
    if previous is None:
        with unit_of_work(engine) as session:
            run_id = claim_block(session, GenerateRequest(year, block, time_limit_s=limit))
        result: GenerateResult = execute_run(run_id, engine).result
        print_summary(result, year, block, console)
        if result.run_status != RunStatus.SUCCEEDED:
            raise ResidencyError(f"the demo could not generate Block {block}: see above")
        with unit_of_work(engine) as session:
            publish(session, run_id)
        console.print(f"Published run {run_id} as Block {block}.")
    else:
        console.print(
            f"Block {block} already has a published schedule (run {previous.run_id}); "
            "kept as it is."
        )
    with unit_of_work(engine) as session:
        data = build_block_problem(session, year, block)
        checked = check_stored_block(session, data)
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
