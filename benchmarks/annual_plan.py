"""Benchmark: the Level-1 annual rotation plan of the demo program (academic year 2025).

    .venv/bin/python benchmarks/annual_plan.py [--runs 3] [--workers 8] [--time-limit 60]
        [--seed 0]

Converts `demo_program()` (a pure ProgramDocument) into an `AnnualProblem` with
`residency.scheduling.annual.problem.annual_problem` (the conversion the service uses),
solves it --runs times with different seeds and prints each run and the median wall time.
Building the problem is not timed; building the CP-SAT model is (part of `solve_annual`).
"""

from __future__ import annotations

import argparse
import statistics

from residency.program.demo import DEMO_YEAR, demo_program
from residency.scheduling.annual.problem import annual_problem
from residency.scheduling.engine.annual import AnnualProblem, AnnualSolution, solve_annual
from residency.scheduling.engine.results import SolveParams


def demo_annual_problem() -> AnnualProblem:
    return annual_problem(demo_program(), DEMO_YEAR)


def describe(solution: AnnualSolution) -> str:
    size = solution.model_size
    return (
        f"status={solution.status} objective={solution.objective} "
        f"best_bound={solution.best_bound} gap={solution.gap} wall_s={solution.wall_s:.2f} "
        f"variables={size.get('variables')} constraints={size.get('constraints')} "
        f"penalties={dict(solution.penalties)} search={list(solution.search)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    problem = demo_annual_problem()
    print(
        f"demo {DEMO_YEAR}: {len(problem.residents)} residents, {len(problem.rotations)} "
        f"rotations, {len(problem.blocks)} blocks, {len(problem.curriculum)} curriculum lines"
    )
    walls = []
    for run in range(args.runs):
        params = SolveParams(
            time_limit_s=args.time_limit, workers=args.workers, seed=args.seed + run
        )
        solution = solve_annual(problem, params)
        walls.append(solution.wall_s)
        print(f"run {run + 1}: {describe(solution)}")
        for part in solution.conflict_details:
            print(f"  conflict: {part}")
    print(f"median wall_s over {args.runs} runs: {statistics.median(walls):.2f}")


if __name__ == "__main__":
    main()
