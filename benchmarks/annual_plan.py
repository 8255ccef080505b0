"""Benchmark: the Level-1 annual rotation plan of the demo program (academic year 2025).

    .venv/bin/python benchmarks/annual_plan.py [--runs 3] [--workers 8] [--time-limit 60]
        [--seed 0]

Converts `demo_program()` (a pure ProgramDocument) into an `AnnualProblem` with
`demo_annual_problem()` (the tests use the same conversion), solves it --runs times with
different seeds and prints each run and the median wall time. Building the problem is not
timed; building the CP-SAT model is (it is part of `solve_annual`).
"""

from __future__ import annotations

import argparse
import statistics

from residency.calendar.academic_year import blocks, year_start
from residency.program.demo import DEMO_YEAR, demo_program
from residency.program.schema import ProgramDocument
from residency.scheduling.engine.annual import (
    AnnualProblem,
    AnnualSolution,
    BlockSpan,
    CurriculumRequirement,
    PlanAbsence,
    PlanEntry,
    PlanPolicy,
    PlanResident,
    PlanRotation,
    StaffingRule,
    solve_annual,
)
from residency.scheduling.engine.results import SolveParams


def annual_problem(doc: ProgramDocument, academic_year: int) -> AnnualProblem:
    """The part of a program document the annual plan needs; rotations outside every PGY's
    curriculum (call, clinic half-days, didactics, days off) are Level-2 activities, not
    block rotations, and stay out of the plan."""
    month, day = (int(part) for part in doc.program.academic_year_start.split("-"))
    spans = tuple(
        BlockSpan(b.number, b.start, b.end) for b in blocks(year_start(academic_year, month, day))
    )
    leave = next((r.abbreviation for r in doc.rotations if r.activity_type == "leave"), None)
    locked = tuple(
        PlanEntry(f.person, f.block, f.half, f.rotation)
        for f in doc.fixed_rotations
        if f.locked and f.academic_year == academic_year
    )
    planned = {c.rotation for c in doc.curriculum} | {e.rotation_id for e in locked} | {leave}
    residents = tuple(
        PlanResident(r.key, r.pgy[academic_year]) for r in doc.residents if academic_year in r.pgy
    )
    ids = {r.id for r in residents}
    return AnnualProblem(
        academic_year=academic_year,
        blocks=spans,
        residents=residents,
        rotations=tuple(
            PlanRotation(
                r.abbreviation,
                str(r.activity_type),
                frozenset(r.eligible_pgy),
                r.residents_per_block.min,
                r.residents_per_block.max,
                r.half_block,
            )
            for r in doc.rotations
            if r.abbreviation in planned
        ),
        curriculum=tuple(
            CurriculumRequirement(c.pgy, c.rotation, float(c.min_blocks), float(c.max_blocks))
            for c in doc.curriculum
        ),
        staffing=tuple(
            StaffingRule(s.rotation, s.min_pgy, s.max_pgy, s.min_residents)
            for s in doc.staffing_rules
        ),
        absences=tuple(
            PlanAbsence(a.person, a.start, a.end, a.blocks_scheduling, str(a.type))
            for a in doc.absences
            if a.person in ids
        ),
        locked=locked,
        policy=PlanPolicy(leave_rotation_id=leave, only_curriculum_rotations=True),
    )


def demo_annual_problem() -> AnnualProblem:
    return annual_problem(demo_program(), DEMO_YEAR)


def describe(solution: AnnualSolution) -> str:
    size = solution.model_size
    return (
        f"status={solution.status} objective={solution.objective} "
        f"best_bound={solution.best_bound} gap={solution.gap} wall_s={solution.wall_s:.2f} "
        f"variables={size.get('variables')} constraints={size.get('constraints')} "
        f"penalties={dict(solution.penalties)}"
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
