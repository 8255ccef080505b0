"""One CP-SAT solve of the whole annual model: build it from the rules, solve it within a
shared time limit, read the plan back; on infeasibility, name the parts that conflict.

On infeasibility the hard rules are built again with one enabling literal per part (a
curriculum line, a staffing rule, a lock, ...) and solved under those assumptions; CP-SAT's
sufficient assumptions, shrunk by a deletion filter, name the parts that cannot all hold
together. `solve.py` decides when this runs alone and when a split by PGY comes first.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from residency.scheduling.engine.annual.constraints.base import Activation, AnnualConstraint
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import entries_from_halves
from residency.scheduling.engine.annual.problem import AnnualProblem, PlanEntry
from residency.scheduling.engine.annual.results import AnnualSolution
from residency.scheduling.engine.annual.symmetry import break_symmetry
from residency.scheduling.engine.cpsat import (
    conflicting_parts,
    model_size,
    penalty_value,
    relative_gap,
    run,
)
from residency.scheduling.engine.results import FOUND, SolveParams

MAX_FILTERED_PARTS = 40  # larger cores are reported as CP-SAT found them


@dataclass(frozen=True)
class Clock:
    """One time limit shared by every solve of a run; wall times count from its start."""

    started: float
    limit_s: float

    @property
    def deadline(self) -> float:
        return self.started + self.limit_s

    def share(self, fraction: float) -> float:
        """A deadline `fraction` of the limit from now, never past the run's own."""
        return min(self.deadline, time.monotonic() + fraction * self.limit_s)

    def elapsed(self) -> float:
        return time.monotonic() - self.started


@dataclass
class BuiltPlanModel:
    model: PlanModel
    activations: dict[str, Activation] = field(default_factory=dict)
    penalties: dict[str, tuple[int, Any]] = field(default_factory=dict)  # name -> (weight, expr)


def build_plan_model(
    problem: AnnualProblem, rules: Sequence[AnnualConstraint], explain: bool = False
) -> BuiltPlanModel:
    built = BuiltPlanModel(PlanModel(problem, explain))
    for rule in rules:
        if explain and not rule.hard:
            continue
        activation = rule.add_to(built.model, problem)
        built.activations[rule.name] = activation
        if not rule.hard and activation.penalty is not None:
            built.penalties[rule.name] = (rule.weight, activation.penalty)
    if not explain:
        break_symmetry(built.model, problem)
    if built.penalties:
        built.model.cp.minimize(objective_of(built))
    return built


def solve_whole(
    problem: AnnualProblem,
    rules: Sequence[AnnualConstraint],
    params: SolveParams,
    clock: Clock,
    explain: bool = True,
    start_from: Sequence[PlanEntry] = (),
) -> AnnualSolution:
    built = build_plan_model(problem, rules)
    if start_from:
        hint_plan(built, start_from)
    stage = params.stage or "whole model"
    solver, status = run(built.model.cp, replace(until(params, clock.deadline), stage=stage))
    if status in FOUND:
        return read_solution(problem, built, solver, status, clock)
    parts: tuple[str, ...] = ()
    if status == "INFEASIBLE" and explain:
        parts = explain_infeasibility(problem, rules, params)
    return AnnualSolution(
        status=status,
        wall_s=clock.elapsed(),
        notes=_notes(built),
        conflicting=tuple(sorted({part.split(":")[0] for part in parts})),
        conflict_details=parts,
        model_size=model_size(built.model.cp),
    )


def hint_plan(built: BuiltPlanModel, entries: Sequence[PlanEntry]) -> None:
    """Start the search from these entries. Any earlier hint goes: in a repair,
    `PlanMinimalChange` hinted the published plan, and the plans given here were solved to
    keep it."""
    chosen = {(e.resident_id, e.block, h, e.rotation_id) for e in entries for h in e.halves}
    built.model.cp.clear_hints()  # type: ignore[no-untyped-call]
    for key, lit in built.model.x.items():
        built.model.cp.add_hint(lit, tuple(key) in chosen)


def until(params: SolveParams, deadline: float) -> SolveParams:
    return replace(params, time_limit_s=max(0.01, deadline - time.monotonic()))


def objective_of(built: BuiltPlanModel) -> Any:
    return sum(weight * penalty for weight, penalty in built.penalties.values())


def explain_infeasibility(
    problem: AnnualProblem, rules: Sequence[AnnualConstraint], params: SolveParams
) -> tuple[str, ...]:
    """Parts of hard rules (a curriculum line, a staffing rule, a lock) that cannot hold
    together."""
    model = build_plan_model(problem, rules, explain=True).model
    return conflicting_parts(model.cp, model.enable, params, MAX_FILTERED_PARTS)


def read_solution(
    problem: AnnualProblem,
    built: BuiltPlanModel,
    solver: cp_model.CpSolver,
    status: str,
    clock: Clock,
) -> AnnualSolution:
    chosen = {key for key, lit in built.model.x.items() if solver.boolean_value(lit)}
    objective = solver.objective_value if built.penalties else 0.0
    bound = solver.best_objective_bound if built.penalties else 0.0
    return AnnualSolution(
        status=status,
        entries=entries_from_halves(problem, chosen),
        objective=objective,
        best_bound=bound,
        gap=relative_gap(status, objective, bound),
        wall_s=clock.elapsed(),
        penalties={
            name: weight * penalty_value(solver, penalty)
            for name, (weight, penalty) in built.penalties.items()
        },
        notes=_notes(built),
        model_size=model_size(built.model.cp),
    )


def _notes(built: BuiltPlanModel) -> dict[str, str]:
    return {name: activation.note for name, activation in built.activations.items()}
