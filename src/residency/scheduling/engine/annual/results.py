"""What `solve_annual` hands back: the plan entries and the solver's account of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from residency.scheduling.engine.annual.plan import AnnualPlan
from residency.scheduling.engine.annual.problem import AnnualProblem, PlanEntry
from residency.scheduling.engine.results import FOUND


@dataclass(frozen=True)
class AnnualSolution:
    status: str  # CP-SAT status name: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    entries: tuple[PlanEntry, ...] = ()  # half 0 for a rotation that fills its block
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None  # (objective - best bound) / objective, 0 when proven optimal
    wall_s: float = 0.0
    penalties: Mapping[str, int] = field(default_factory=dict)  # soft rule -> weighted cost
    notes: Mapping[str, str] = field(default_factory=dict)  # rule -> what it added or why inert
    conflicting: tuple[str, ...] = ()  # on infeasibility: hard rules that together conflict
    conflict_details: tuple[str, ...] = ()  # ... and which of their parts (a curriculum line)
    model_size: Mapping[str, int] = field(default_factory=dict)
    search: tuple[str, ...] = ()  # how a plan of several PGYs was found and bounded (cohorts.py)

    @property
    def has_plan(self) -> bool:
        return self.status in FOUND

    def plan(self, problem: AnnualProblem) -> AnnualPlan:
        return AnnualPlan(problem, self.entries)

    def costs_at_most(self, amount: float) -> bool:
        return self.has_plan and (self.objective or 0) <= amount


def cheaper_of(
    first: AnnualSolution | None, second: AnnualSolution | None
) -> AnnualSolution | None:
    """`first` if it has a plan that costs less than `second`'s (or `second` has none); on a
    tie, `second`."""
    if first is None or not first.has_plan:
        return second
    if second is None or not second.has_plan or (first.objective or 0) < (second.objective or 0):
        return first
    return second
