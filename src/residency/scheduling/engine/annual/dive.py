"""The dive (step 2 of `solve.py`): the whole model, held to "cost >= the PGYs' bound", with
some PGYs' residents pinned to the hard blocks of their PGY's own best plan, looking for a
plan at the bound (which the bound then proves optimal).

Pinning blocks rather than rotations leaves the other PGYs' staffing room to move. The first
dive pins every PGY whose own plan costs something, and leaves a PGY at no cost free to fill
the services around them; if that cannot reach the bound in half the dive's time (or is
infeasible: the PGYs' own plans can clash on staffing), a second dive pins the costliest PGY
alone. A dive that finds a plan as cheap as the PGYs' own plans together ends the diving:
only a PGY's own proof can close that gap. On the demo the first dive (interns and PGY-2)
found 312 in 3 to 6 s on a busy machine where the interns alone took 7 to 13 s, and pinning
all three PGYs was infeasible.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from residency.scheduling.engine.annual.cohorts import CohortBound, CohortResult
from residency.scheduling.engine.annual.constraints.base import AnnualConstraint
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.problem import AnnualProblem
from residency.scheduling.engine.annual.results import AnnualSolution, cheaper_of
from residency.scheduling.engine.annual.whole import (
    Clock,
    build_plan_model,
    hint_plan,
    objective_of,
    read_solution,
    until,
)
from residency.scheduling.engine.cpsat import run
from residency.scheduling.engine.results import FOUND, SolveParams


@dataclass(frozen=True)
class DiveResult:
    plan: AnnualSolution | None  # the cheapest plan any dive found; its bound is the dive's own
    notes: tuple[str, ...]

    def reached(self, bound: int) -> bool:
        return self.plan is not None and self.plan.costs_at_most(bound)


def dive(
    problem: AnnualProblem,
    rules: Sequence[AnnualConstraint],
    params: SolveParams,
    bound: CohortBound,
    clock: Clock,
    end: float,
) -> DiveResult:
    best: AnnualSolution | None = None
    notes: list[str] = []
    tries = pinnings(bound)
    for done, pinned in enumerate(tries):
        share_end = time.monotonic() + (end - time.monotonic()) / (len(tries) - done)
        built = build_plan_model(problem, rules)
        built.model.cp.add(objective_of(built) >= bound.total)
        for cohort in pinned:
            pin_hard_blocks(built.model, cohort)
        start = best.entries if best else [e for c in bound.cohorts for e in c.entries]
        hint_plan(built, start)
        what = "a dive with the hard blocks of " + ", ".join(f"PGY-{c.pgy}" for c in pinned)
        solver, status = run(built.model.cp, replace(until(params, share_end), stage=what))
        plan = read_solution(problem, built, solver, status, clock) if status in FOUND else None
        best = cheaper_of(plan, best)
        if plan is not None and plan.costs_at_most(bound.total):
            notes.append(f"{what} pinned reached it")
            break
        if plan is not None and plan.costs_at_most(bound.plans_total):
            # As good as the PGYs' own plans together: what is missing is a PGY's own proof
            # (solve.py's next step), not a better dive.
            notes.append(f"{what} pinned found {plan.objective:g}, what the PGYs' plans cost")
            break
        found = f" (best {plan.objective:g})" if plan is not None else ""
        notes.append(f"{what} pinned: {status.lower()}{found}")
    return DiveResult(best, tuple(notes))


def pinnings(bound: CohortBound) -> list[list[CohortResult]]:
    """Which PGYs each dive pins: every PGY whose own plan costs something, then the costliest
    alone (once, if that is the same)."""
    costly = [c for c in bound.cohorts if (c.objective or 0) > 0]
    tries = [costly] if len(costly) > 1 else []
    return [*tries, [bound.costliest]]


def pin_hard_blocks(model: PlanModel, cohort: CohortResult) -> None:
    """Pin each of the PGY's residents to the hard blocks of the PGY's own best plan."""
    problem = model.problem
    hard = {(e.resident_id, e.block) for e in cohort.entries if problem.is_hard(e.rotation_id)}
    for resident_id in sorted({e.resident_id for e in cohort.entries}):
        for span in problem.blocks:
            on = (resident_id, span.number) in hard
            model.cp.add(model.hard_block(resident_id, span.number) == int(on))
