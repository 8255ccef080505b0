"""The demo program's year, converted as the service converts it, solved to a first plan (the
optimality run is the benchmark, benchmarks/annual_plan.py)."""

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


def test_one_time_limit_covers_every_solve_of_a_split_run():
    # Each PGY alone, the dive and the whole model share the limit (annual/solve.py). With
    # 2 workers the demo does not prove its optimum in 20 s, so every step runs; the margin is
    # for building the models, which the solver's limit does not cover.
    solution = solve_annual(demo_problem(), SolveParams(time_limit_s=20, workers=2, seed=1))

    assert solution.has_plan
    assert solution.search, "the demo has three PGYs: the run splits by PGY"
    assert solution.wall_s < 20 + 3
