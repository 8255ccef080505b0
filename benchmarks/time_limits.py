"""Benchmark: does a solve end within its time limit? (Measured here, not asserted in tests:
the machines are shared, and a busy one would fail a wall-clock assertion for no fault.)

    .venv/bin/python benchmarks/time_limits.py [--runs 3] [--workers 2]

1. The demo's year with a 20 s limit: each PGY alone, the dive and the whole model share the
   one limit (annual/solve.py), so every step runs and the whole must still end near 20 s;
   the slack is model building, which the solver's own limit does not cover.
2. A small year of 9 residents with a 0.5 s limit.
3. The sample block (Level 2, tests/fixtures/sample_block.py) with a 2 s limit.
Prints, per case, the wall time of each run, the median, and the excess over the limit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the sample block
from fixtures.sample_block import sample_block
from residency.program.demo import DEMO_YEAR, demo_program
from residency.scheduling.annual.problem import annual_problem
from residency.scheduling.engine.annual import AnnualProblem, solve_annual
from residency.scheduling.engine.annual import examples as ex
from residency.scheduling.engine.results import SolveParams
from residency.scheduling.engine.solve import solve


def demo_year() -> AnnualProblem:
    return annual_problem(demo_program(), DEMO_YEAR)


def small_year() -> AnnualProblem:
    return ex.year(
        13,
        residents=tuple(ex.resident(f"r{i}", 1 + i % 3) for i in range(9)),
        rotations=(ex.clinic(), ex.wards(min_per_block=2), ex.nights(min_per_block=1)),
    )


CASES: tuple[tuple[str, Callable[[], Any], Callable[[Any, SolveParams], Any], float], ...] = (
    ("demo year, split by PGY", demo_year, solve_annual, 20.0),
    ("9 residents", small_year, solve_annual, 0.5),
    ("sample block (Level 2)", sample_block, solve, 2.0),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for name, make, solver, limit in CASES:
        problem = make()
        walls, split = [], False
        for seed in range(args.runs):
            solution = solver(problem, SolveParams(limit, args.workers, seed=seed + 1))
            walls.append(solution.wall_s)
            split = split or bool(getattr(solution, "search", ()))
        median = statistics.median(walls)
        print(
            f"{name}: limit {limit:g} s, wall {', '.join(f'{w:.2f}' for w in walls)} s, "
            f"median {median:.2f} s ({median - limit:+.2f} s against the limit)"
            + (", split by PGY" if split else "")
        )


if __name__ == "__main__":
    main()
