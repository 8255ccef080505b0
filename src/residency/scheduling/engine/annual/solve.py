"""Solve an AnnualProblem with CP-SAT and hand back a plain AnnualSolution.

`solution = solve_annual(problem, SolveParams(time_limit_s=30))`. On infeasibility the hard
rules are built again with one enabling literal per part (a curriculum line, a staffing rule, a
lock, ...) and solved under those assumptions; CP-SAT's sufficient assumptions, shrunk by a
deletion filter, name the parts that cannot all hold together.

A program of several PGYs is solved in three steps (annual/cohorts.py explains why): each PGY
alone gives a lower bound; a dive looks for a whole plan at that bound with the costliest PGY's
hard blocks where its own optimum put them; if the dive does not reach the bound, the whole
model runs for the rest of the time, started from the dive's plan, and the bound is kept.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from residency.scheduling.engine.annual.cohorts import (
    CohortBound,
    CohortResult,
    cohort_problem,
    cohort_result,
    pgy_levels,
)
from residency.scheduling.engine.annual.constraints.base import Activation, AnnualConstraint
from residency.scheduling.engine.annual.model import PlanModel
from residency.scheduling.engine.annual.plan import entries_from_halves
from residency.scheduling.engine.annual.problem import AnnualProblem, PlanEntry
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
# Shares of the time limit for the PGYs alone and for the dive; the whole model gets the rest.
# On the demo at 30 s the PGYs took 5 to 12 s and the dive 2 to 8 s. Below MIN_SPLIT_LIMIT_S
# the PGYs do not all finish and the split found worse plans than the whole model alone (at
# 10 s: 366 and 458 against 338 and 382; docs/benchmarks.md), so short runs do not split.
COHORT_SHARE = 0.4
DIVE_SHARE = 0.3
MIN_SPLIT_LIMIT_S = 20.0


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
    clock = Clock(time.monotonic(), params.time_limit_s)
    if _splits(problem, rules, params):
        return _solve_by_pgy(problem, rules, params, clock)
    return _solve_whole(problem, rules, params, clock)


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
        return replace(_solve_whole(problem, rules, params, clock), search=(why_not,))
    built = build_plan_model(problem, rules)
    built.model.cp.add(_objective(built) >= bound.total)
    fixed = _fix_hard_blocks(built.model, bound.costliest)
    _hint(built, [e for cohort in bound.cohorts for e in cohort.entries])
    solver, status = run(built.model.cp, _until(params, clock.share(DIVE_SHARE)))
    dive = _solution(problem, built, solver, status, clock) if status in FOUND else None
    if dive is not None and (dive.objective or 0) <= bound.total:
        search = (bound.describe(), f"a dive with {fixed} reached it")
        return _within_bound(dive, bound.total, search)
    search = (bound.describe(), f"a dive with {fixed}: {status.lower()}; then the whole model")
    whole = _solve_whole(problem, rules, params, clock, start_from=dive)
    if dive is not None and (not whole.has_plan or (dive.objective or 0) < (whole.objective or 0)):
        # The dive's own bound holds for its pinned blocks only; the whole model's holds.
        whole_bound = whole.best_bound if whole.has_plan else None
        whole = replace(dive, best_bound=whole_bound, wall_s=whole.wall_s)
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
        alone = replace(params, time_limit_s=share_s)
        own = _solve_whole(
            cohort_problem(problem, pgy), rules, alone, Clock(time.monotonic(), share_s), False
        )
        result = cohort_result(pgy, own.status, own.objective, own.best_bound, own.entries)
        if result is None:
            return None, f"no lower bound: PGY-{pgy} alone {own.status.lower()} in {share_s:.1f} s"
        results.append(result)
    bound = CohortBound(tuple(sorted(results, key=lambda c: c.pgy)))
    return bound, bound.describe()


def _fix_hard_blocks(model: PlanModel, cohort: CohortResult) -> str:
    """Pin each of the PGY's residents to the hard blocks of the PGY's own best plan; not to
    its rotations, so that the other PGYs' staffing has room to move."""
    problem = model.problem
    hard = {(e.resident_id, e.block) for e in cohort.entries if problem.is_hard(e.rotation_id)}
    for resident_id in sorted({e.resident_id for e in cohort.entries}):
        for span in problem.blocks:
            on = (resident_id, span.number) in hard
            model.cp.add(model.hard_block(resident_id, span.number) == int(on))
    return f"the PGY-{cohort.pgy} hard blocks of its own best plan"


def _within_bound(solution: AnnualSolution, bound: int, search: tuple[str, ...]) -> AnnualSolution:
    """A plan judged against the PGYs' bound as well as its own solver's."""
    if not solution.has_plan or solution.objective is None:
        return replace(solution, search=search)
    lower = min(solution.objective, max(bound, solution.best_bound or 0))
    status = "OPTIMAL" if solution.objective <= lower else "FEASIBLE"  # a dive proves no more
    gap = relative_gap(status, solution.objective, lower)
    return replace(solution, status=status, best_bound=lower, gap=gap, search=search)


def _solve_whole(
    problem: AnnualProblem,
    rules: Sequence[AnnualConstraint],
    params: SolveParams,
    clock: Clock,
    explain: bool = True,
    start_from: AnnualSolution | None = None,
) -> AnnualSolution:
    built = build_plan_model(problem, rules)
    if start_from is not None:
        _hint(built, start_from.entries)
    solver, status = run(built.model.cp, _until(params, clock.deadline))
    if status in FOUND:
        return _solution(problem, built, solver, status, clock)
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


def _hint(built: BuiltPlanModel, entries: Sequence[PlanEntry]) -> None:
    chosen = {(e.resident_id, e.block, h, e.rotation_id) for e in entries for h in e.halves}
    # In a repair the published plan is hinted already, and the dive started from it.
    built.model.cp.clear_hints()  # type: ignore[no-untyped-call]
    for key, lit in built.model.x.items():
        built.model.cp.add_hint(lit, tuple(key) in chosen)


def _until(params: SolveParams, deadline: float) -> SolveParams:
    return replace(params, time_limit_s=max(0.01, deadline - time.monotonic()))


def _objective(built: BuiltPlanModel) -> Any:
    return sum(weight * penalty for weight, penalty in built.penalties.values())


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
