"""Benchmark: Level-2 block schedule of the demo program's Block 10 (and a scaled program).

    .venv/bin/python benchmarks/block_schedule.py [--runs 3] [--limit 60] [--workers 8 2]
        [--scale-residents 60 --scale-faculty 25 --scale-limit 120] [--skip-demo]
        [--skip-scale] [--solver-plan]

Demo: migrates a temporary SQLite database, seeds the demo program, writes the labelled
fallback plan for Block 10 and builds the `Problem` from the database exactly as
`residency generate` does. Then, per worker count: model size and build time, time to the first
feasible schedule (mode feasible), and objective / best bound / gap at the time limit, each the
median of --runs runs with seeds 0, 1, 2, ...
Scale: the demo block replicated into teams (each team its own services and call roster, one
shared continuity clinic and didactics) up to --scale-residents residents and --scale-faculty
faculty, solved --runs times (first feasible, then to --scale-limit); each solution is
re-checked by every hard rule's `violations()` and by the independent ACGME checker.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the labelled test plan
from fixtures.fallback_plan import DEMO_BLOCK_PLAN, fixed_block_plan
from residency.compliance.duty import ScheduledActivity, ScheduledCall, duty_periods
from residency.compliance.validator import check_duty
from residency.db import build_engine, unit_of_work
from residency.ops import migrations
from residency.program.demo import DEMO_YEAR, demo_program
from residency.program.service import import_program
from residency.scheduling.annual.service import claim_annual
from residency.scheduling.block.conflicts import hard_violations
from residency.scheduling.block.problem import build_block_problem
from residency.scheduling.engine import Problem, Solution, SolveMode, SolveParams, solve
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.items import CallKey, call_item
from residency.scheduling.engine.problem import Faculty, FacultyRole, Resident
from residency.scheduling.engine.solve import build_model
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.versions import publish

BLOCK = 10


def demo_problem(solver_plan: bool = False) -> Problem:
    """Block 10 of the demo on the fixed plan, or on the plan `residency plan year` makes
    (30 s, seed 0), as `residency demo` does."""
    with tempfile.TemporaryDirectory() as folder:
        engine = build_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrations.upgrade(engine)
        with unit_of_work(engine) as session:
            import_program(session, demo_program())
            if not solver_plan:
                fixed_block_plan(session, DEMO_YEAR, BLOCK, DEMO_BLOCK_PLAN)
        if solver_plan:
            with unit_of_work(engine) as session:
                run_id = claim_annual(session, DEMO_YEAR, SolveParams(30.0, 8, seed=0))
            plan = execute_run(run_id, engine).result
            with unit_of_work(engine) as session:
                publish(session, run_id)
            print(f"annual plan: {plan.solution.status}, objective {plan.solution.objective}")
        with unit_of_work(engine) as session:
            problem = build_block_problem(session, DEMO_YEAR, BLOCK).problem
        engine.dispose()
    return problem


def scaled_problem(base: Problem, residents: int, faculty: int) -> Problem:
    """Teams of the demo's residents, each with its own copy of the rotation-only services."""
    shared = {a.id for a in base.activities if not a.rotation_only}
    activities, services = list(base.activities), list(base.call_services)
    people: list[Resident] = []
    team = 0
    while len(people) < residents:
        suffix = "" if team == 0 else f"-T{team + 1}"
        if team:
            activities += [
                replace(a, id=a.id + suffix) for a in base.activities if a.id not in shared
            ]
            services += [replace(s, id=s.id + suffix) for s in base.call_services]
        for r in base.residents[: residents - len(people)]:
            later = None
            if r.later_rotation:
                later = (r.later_rotation[0], _renamed(r.later_rotation[1], shared, suffix))
            rotation = _renamed(r.rotation_id, shared, suffix)
            people.append(replace(r, id=r.id + suffix, rotation_id=rotation, later_rotation=later))
        team += 1
    staff = list(base.faculty) + [
        Faculty(f"fac-x{i:02d}", f"Extra {i}", FacultyRole.CORE, fmit_eligible=True)
        for i in range(faculty - len(base.faculty))
    ]
    ids = {p.id for p in people} | {f.id for f in staff}
    return replace(
        base,
        residents=tuple(people),
        faculty=tuple(staff),
        activities=tuple(activities),
        call_services=tuple(services),
        absences=tuple(a for a in base.absences if a.person_id in ids),
    )


def _renamed(rotation: str | None, shared: set[str], suffix: str) -> str | None:
    return rotation if rotation is None or rotation in shared else rotation + suffix


def model_size(problem: Problem) -> tuple[dict[str, int], float]:
    started = time.monotonic()
    built = build_model(problem, REGISTRY)
    proto = built.cp.proto
    sizes = {"variables": len(proto.variables), "constraints": len(proto.constraints)}
    return sizes, time.monotonic() - started


def acgme_violations(problem: Problem, solution: Solution) -> int:
    pgy = {r.id: r.pgy for r in problem.residents}
    activities = [
        ScheduledActivity(a.person_id, pgy[a.person_id], a.day, a.session, act.pattern)
        for a in solution.assignments
        if a.person_id in pgy and (act := problem.activity(a.activity_id)) is not None
    ]
    calls = []
    for c in solution.call_assignments:
        item = call_item(problem, CallKey(c.person_id, c.day, c.service_id))
        if item is not None and c.person_id in pgy:
            calls.append(
                ScheduledCall(c.person_id, pgy[c.person_id], c.day, item.start, item.end, item.duty)
            )
    return len(check_duty(duty_periods(activities, calls)).violations)


def median_runs(problem: Problem, params: SolveParams, runs: int) -> list[Solution]:
    return [solve(problem, replace(params, seed=seed)) for seed in range(runs)]


def report_demo(problem: Problem, runs: int, limit: float, workers: list[int]) -> None:
    sizes, build_s = model_size(problem)
    print(
        f"demo Block {BLOCK}: {len(problem.residents)} residents, {len(problem.faculty)} faculty,"
        f" {len(problem.activities)} activities; model {sizes}, built in {build_s:.1f} s"
    )
    for count in workers:
        first = median_runs(problem, SolveParams(limit, count, mode=SolveMode.FEASIBLE), runs)
        walls = [s.wall_s for s in first]
        print(
            f"  workers={count} first feasible: runs {[round(w, 1) for w in walls]} s, "
            f"median {statistics.median(walls):.1f} s, status {[s.status for s in first]}"
        )
        full = median_runs(problem, SolveParams(limit, count), runs)
        for s in full:
            print(
                f"  workers={count} at {limit:g} s: {s.status} objective {s.objective} bound "
                f"{s.best_bound} gap {100 * (s.gap or 0):.1f} % wall {s.wall_s:.1f} s"
            )
        gaps = [100 * (s.gap or 0) for s in full if s.has_schedule]
        if gaps:
            print(
                f"  workers={count} median gap {statistics.median(gaps):.1f} %, median objective "
                f"{statistics.median(s.objective or 0 for s in full if s.has_schedule)}"
            )


def report_scale(
    base: Problem, residents: int, faculty: int, limit: float, workers: int, runs: int
) -> None:
    problem = scaled_problem(base, residents, faculty)
    sizes, build_s = model_size(problem)
    print(
        f"scaled: {len(problem.residents)} residents, {len(problem.faculty)} faculty, "
        f"{len(problem.activities)} activities; model {sizes}, built in {build_s:.1f} s"
    )
    first = median_runs(problem, SolveParams(limit, workers, mode=SolveMode.FEASIBLE), runs)
    walls = [s.wall_s for s in first]
    print(
        f"  first feasible: runs {[round(w, 1) for w in walls]} s, median "
        f"{statistics.median(walls):.1f} s, status {[s.status for s in first]}"
    )
    for full in median_runs(problem, SolveParams(limit, workers), runs):
        hard = len(hard_violations(full.schedule(problem))) if full.has_schedule else -1
        acgme = acgme_violations(problem, full) if full.has_schedule else -1
        print(
            f"  at {limit:g} s: {full.status} objective {full.objective} bound "
            f"{full.best_bound} gap {100 * (full.gap or 0):.1f} % wall {full.wall_s:.1f} s; "
            f"hard-rule violations {hard}, ACGME checker violations {acgme}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[8, 2])
    parser.add_argument("--scale-residents", type=int, default=60)
    parser.add_argument("--scale-faculty", type=int, default=25)
    parser.add_argument("--scale-limit", type=float, default=120.0)
    parser.add_argument("--scale-workers", type=int, default=8)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--solver-plan",
        action="store_true",
        help="Block 10 on the annual plan the solver makes instead of the fixed plan",
    )
    args = parser.parse_args()
    base = demo_problem(args.solver_plan)
    if not args.skip_demo:
        report_demo(base, args.runs, args.limit, args.workers)
    if not args.skip_scale:
        report_scale(
            base,
            args.scale_residents,
            args.scale_faculty,
            args.scale_limit,
            args.scale_workers,
            args.runs,
        )


if __name__ == "__main__":
    main()
