"""The demo program's year, converted as the service converts it, solved to a first plan (the
optimality run is the benchmark, benchmarks/annual_plan.py; whether a split run ends within
its one time limit is benchmarks/time_limits.py)."""

from __future__ import annotations

from residency.program.demo import DEMO_YEAR, demo_program
from residency.scheduling.annual.problem import annual_problem
from residency.scheduling.engine.annual import PlanEntry, solve_annual
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.results import SolveMode, SolveParams


def demo_problem():
    return annual_problem(demo_program(), DEMO_YEAR)


def test_the_demo_year_has_a_plan_that_breaks_no_hard_rule():
    problem = demo_problem()

    solution = solve_annual(
        problem, SolveParams(time_limit_s=20, workers=2, seed=1, mode=SolveMode.FEASIBLE)
    )

    assert solution.has_plan, (solution.status, solution.conflict_details)
    plan = solution.plan(problem)
    hard = [c for c in ANNUAL_REGISTRY if c.hard]
    assert {c.name: c.violations(plan) for c in hard if c.violations(plan)} == {}
    assert PlanEntry("res-pgy1-01", 1, 1, "ORI") in solution.entries
    # The reserve deployment (2026-02-01 to 04-30) covers blocks 9 and 10 entirely.
    assert PlanEntry("res-pgy2-05", 9, 0, "VAC") in solution.entries
    assert PlanEntry("res-pgy2-05", 10, 0, "VAC") in solution.entries
