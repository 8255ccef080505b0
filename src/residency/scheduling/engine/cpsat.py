"""CP-SAT plumbing both levels share: solver settings, penalty values, gap and model size."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from residency.scheduling.engine.progress import Reporter
from residency.scheduling.engine.results import SolveMode, SolveParams


def make_solver(params: SolveParams) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = params.time_limit_s
    solver.parameters.num_workers = params.workers
    solver.parameters.random_seed = params.seed
    solver.parameters.stop_after_first_solution = params.mode == SolveMode.FEASIBLE
    return solver


def run(cp: cp_model.CpModel, params: SolveParams) -> tuple[cp_model.CpSolver, str]:
    """Solve once; the solver (for values and bounds) and the status name. Under a control,
    the search reports its progress and stops when asked; once a stop was asked, no search
    starts (UNKNOWN)."""
    solver = make_solver(params)
    control = params.control
    if control is None:
        return solver, solver.status_name(solver.solve(cp))
    if control.stop_requested:
        return solver, "UNKNOWN"
    reporter = Reporter(control, params.stage or "solve", cp.has_objective())
    solver.best_bound_callback = reporter.on_bound
    with control.searching(solver):
        status = solver.solve(cp, reporter)
    return solver, solver.status_name(status)


def infeasible_core(
    cp: cp_model.CpModel, assumptions: list[Any], params: SolveParams
) -> list[int] | None:
    """Indices of assumption literals that suffice for infeasibility (CP-SAT's sufficient
    assumptions), or None when the model is not shown infeasible under them."""
    cp.clear_assumptions()
    cp.add_assumptions(assumptions)
    solver, status = run(cp, params)
    if status != "INFEASIBLE":
        return None
    return list(solver.sufficient_assumptions_for_infeasibility())


TRIAL_LIMIT_S = 2.0  # each deletion-filter trial


def conflicting_parts(
    cp: cp_model.CpModel,
    enable: Mapping[str, Any],
    params: SolveParams,
    max_filtered: int | None = None,
) -> tuple[str, ...]:
    """Labelled parts of a model (each with its enabling literal) that cannot all hold:
    CP-SAT's sufficient assumptions on one worker, then each part dropped in turn while the
    rest stay infeasible (deletion filter). A part whose removal is not shown feasible in a
    short trial is kept, so the answer may not be minimal; cores larger than `max_filtered`
    are returned as CP-SAT found them."""
    by_index = {lit.index: label for label, lit in enable.items()}

    def core_of(labels: list[str], limit: SolveParams) -> list[str] | None:
        found = infeasible_core(cp, [enable[label] for label in labels], limit)
        return None if found is None else [by_index[i] for i in found]

    single = replace(params, workers=1, mode=SolveMode.OPTIMIZE, stage="explaining the conflict")
    core = core_of(list(enable), single)
    if core is None:
        return ()
    if max_filtered is None or len(core) <= max_filtered:
        trial = replace(single, time_limit_s=min(single.time_limit_s, TRIAL_LIMIT_S))
        for label in list(core):
            smaller = [other for other in core if other != label]
            if core_of(smaller, trial) is not None:
                core = smaller
    return tuple(sorted(core))


def penalty_value(solver: cp_model.CpSolver, expr: Any) -> int:
    """A penalty may be a constant (the rule found nothing to charge) or a model expression."""
    return int(expr) if isinstance(expr, int) else int(solver.value(expr))


def relative_gap(status: str, objective: float, bound: float) -> float:
    return 0.0 if status == "OPTIMAL" else abs(objective - bound) / max(1.0, abs(objective))


def model_size(cp: cp_model.CpModel) -> dict[str, int]:
    proto = cp.proto
    return {"variables": len(proto.variables), "constraints": len(proto.constraints)}
