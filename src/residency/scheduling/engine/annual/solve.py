"""Solve an AnnualProblem with CP-SAT and hand back a plain AnnualSolution.

`solution = solve_annual(problem, SolveParams(time_limit_s=30))`. On infeasibility the hard
rules are built again with one enabling literal per part (a curriculum line, a staffing rule, a
lock, ...) and solved under those assumptions; CP-SAT's sufficient assumptions, shrunk by a
deletion filter, name the parts that cannot all hold together.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from residency.scheduling.engine.annual.constraints.base import Activation, AnnualConstraint
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import entries_from_halves
from residency.scheduling.engine.annual.problem import AnnualProblem
from residency.scheduling.engine.annual.results import AnnualSolution
from residency.scheduling.engine.annual.symmetry import break_symmetry
from residency.scheduling.engine.cpsat import (
    infeasible_core,
    model_size,
    penalty_value,
    relative_gap,
    run,
)
from residency.scheduling.engine.results import FOUND, SolveMode, SolveParams
from residency.scheduling.engine.validation import ProblemError

TRIAL_LIMIT_S = 2.0  # each deletion-filter trial
MAX_FILTERED_PARTS = 40  # larger cores are reported as CP-SAT found them


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
        built.model.cp.minimize(sum(w * p for w, p in built.penalties.values()))
    return built


def solve_annual(
    problem: AnnualProblem,
    params: SolveParams | None = None,
    constraints: Sequence[AnnualConstraint] | None = None,
) -> AnnualSolution:
    from residency.scheduling.engine.annual.constraints.registry import ANNUAL_REGISTRY

    params = params or SolveParams()
    if params.mode == SolveMode.REPAIR and not problem.previous:
        raise ProblemError("mode repair needs the published plan (problem.previous)")
    rules = ANNUAL_REGISTRY if constraints is None else constraints
    started = time.monotonic()
    built = build_plan_model(problem, rules)
    solver, status = run(built.model.cp, params)
    if status in FOUND:
        return _solution(problem, built, solver, status, time.monotonic() - started)
    parts: tuple[str, ...] = ()
    if status == "INFEASIBLE":
        parts = explain_infeasibility(problem, rules, params)
    return AnnualSolution(
        status=status,
        wall_s=time.monotonic() - started,
        notes=_notes(built),
        conflicting=tuple(sorted({part.split(":")[0] for part in parts})),
        conflict_details=parts,
        model_size=model_size(built.model.cp),
    )


def explain_infeasibility(
    problem: AnnualProblem, rules: Sequence[AnnualConstraint], params: SolveParams
) -> tuple[str, ...]:
    """Parts of hard rules that cannot hold together: CP-SAT's sufficient assumptions, then
    each part dropped in turn while the rest stay infeasible (deletion filter)."""
    built = build_plan_model(problem, rules, explain=True)
    model = built.model
    single = SolveParams(params.time_limit_s, workers=1, seed=params.seed)
    core = _infeasible_core(model, list(model.enable), single)
    if core is None:
        return ()
    if len(core) <= MAX_FILTERED_PARTS:
        # A part whose removal is not shown feasible in a short trial is kept (core not minimal).
        trial = SolveParams(min(params.time_limit_s, TRIAL_LIMIT_S), workers=1, seed=params.seed)
        for label in list(core):
            smaller = [other for other in core if other != label]
            if _infeasible_core(model, smaller, trial) is not None:
                core = smaller
    return tuple(sorted(core))


def _infeasible_core(model: PlanModel, labels: list[str], params: SolveParams) -> list[str] | None:
    """Labels whose enabling literals suffice for infeasibility, or None if not shown."""
    by_index = {lit.index: label for label, lit in model.enable.items()}
    core = infeasible_core(model.cp, [model.enable[label] for label in labels], params)
    return None if core is None else [by_index[i] for i in core]


def _solution(
    problem: AnnualProblem,
    built: BuiltPlanModel,
    solver: cp_model.CpSolver,
    status: str,
    wall_s: float,
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
        wall_s=wall_s,
        penalties={
            name: weight * penalty_value(solver, penalty)
            for name, (weight, penalty) in built.penalties.items()
        },
        notes=_notes(built),
        model_size=model_size(built.model.cp),
    )


def _notes(built: BuiltPlanModel) -> dict[str, str]:
    return {name: activation.note for name, activation in built.activations.items()}
