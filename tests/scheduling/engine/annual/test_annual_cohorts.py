"""Solving each PGY alone bounds the whole plan (annual/cohorts.py): every rule that says it
splits by PGY does, the bound never exceeds the optimum, and the search around it returns the
whole model's answer when the shortcut fails."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from test_annual_property import small_programs

from residency.scheduling.engine.annual import (
    AnnualProblem,
    CurriculumRequirement,
    PlanRequest,
    solve_annual,
)
from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.annual.cohorts import (
    CohortBound,
    CohortResult,
    cohort_plan,
    cohort_problem,
    pgy_levels,
)
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.annual.dive import pinnings
from residency.scheduling.engine.annual.results import AnnualSolution, cheaper_of
from residency.scheduling.engine.annual.solve import MIN_SPLIT_LIMIT_S, _prove_cohorts
from residency.scheduling.engine.results import SolveParams

WHOLE = SolveParams(time_limit_s=4, workers=1, seed=1)  # under MIN_SPLIT_LIMIT_S: no split
SPLIT = SolveParams(time_limit_s=MIN_SPLIT_LIMIT_S, workers=2, seed=1)

PROPERTY = settings(
    max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(small_programs())
def test_every_rule_that_says_so_splits_by_pgy(problem):
    solution = solve_annual(problem, WHOLE)
    if not solution.has_plan or len(pgy_levels(problem)) < 2:
        return
    plan = solution.plan(problem)
    parts = [cohort_plan(plan, pgy) for pgy in pgy_levels(problem)]

    for rule in (r for r in ANNUAL_REGISTRY if r.splits_by_pgy):
        if rule.hard:
            broken = [v for part in parts for v in rule.violations(part)]
            assert broken == [], rule.name
        else:
            assert sum(rule.cost(part) for part in parts) == rule.cost(plan), rule.name


@PROPERTY
@given(small_programs())
def test_the_pgys_own_optima_never_add_up_to_more_than_the_whole_optimum(problem):
    whole = solve_annual(problem, WHOLE)
    if whole.status != "OPTIMAL" or len(pgy_levels(problem)) < 2:
        return
    own = [solve_annual(cohort_problem(problem, pgy), WHOLE) for pgy in pgy_levels(problem)]

    assert all(o.status == "OPTIMAL" for o in own)
    assert sum(o.objective or 0 for o in own) <= (whole.objective or 0)
    assert solve_annual(problem, SPLIT).objective == whole.objective


def two_pgys_one_ward(requests: tuple[PlanRequest, ...], places: int = 1) -> AnnualProblem:
    """Two blocks, `places` ward places per half, an intern and a senior who each owe the ward
    exactly one block."""
    return ex.year(
        2,
        residents=(ex.resident("r1", 1), ex.resident("r2", 2)),
        rotations=(ex.clinic(), ex.wards(min_per_block=places, max_per_block=places)),
        curriculum=(
            CurriculumRequirement(1, "WARD", 1, 1),
            CurriculumRequirement(2, "WARD", 1, 1),
        ),
        requests=requests,
    )


def test_a_bound_the_pgys_meet_together_is_proven_by_the_dive():
    problem = two_pgys_one_ward((PlanRequest("r1", 1, "WARD"), PlanRequest("r2", 2, "WARD")))

    solution = solve_annual(problem, SPLIT)

    assert (solution.status, solution.objective, solution.best_bound) == ("OPTIMAL", 0, 0)
    assert solution.search[0] == "lower bound 0 from each PGY alone: PGY-1 0 (optimal), " + (
        "PGY-2 0 (optimal)"
    )
    assert "reached it" in solution.search[1]


def test_when_the_pgys_cannot_all_have_their_own_optimum_the_whole_model_decides():
    # Alone, each takes the ward in block 1 (cost 0 each); together one must yield. The dive
    # pins the intern's optimum and makes the senior yield (5); the whole model lets the
    # intern yield instead (3), which is the optimum.
    problem = two_pgys_one_ward(
        (PlanRequest("r1", 1, "WARD", weight=1), PlanRequest("r2", 1, "WARD", weight=5))
    )

    solution = solve_annual(problem, SPLIT)

    assert (solution.status, solution.objective) == ("OPTIMAL", 3)
    assert solution.penalties["RotationRequests"] == 3  # r1 off the ward in block 1
    assert solution.search[1:] == (
        "a dive with the hard blocks of PGY-1 pinned: optimal (best 15)",
        "then the whole model",
    )


def test_a_program_only_infeasible_together_is_still_explained():
    # Alone, a PGY need not fill the ward; together they cannot fill 2 places in every half.
    problem = two_pgys_one_ward((), places=2)

    solution = solve_annual(problem, SPLIT)

    assert solution.status == "INFEASIBLE"
    assert "BlockStaffing" in solution.conflicting


def test_a_pgy_that_did_not_prove_its_optimum_is_solved_again_and_the_bound_rises():
    # As if the first solve of PGY-2 had stopped early: its plan (cost 3) with bound 0.
    problem = ex.year(
        2,
        residents=(ex.resident("r1", 1), ex.resident("r2", 2)),
        rotations=(ex.clinic(), ex.wards()),
        curriculum=(CurriculumRequirement(2, "WARD", 1, 1),),
        requests=tuple(PlanRequest("r2", b, "WARD", wanted=False) for b in (1, 2)),
    )
    own = {pgy: solve_annual(cohort_problem(problem, pgy), WHOLE) for pgy in (1, 2)}
    assert (own[1].objective, own[2].objective) == (0, 3)  # r2 owes the ward a block
    early = CohortResult(2, "FEASIBLE", 3, 0, own[2].entries)
    first = CohortBound((CohortResult(1, "OPTIMAL", 0, 0, own[1].entries), early))

    again = _prove_cohorts(problem, ANNUAL_REGISTRY, SPLIT, first, time.monotonic() + 5)

    assert first.unproven() == [early] and first.plans_total == 3 and first.total == 0
    assert again.unproven() == [] and again.total == 3
    assert again.describe() == (
        "lower bound 3 from each PGY alone: PGY-1 0 (optimal), PGY-2 3 (optimal)"
    )


def test_a_pgy_with_no_plan_of_its_own_is_explained_by_the_whole_model():
    problem = ex.year(
        2,
        residents=(ex.resident("r1", 1), ex.resident("r2", 2)),
        rotations=(ex.clinic(), ex.wards()),
        curriculum=(CurriculumRequirement(1, "WARD", 3, 3),),  # 3 blocks in a 2-block year
    )

    solution = solve_annual(problem, SPLIT)

    assert solution.status == "INFEASIBLE"
    assert solution.search[0].startswith("no lower bound: PGY-1 alone infeasible")
    assert "CurriculumRequirements" in solution.conflicting


def test_the_first_dive_pins_every_pgy_with_a_cost_and_the_second_the_costliest():
    def bound(*costs: int) -> CohortBound:
        return CohortBound(
            tuple(CohortResult(p, "OPTIMAL", c, c, ()) for p, c in enumerate(costs, 1))
        )

    def pgys(tries: list[list[CohortResult]]) -> list[list[int]]:
        return [[c.pgy for c in pinned] for pinned in tries]

    assert pgys(pinnings(bound(302, 10, 0))) == [[1, 2], [1]]  # the demo
    assert pgys(pinnings(bound(3, 0, 7))) == [[1, 3], [3]]
    assert pgys(pinnings(bound(5, 0))) == [[1]]
    assert pgys(pinnings(bound(0, 0))) == [[1]]


def test_on_a_tie_the_whole_models_plan_is_kept_for_its_valid_bound():
    dive_plan, whole_plan = (
        AnnualSolution("FEASIBLE", objective=5),
        AnnualSolution("OPTIMAL", objective=5),
    )
    none_found = AnnualSolution("UNKNOWN")

    assert cheaper_of(dive_plan, whole_plan) is whole_plan
    assert cheaper_of(AnnualSolution("FEASIBLE", objective=4), whole_plan).objective == 4
    assert cheaper_of(dive_plan, none_found) is dive_plan
    assert cheaper_of(None, whole_plan) is whole_plan
    assert not none_found.costs_at_most(100) and dive_plan.costs_at_most(5)
