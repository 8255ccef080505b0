"""Solve a Problem with CP-SAT and hand back a plain Solution.

`solution = solve(problem, SolveParams(time_limit_s=30))`. On infeasibility the model is built
again with one enabling literal per hard rule and solved under those assumptions; CP-SAT's
sufficient assumptions name the rules that cannot all hold together.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from residency.scheduling.engine.constraints.base import Activation, Constraint
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.cpsat import (
    conflicting_parts,
    model_size,
    penalty_value,
    relative_gap,
    run,
)
from residency.scheduling.engine.items import CallKey, FmitKey, SlotKey
from residency.scheduling.engine.model import ModelVars, RuleModel
from residency.scheduling.engine.problem import Assignment, CallAssignment, FmitWeek, Problem
from residency.scheduling.engine.results import (
    FOUND,
    Schedule,
    Solution,
    SolveMode,
    SolveParams,
    differences,
)
from residency.scheduling.engine.validation import ProblemError


@dataclass
class BuiltModel:
    cp: cp_model.CpModel
    vars: ModelVars
    activations: dict[str, Activation]
    enable: dict[str, Any]
    penalties: dict[str, tuple[int, Any]]


def build_model(
    problem: Problem, constraints: Sequence[Constraint], explain: bool = False
) -> BuiltModel:
    cp = cp_model.CpModel()
    # An explanation switches each hard rule off in turn, so it needs every variable.
    tests = {} if explain else {c.name: c.possible(problem) for c in constraints}
    model_vars = ModelVars(problem, cp, {name: t for name, t in tests.items() if t is not None})
    rules = RuleModel(cp)
    built = BuiltModel(cp, model_vars, {}, {}, {})
    for constraint in constraints:
        rules.enabled = (
            cp.new_bool_var(f"enable[{constraint.name}]") if explain and constraint.hard else None
        )
        rules.added = rules.fixed_conflicts = 0
        activation = constraint.add_to(rules, model_vars, problem)
        built.activations[constraint.name] = activation
        if rules.enabled is not None:
            built.enable[constraint.name] = rules.enabled
        if activation.penalty is not None:
            built.penalties[constraint.name] = (constraint.weight, activation.penalty)
    cp.minimize(sum(weight * penalty for weight, penalty in built.penalties.values()))
    return built


def solve(
    problem: Problem,
    params: SolveParams | None = None,
    constraints: Sequence[Constraint] | None = None,
) -> Solution:
    params = params or SolveParams()
    rules = REGISTRY if constraints is None else constraints
    if params.mode == SolveMode.REPAIR and problem.previous is None:
        raise ProblemError("mode repair needs the previous schedule (problem.previous)")
    started = time.monotonic()
    built = build_model(problem, rules)
    solver, status = run(built.cp, replace(params, stage=params.stage or "block schedule"))
    if status in FOUND:
        return _solution(problem, built, solver, status, time.monotonic() - started)
    conflicting: tuple[str, ...] = ()
    if status == "INFEASIBLE":
        conflicting = explain_infeasibility(problem, rules, params)
    return Solution(
        status=status,
        wall_s=time.monotonic() - started,
        notes=_notes(built),
        conflicting=conflicting,
        model_size=model_size(built.cp),
    )


def explain_infeasibility(
    problem: Problem, rules: Sequence[Constraint], params: SolveParams
) -> tuple[str, ...]:
    """A minimal set of hard rules that cannot hold together (see `cpsat.conflicting_parts`)."""
    built = build_model(problem, rules, explain=True)
    return conflicting_parts(built.cp, built.enable, params)


def _solution(
    problem: Problem, built: BuiltModel, solver: cp_model.CpSolver, status: str, wall_s: float
) -> Solution:
    chosen = Schedule(
        problem,
        tuple(_assignment(k) for k, v in built.vars.slot.items() if solver.boolean_value(v)),
        tuple(_call(k) for k, v in built.vars.call.items() if solver.boolean_value(v)),
        tuple(_fmit(k) for k, v in built.vars.fmit.items() if solver.boolean_value(v)),
    )
    objective, bound = solver.objective_value, solver.best_objective_bound
    gained, lost = differences(problem.previous, chosen)
    return Solution(
        status=status,
        assignments=chosen.assignments,
        call_assignments=chosen.call_assignments,
        fmit_weeks=chosen.fmit_weeks,
        objective=objective,
        best_bound=bound,
        gap=relative_gap(status, objective, bound),
        wall_s=wall_s,
        penalties={
            name: weight * penalty_value(solver, penalty)
            for name, (weight, penalty) in built.penalties.items()
        },
        notes=_notes(built),
        added=gained,
        removed=lost,
        model_size=model_size(built.cp),
    )


def _assignment(key: SlotKey) -> Assignment:
    return Assignment(key.person_id, key.day, key.session, key.activity_id)


def _call(key: CallKey) -> CallAssignment:
    return CallAssignment(key.person_id, key.day, key.service_id)


def _fmit(key: FmitKey) -> FmitWeek:
    return FmitWeek(key.faculty_id, key.week_start)


def _notes(built: BuiltModel) -> dict[str, str]:
    return {name: activation.note for name, activation in built.activations.items()}
