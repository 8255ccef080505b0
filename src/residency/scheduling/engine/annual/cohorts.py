"""Each PGY's year on its own: a lower bound for the whole plan and a place to start looking.

The plan's cost is a sum of terms that each concern one PGY: a resident's back-to-back hard
blocks, requests and moves, a PGY's load balance. Only staffing ties the PGYs together (the
inpatient service needs an intern and a senior; night float needs one resident of any year).
So planning one PGY alone, with the staffing minimums it cannot meet by itself dropped and every
other rule kept, is a relaxation: whatever the whole plan does with that PGY's residents, the
PGY alone may do too, at the same cost. The PGYs' optima therefore add up to a lower bound on
the whole plan's cost.

Why this exists: on the demo program that sum is the optimum (312), each PGY proves its part in
seconds, while the whole model's own bound stalls at 300 to 310 for more than 30 s. The parity
argument behind the last step (an intern beside orientation on night float does an odd number
of hard half-blocks, only one can, and the others then pay for the imbalance) is easy for six
interns and hard inside eighteen residents. docs/engine.md, "Annual plan search", has the rest.

A rule vouches that it splits this way (`AnnualConstraint.splits_by_pgy`); the property test in
tests/scheduling/engine/annual/test_annual_cohorts.py checks every rule that says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from residency.scheduling.engine.annual.plan import AnnualPlan
from residency.scheduling.engine.annual.problem import AnnualProblem, PlanEntry
from residency.scheduling.engine.results import FOUND


def pgy_levels(problem: AnnualProblem) -> list[int]:
    return sorted({r.pgy for r in problem.residents})


def cohort_problem(problem: AnnualProblem, pgy: int) -> AnnualProblem:
    """The residents of one PGY and everything about them; rotation minimums (which count every
    PGY) dropped, maximums kept; a PGY-mix rule kept only if this PGY is all it covers here."""
    members = {r.id for r in problem.residents if r.pgy == pgy}
    levels = pgy_levels(problem)
    return replace(
        problem,
        residents=tuple(r for r in problem.residents if r.id in members),
        rotations=tuple(replace(r, min_per_block=0) for r in problem.rotations),
        curriculum=tuple(c for c in problem.curriculum if c.pgy == pgy),
        staffing=tuple(s for s in problem.staffing if [p for p in levels if s.covers(p)] == [pgy]),
        absences=tuple(a for a in problem.absences if a.resident_id in members),
        locked=tuple(e for e in problem.locked if e.resident_id in members),
        requests=tuple(q for q in problem.requests if q.resident_id in members),
        previous=tuple(e for e in problem.previous if e.resident_id in members),
    )


def cohort_plan(plan: AnnualPlan, pgy: int) -> AnnualPlan:
    """A whole plan's entries for one PGY, as a plan of `cohort_problem`."""
    cohort = cohort_problem(plan.problem, pgy)
    members = {r.id for r in cohort.residents}
    return AnnualPlan(cohort, tuple(e for e in plan.entries if e.resident_id in members))


@dataclass(frozen=True)
class CohortResult:
    pgy: int
    status: str
    objective: float | None
    bound: int  # a lower bound on this PGY's share of the cost (its optimum when OPTIMAL)
    entries: tuple[PlanEntry, ...]

    def describe(self) -> str:
        if self.status == "OPTIMAL":
            return f"PGY-{self.pgy} {self.bound:g} (optimal)"
        return f"PGY-{self.pgy} at least {self.bound:g} (best plan {self.objective:g})"


@dataclass(frozen=True)
class CohortBound:
    cohorts: tuple[CohortResult, ...]

    @property
    def total(self) -> int:
        return sum(c.bound for c in self.cohorts)

    @property
    def plans_total(self) -> float:
        """What the PGYs' own best plans cost together."""
        return sum(c.objective or 0 for c in self.cohorts)

    def unproven(self) -> list[CohortResult]:
        return [c for c in self.cohorts if c.status != "OPTIMAL"]

    def improved(self, result: CohortResult) -> CohortBound:
        """This bound with one PGY solved again: the higher of its two bounds holds."""
        old = next(c for c in self.cohorts if c.pgy == result.pgy)
        best = replace(result, bound=max(result.bound, old.bound))
        return CohortBound(tuple(best if c.pgy == result.pgy else c for c in self.cohorts))

    @property
    def costliest(self) -> CohortResult:
        """The PGY whose own optimum costs most: its shape is the hardest part of the whole
        plan to find, so the search for a plan at the bound starts from it."""
        return max(self.cohorts, key=lambda c: (c.objective or 0, len(c.entries)))

    def describe(self) -> str:
        parts = ", ".join(c.describe() for c in self.cohorts)
        return f"lower bound {self.total} from each PGY alone: {parts}"


def cohort_result(
    pgy: int,
    status: str,
    objective: float | None,
    bound: float | None,
    entries: Sequence[PlanEntry],
) -> CohortResult | None:
    """None when the PGY alone has no plan (then neither has the whole program, and the whole
    model explains why) or its solve found nothing to bound with."""
    if status not in FOUND or bound is None:
        return None
    # Every weight is an integer, so a fractional bound rounds up.
    return CohortResult(pgy, status, objective, math.ceil(bound - 1e-6), tuple(entries))
