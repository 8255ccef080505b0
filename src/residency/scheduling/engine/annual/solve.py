"""Solve an AnnualProblem with CP-SAT and hand back a plain AnnualSolution:
`solution = solve_annual(problem, SolveParams(time_limit_s=30))`.

A program of several PGYs, given 20 s or more, is solved in steps (annual/cohorts.py says why
this is sound; docs/engine.md, "Annual plan search", what it buys):

1. each PGY alone, whose optima add up to a lower bound on the whole plan's cost;
2. a dive (annual/dive.py): the whole model with some PGYs' hard blocks pinned where their
   own best plans put them, looking for a plan at that bound, which is then proven optimal;
3. if the dive's plan costs no more than the PGYs' own plans together, the gap is in a PGY
   that did not prove its optimum alone: the rest of the time goes to proving it;
4. otherwise the whole model runs for the rest of the time, started from the dive's plan.

Anything else (one PGY, a short limit, a first feasible plan, a rule that does not split by
PGY) is one solve of the whole model (`whole.py`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from residency.scheduling.engine.annual.cohorts import (
    CohortBound,
    CohortResult,
    cohort_problem,
    cohort_result,
    pgy_levels,
)
from residency.scheduling.engine.annual.constraints.base import AnnualConstraint
from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY
from residency.scheduling.engine.annual.dive import dive
from residency.scheduling.engine.annual.problem import AnnualProblem, PlanEntry
from residency.scheduling.engine.annual.results import AnnualSolution, cheaper_of
from residency.scheduling.engine.annual.whole import (
    Clock,
    solve_whole,
)
from residency.scheduling.engine.cpsat import relative_gap
from residency.scheduling.engine.results import SolveMode, SolveParams
from residency.scheduling.engine.validation import ProblemError

# The PGYs alone get up to COHORT_SHARE of the time limit; the dives run until only
# RESERVE_SHARE is left, which goes to step 3 or 4. On the demo at 30 s, on a busy machine,
# the PGYs took 5 to 14 s; a dive capped at 30 % or 45 % of the limit missed the bound now and
# then (docs/benchmarks.md, "Annual plan"). Below MIN_SPLIT_LIMIT_S the PGYs do not all finish
# and the split found worse plans than the whole model alone (at 10 s: 366 and 458 against
# 338 and 382), so short runs do not split.
COHORT_SHARE = 0.4
RESERVE_SHARE = 0.1
MIN_SPLIT_LIMIT_S = 20.0


def solve_annual(
    problem: AnnualProblem,
    params: SolveParams | None = None,
    constraints: Sequence[AnnualConstraint] | None = None,
) -> AnnualSolution:
    params = params or SolveParams()
    if params.mode == SolveMode.REPAIR and not problem.previous:
        raise ProblemError("mode repair needs the published plan (problem.previous)")
    rules = ANNUAL_REGISTRY if constraints is None else constraints
    clock = Clock(time.monotonic(), params.time_limit_s)
    if _splits(problem, rules, params):
        return _solve_by_pgy(problem, rules, params, clock)
    return solve_whole(problem, rules, params, clock)


def _splits(problem: AnnualProblem, rules: Sequence[AnnualConstraint], params: SolveParams) -> bool:
    return (
        params.mode != SolveMode.FEASIBLE
        and params.time_limit_s >= MIN_SPLIT_LIMIT_S
        and len(pgy_levels(problem)) > 1
        and all(rule.splits_by_pgy for rule in rules)
    )


def _solve_by_pgy(
    problem: AnnualProblem, rules: Sequence[AnnualConstraint], params: SolveParams, clock: Clock
) -> AnnualSolution:
    bound, why_not = _cohort_bound(problem, rules, params, clock.share(COHORT_SHARE))
    if bound is None:  # the whole model explains an infeasible PGY, or just solves
        return replace(solve_whole(problem, rules, params, clock), search=(why_not,))
    search_start = bound.describe()
    dive_end = clock.deadline - RESERVE_SHARE * params.time_limit_s
    dived = dive(problem, rules, params, bound, clock, dive_end)
    plan = dived.plan
    if plan is not None and dived.reached(bound.total):
        return _within_bound(plan, bound.total, (search_start, *dived.notes))
    if plan is not None and bound.unproven() and plan.costs_at_most(bound.plans_total):
        # Only a PGY's own proof is missing: the dive's plan is as good as theirs together.
        bound = _prove_cohorts(problem, rules, params, bound, clock.deadline)
        proving = f"then, proving each PGY again: {bound.describe()}"
        search = (search_start, *dived.notes, proving)
        proven = replace(plan, best_bound=None, wall_s=clock.elapsed())  # not the dive's bound
        return _within_bound(proven, bound.total, search)
    search = (search_start, *dived.notes, "then the whole model")
    whole = solve_whole(problem, rules, params, clock, start_from=plan.entries if plan else ())
    if plan is not None and cheaper_of(plan, whole) is plan:
        # The dive's own bound holds for its pinned blocks only; the whole model's holds.
        whole_bound = whole.best_bound if whole.has_plan else None
        whole = replace(plan, best_bound=whole_bound, wall_s=whole.wall_s)
    return _within_bound(whole, bound.total, search)


def _cohort_bound(
    problem: AnnualProblem, rules: Sequence[AnnualConstraint], params: SolveParams, end: float
) -> tuple[CohortBound | None, str]:
    """Each PGY alone, seniors first: their years are the freest and prove fastest, and the
    time they leave goes to the interns (each gets an equal share of what is left). No bound,
    and why, when a PGY alone has no plan or finds none in its share."""
    results = []
    levels = sorted(pgy_levels(problem), reverse=True)
    for done, pgy in enumerate(levels):
        share_s = max(0.01, (end - time.monotonic()) / (len(levels) - done))
        result, status = _solve_cohort(problem, rules, params, pgy, share_s)
        if result is None:
            return None, f"no lower bound: PGY-{pgy} alone {status} in {share_s:.1f} s"
        results.append(result)
    bound = CohortBound(tuple(sorted(results, key=lambda c: c.pgy)))
    return bound, bound.describe()


def _prove_cohorts(
    problem: AnnualProblem,
    rules: Sequence[AnnualConstraint],
    params: SolveParams,
    bound: CohortBound,
    end: float,
) -> CohortBound:
    """Solve again each PGY that did not prove its optimum, from its own best plan, sharing
    the time left; a bound found the first time is kept if the second is lower."""
    unproven = bound.unproven()
    for done, cohort in enumerate(unproven):
        share_s = max(0.01, (end - time.monotonic()) / (len(unproven) - done))
        result, _ = _solve_cohort(problem, rules, params, cohort.pgy, share_s, cohort.entries)
        if result is not None:
            bound = bound.improved(result)
    return bound


def _solve_cohort(
    problem: AnnualProblem,
    rules: Sequence[AnnualConstraint],
    params: SolveParams,
    pgy: int,
    limit_s: float,
    start_from: Sequence[PlanEntry] = (),
) -> tuple[CohortResult | None, str]:
    alone = cohort_problem(problem, pgy)
    clock = Clock(time.monotonic(), limit_s)
    stage = f"PGY-{pgy} alone" + (", again from its best plan" if start_from else "")
    alone_params = replace(params, time_limit_s=limit_s, stage=stage)
    own = solve_whole(alone, rules, alone_params, clock, False, start_from=start_from)
    result = cohort_result(pgy, own.status, own.objective, own.best_bound, own.entries)
    return result, own.status.lower()


def _within_bound(solution: AnnualSolution, bound: int, search: tuple[str, ...]) -> AnnualSolution:
    """A plan judged against the PGYs' bound as well as its own solver's."""
    if not solution.has_plan or solution.objective is None:
        return replace(solution, search=search)
    lower = min(solution.objective, max(bound, solution.best_bound or 0))
    status = "OPTIMAL" if solution.objective <= lower else "FEASIBLE"  # a dive proves no more
    gap = relative_gap(status, solution.objective, lower)
    return replace(solution, status=status, best_bound=lower, gap=gap, search=search)
