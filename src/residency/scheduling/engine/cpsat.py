"""CP-SAT plumbing both levels share: solver settings, penalty values, gap and model size."""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from residency.scheduling.engine.results import SolveMode, SolveParams


def make_solver(params: SolveParams) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = params.time_limit_s
    solver.parameters.num_workers = params.workers
    solver.parameters.random_seed = params.seed
    solver.parameters.stop_after_first_solution = params.mode == SolveMode.FEASIBLE
    return solver


def run(cp: cp_model.CpModel, params: SolveParams) -> tuple[cp_model.CpSolver, str]:
    """Solve once; the solver (for values and bounds) and the status name."""
    solver = make_solver(params)
    return solver, solver.status_name(solver.solve(cp))


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


def penalty_value(solver: cp_model.CpSolver, expr: Any) -> int:
    """A penalty may be a constant (the rule found nothing to charge) or a model expression."""
    return int(expr) if isinstance(expr, int) else int(solver.value(expr))


def relative_gap(status: str, objective: float, bound: float) -> float:
    return 0.0 if status == "OPTIMAL" else abs(objective - bound) / max(1.0, abs(objective))


def model_size(cp: cp_model.CpModel) -> dict[str, int]:
    proto = cp.proto
    return {"variables": len(proto.variables), "constraints": len(proto.constraints)}
