"""Planning the year (Level 1), as steps that never open a transaction themselves: claim
(validates, records a queued run), build (the program from the database, as a pure
AnnualProblem), solve (pure), save (the run's draft plan). `runs.execute.execute_run` drives
them. The draft holds the solver's entries; entries people made (locked, manual, imported)
belong to every version and stay. Nobody's plan changes until the run is published."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from residency.calendar.service import academic_year_row
from residency.errors import InputError, RefusedError
from residency.people.repository import person_ids_by_key
from residency.program.export import export_program
from residency.rotations.repository import rotation_ids_by_abbreviation
from residency.scheduling.annual.problem import annual_problem
from residency.scheduling.engine.annual import (
    AnnualProblem,
    AnnualSolution,
    PlanEntry,
    solve_annual,
)
from residency.scheduling.engine.annual.plan import rotation_by_half
from residency.scheduling.engine.progress import SolveControl
from residency.scheduling.engine.results import SolveMode, SolveParams
from residency.scheduling.models import (
    AssignmentSource,
    RotationPlanEntry,
    RunKind,
    RunStatus,
    ScheduleRun,
)
from residency.scheduling.preflight import fingerprint, preflight
from residency.scheduling.repository import PUBLISHED
from residency.scheduling.runs.lifecycle import new_run
from residency.scheduling.runs.modes import solve_mode
from residency.scheduling.runs.outcome import Outcome
from residency.scheduling.runs.versions import published, scope_of


@dataclass(frozen=True)
class AnnualPlanResult:
    run_id: int | None
    academic_year: int
    solution: AnnualSolution
    entries_saved: int = 0
    kept_entries: int = 0
    grid: dict[str, list[str]] = field(default_factory=dict)  # resident -> 26 half-blocks
    changes: list[str] | None = None  # repair mode: every half-block that moved

    def as_json(self) -> dict[str, object]:
        """What `plan year --json` prints and the run records (runs show, the API)."""
        return {
            "run_id": self.run_id,
            "academic_year": self.academic_year,
            **solution_metrics(self.solution),
            "entries_saved": self.entries_saved,
            "entries_kept": self.kept_entries,
            "conflicts": list(self.solution.conflict_details),
            "plan": self.grid,
            **({"changes": self.changes} if self.changes is not None else {}),
        }


def claim_annual(
    session: Session,
    academic_year: int,
    params: SolveParams,
    *,
    claimed_by: Mapping[str, object] | None = None,
) -> int:
    preflight("annual")
    load_annual_problem(session, academic_year)  # validates the year and the curriculum
    repair = params.mode == SolveMode.REPAIR
    if repair and published(session, scope_of(RunKind.ANNUAL_PLAN, academic_year, None)) is None:
        raise RefusedError(
            f"--minimal-change: academic year {academic_year} has no published plan to "
            f"repair; run `residency plan year --academic-year {academic_year} --publish` first"
        )
    year = academic_year_row(session, academic_year)
    run = new_run(
        session,
        RunKind.ANNUAL_PLAN,
        academic_year,
        None,
        (year.start_date, year.end_date),
        {
            "time_limit_s": params.time_limit_s,
            "workers": params.workers,
            "seed": params.seed,
            "minimal_change": repair,
            "first_feasible": params.mode == SolveMode.FEASIBLE,
        },
        fingerprint("annual"),
        claimed_by,
    )
    return run.id


def params_of(run: ScheduleRun) -> SolveParams:
    p = run.parameters
    mode = solve_mode(bool(p.get("minimal_change")), bool(p.get("first_feasible")))
    return SolveParams(float(p["time_limit_s"]), int(p["workers"]), int(p["seed"]), mode)


def build(session: Session, run: ScheduleRun) -> AnnualProblem:
    problem = load_annual_problem(session, run.academic_year)
    if params_of(run).mode == SolveMode.REPAIR:
        previous = published_plan(session, run.academic_year)
        if not previous:
            raise RefusedError(
                f"--minimal-change: academic year {run.academic_year} has no saved plan to "
                f"repair; run `residency plan year --academic-year {run.academic_year}` first"
            )
        # A half on a since-deactivated rotation has nothing to stay on: it is planned afresh.
        kept = {r.id for r in problem.rotations}
        problem = replace(problem, previous=tuple(e for e in previous if e.rotation_id in kept))
    return problem


def solve_plan(problem: AnnualProblem, run: ScheduleRun, control: SolveControl) -> AnnualSolution:
    return solve_annual(problem, replace(params_of(run), control=control))


def save_plan(
    session: Session, run: ScheduleRun, problem: AnnualProblem, solution: AnnualSolution
) -> Outcome:
    result = save_annual_plan(session, run.id, problem, solution)
    if problem.previous and solution.has_plan:
        result = replace(result, changes=plan_changes(problem.previous, solution.entries))
    status = _run_status(solution)
    metrics = {k: v for k, v in result.as_json().items() if k != "run_id"}
    metrics["has_schedule"] = solution.has_plan
    return Outcome(run.id, status, _run_message(solution, params_of(run)), metrics, result)


def published_plan(session: Session, academic_year: int) -> tuple[PlanEntry, ...]:
    """The published plan's solver-made entries (people-made ones are locks, not a plan)."""
    rows = session.scalars(
        select(RotationPlanEntry)
        .where(
            RotationPlanEntry.academic_year == academic_year,
            RotationPlanEntry.source == AssignmentSource.SOLVER,
            PUBLISHED.holds(RotationPlanEntry.schedule_run_id),
        )
        .options(selectinload(RotationPlanEntry.person), selectinload(RotationPlanEntry.rotation))
    )
    return tuple(
        sorted(
            PlanEntry(row.person.key, row.block_number, row.block_half, row.rotation.abbreviation)
            for row in rows
        )
    )


def plan_changes(previous: Iterable[PlanEntry], entries: Iterable[PlanEntry]) -> list[str]:
    """'resident block N half H: OLD -> NEW' for every half-block whose rotation changed."""
    before, after = rotation_by_half(previous), rotation_by_half(entries)
    changes = []
    for key in sorted(before):
        if before[key] != after.get(key):
            resident, block, half = key
            new = after.get(key, "nothing")
            changes.append(f"{resident} block {block} half {half}: {before[key]} -> {new}")
    return changes


def load_annual_problem(session: Session, academic_year: int) -> AnnualProblem:
    document = export_program(session)
    if academic_year not in document.program.academic_years:
        raise InputError(
            f"--academic-year: {academic_year} is not in the database "
            f"(it has {document.program.academic_years or 'none'})"
        )
    if not document.curriculum:
        raise InputError(
            "curriculum: the program has no curriculum requirements, so there is nothing to plan "
            "(add a 'curriculum' section to the program file and import it)"
        )
    return annual_problem(document, academic_year)


def save_annual_plan(
    session: Session, run_id: int, problem: AnnualProblem, solution: AnnualSolution
) -> AnnualPlanResult:
    year = problem.academic_year
    if not solution.has_plan:
        return AnnualPlanResult(run_id, year, solution)
    kept = _people_made_entries(session, year)
    saved = _write_draft_entries(session, year, run_id, solution.entries, kept)
    return AnnualPlanResult(run_id, year, solution, saved, len(kept), plan_grid(solution.entries))


def _run_status(solution: AnnualSolution) -> RunStatus:
    if solution.has_plan:
        return RunStatus.SUCCEEDED
    # Only a proof is "infeasible"; running out of time before a first plan is a failed run.
    return RunStatus.INFEASIBLE if solution.status == "INFEASIBLE" else RunStatus.FAILED


def _run_message(solution: AnnualSolution, params: SolveParams) -> str:
    if solution.has_plan or solution.status == "INFEASIBLE":
        return "; ".join(solution.conflict_details)[:1000]
    return no_plan_in_time(solution, params.time_limit_s)


def optimality(solution: AnnualSolution) -> str:
    """'proven optimal', or how far from the best bound the plan may be."""
    if solution.status == "OPTIMAL":
        return "proven optimal"
    return f"feasible, gap {100 * (solution.gap or 0):.1f} %"


def no_plan_in_time(solution: AnnualSolution, time_limit_s: float) -> str:
    return (
        f"no plan found within the time limit of {time_limit_s:g} s (solver status "
        f"{solution.status}); give it more time"
    )


def solution_metrics(solution: AnnualSolution) -> dict[str, object]:
    return {
        "solver_status": solution.status,
        "objective": solution.objective,
        "best_bound": solution.best_bound,
        "gap": solution.gap,
        "wall_s": round(solution.wall_s, 3),
        "penalties": dict(solution.penalties),
        "model_size": dict(solution.model_size),
        "search": list(solution.search),
    }


def _people_made_entries(session: Session, year: int) -> set[tuple[int, int, int]]:
    rows = session.execute(
        select(
            RotationPlanEntry.person_id,
            RotationPlanEntry.block_number,
            RotationPlanEntry.block_half,
        ).where(
            RotationPlanEntry.academic_year == year,
            RotationPlanEntry.source != AssignmentSource.SOLVER,
            RotationPlanEntry.schedule_run_id.is_(None),
        )
    ).tuples()
    return set(rows)


def _write_draft_entries(
    session: Session,
    year: int,
    run_id: int,
    entries: Iterable[PlanEntry],
    kept: set[tuple[int, int, int]],
) -> int:
    person_ids = person_ids_by_key(session)
    rotation_ids = rotation_ids_by_abbreviation(session)
    new_rows = [
        RotationPlanEntry(
            person_id=person_ids[e.resident_id],
            academic_year=year,
            block_number=e.block,
            block_half=e.half,
            rotation_id=rotation_ids[e.rotation_id],
            source=AssignmentSource.SOLVER,
            schedule_run_id=run_id,
        )
        for e in entries
        if not _overlaps_kept(person_ids[e.resident_id], e, kept)
    ]
    session.add_all(new_rows)
    session.flush()
    return len(new_rows)


def _overlaps_kept(person_id: int, entry: PlanEntry, kept: set[tuple[int, int, int]]) -> bool:
    # A whole-block entry (half 0) overlaps both halves of its block.
    halves = (0, 1, 2) if entry.half == 0 else (0, entry.half)
    return any((person_id, entry.block, half) in kept for half in halves)


def plan_grid(entries: Iterable[PlanEntry]) -> dict[str, list[str]]:
    """Resident -> the rotation of each of the 26 half-blocks, for a table a chief can read."""
    grid: dict[str, list[str]] = {}
    for entry in sorted(entries):
        halves = grid.setdefault(entry.resident_id, ["" for _ in range(26)])
        for half in (1, 2) if entry.half == 0 else (entry.half,):
            halves[(entry.block - 1) * 2 + half - 1] = entry.rotation_id
    return grid
