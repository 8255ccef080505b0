"""Generate a block schedule: pre-flight, claim the range, build the problem from the database,
solve, then save and re-check in ONE transaction.

Generation needs three transactions, so this use case takes an engine and owns them: the
RUNNING run is committed before solving (so a second generation for an overlapping range is
refused), the solve runs with no transaction open, and the rows, the independent compliance
re-check and the run's result are written together: a crash, or a hard violation found after
solving, leaves the previous schedule exactly as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from residency.calendar.service import block_row
from residency.db import unit_of_work
from residency.errors import INTERNAL_ERROR_EXIT, RefusedError, ResidencyError
from residency.scheduling import repository as repo
from residency.scheduling.engine import Solution, SolveMode, SolveParams, solve
from residency.scheduling.engine.constraints.registry import REGISTRY
from residency.scheduling.engine.problem import PreviousSchedule
from residency.scheduling.engine.verify import verify
from residency.scheduling.models import RunStatus, ScheduleRun
from residency.scheduling.problem_builder import BlockContext, build_block_problem
from residency.scheduling.saved import SavedReport, check_saved
from residency.scheduling.stored import write_solution

STALE_GRACE = timedelta(minutes=10)  # a RUNNING run older than its time limit plus this is dead


class ScheduleCheckFailed(ResidencyError):
    """The saved schedule breaks a hard rule: a bug in the engine or the mapping."""

    exit_code = INTERNAL_ERROR_EXIT


@dataclass(frozen=True)
class GenerateRequest:
    academic_year: int
    block: int
    time_limit_s: float = 60.0
    workers: int = 8
    seed: int = 0
    minimal_change: bool = False

    def params(self) -> SolveParams:
        mode = SolveMode.REPAIR if self.minimal_change else SolveMode.OPTIMIZE
        return SolveParams(self.time_limit_s, self.workers, self.seed, mode)


@dataclass
class GenerateResult:
    run_id: int
    run_status: RunStatus
    solution: Solution
    report: SavedReport | None = None
    explanation: list[str] = field(default_factory=list)
    minimal_change: bool = False

    def as_json(self) -> dict[str, Any]:
        s, report = self.solution, self.report
        found: dict[str, Any] = {
            "run_id": self.run_id,
            "solver_status": s.status,
            "objective": s.objective,
            "best_bound": s.best_bound,
            "gap": s.gap,
            "wall_s": round(s.wall_s, 3),
            "assignments": report.assignments if report else 0,
            "call_assignments": report.call_assignments if report else 0,
            "coverage_pct": report.coverage["coverage_pct"] if report else 0.0,
            "conflicts": report.conflicts if report else [],
            "acgme_overrides": report.overrides if report else [],
            "compliance": report.compliance if report else {"violations": [], "warnings": []},
            "penalties": dict(s.penalties),
        }
        if self.explanation:
            found["explanation"] = self.explanation
        if self.minimal_change:
            found["changes"] = changes(s)
        return found


def changes(solution: Solution) -> dict[str, list[str]]:
    return {
        "added": [describe_entry(e) for e in solution.added],
        "removed": [describe_entry(e) for e in solution.removed],
    }


def describe_entry(entry: Any) -> str:
    if hasattr(entry, "session"):
        return f"{entry.person_id} {entry.day} {entry.session} {entry.activity_id}"
    if hasattr(entry, "service_id"):
        return f"{entry.person_id} {entry.day} night {entry.service_id} call"
    return f"{entry.faculty_id} FMIT attending week from {entry.week_start}"


def preflight() -> None:
    report = verify(REGISTRY)
    if not report.ok:
        parts = [
            f"{what}: {', '.join(names)}"
            for what, names in (
                ("missing", report.missing),
                ("duplicated", report.duplicated),
                ("unexpected", report.unexpected),
                ("wrong kind", report.wrong_kind),
            )
            if names
        ]
        raise RefusedError(
            f"constraint pre-flight failed ({'; '.join(parts)}); see `residency constraints verify`"
        )


def fingerprint() -> str:
    text = ";".join(f"{c.name}:{c.hard}:{c.weight}" for c in REGISTRY)
    return hashlib.sha256(text.encode()).hexdigest()


def generate_block(request: GenerateRequest, engine: Engine | None = None) -> GenerateResult:
    preflight()
    run_id = claim_run(request, engine)
    try:
        with unit_of_work(engine) as session:
            context = build_block_problem(
                session, request.academic_year, request.block, repair=request.minimal_change
            )
        if request.minimal_change and context.problem.previous == PreviousSchedule():
            raise RefusedError(
                f"block {request.block} has no stored schedule to repair; generate it first "
                "(without --minimal-change)"
            )
        solution = solve(context.problem, request.params())
        if not solution.has_schedule:
            return _without_schedule(run_id, context, solution, engine)
        return _save(run_id, context, solution, request, engine)
    except BaseException as exc:
        finish_run(run_id, RunStatus.FAILED, f"{type(exc).__name__}: {exc}", {}, engine)
        raise


def claim_run(request: GenerateRequest, engine: Engine | None = None) -> int:
    """Commit a RUNNING run for the block's dates, refusing while another overlaps it."""
    with unit_of_work(engine) as session:
        block = block_row(session, request.academic_year, request.block)
        _refuse_if_running(session, block.start_date, block.end_date)
        run = ScheduleRun(
            kind=repo.BLOCK_RUN,
            academic_year=request.academic_year,
            block_number=request.block,
            start_date=block.start_date,
            end_date=block.end_date,
            status=RunStatus.RUNNING,
            parameters={
                "time_limit_s": request.time_limit_s,
                "workers": request.workers,
                "seed": request.seed,
                "minimal_change": request.minimal_change,
            },
            metrics={},
            constraint_fingerprint=fingerprint(),
            started_at=repo.now(),
            message="",
        )
        session.add(run)
        session.flush()
        run_id, start, end = run.id, block.start_date, block.end_date
    # Two claims committed at the same moment: the lower id goes ahead, the other refuses.
    with unit_of_work(engine) as session:
        earlier = [r for r in repo.running_runs(session, start, end) if r.id < run_id]
        if earlier:
            session.get_one(ScheduleRun, run_id).status = RunStatus.FAILED
    if earlier:
        raise RefusedError(_running_message(earlier[0]))
    return run_id


def _refuse_if_running(session: Session, start: Any, end: Any) -> None:
    for run in repo.running_runs(session, start, end):
        limit = float(run.parameters.get("time_limit_s", 0) or 0)
        if repo.aware(run.started_at) + timedelta(seconds=limit) + STALE_GRACE < repo.now():
            run.status = RunStatus.FAILED
            run.finished_at = repo.now()
            run.message = "abandoned: still RUNNING long after its time limit (stale run)"
        else:
            raise RefusedError(_running_message(run))


def _running_message(run: ScheduleRun) -> str:
    return (
        f"schedule run {run.id} for {run.start_date}..{run.end_date} (block {run.block_number}) "
        f"is still running since {repo.aware(run.started_at):%Y-%m-%d %H:%M} UTC; wait for it "
        "to finish before generating an overlapping range"
    )


def finish_run(
    run_id: int, status: RunStatus, message: str, metrics: dict[str, Any], engine: Engine | None
) -> None:
    with unit_of_work(engine) as session:
        _finish(session, run_id, status, message, metrics)


def _finish(
    session: Session, run_id: int, status: RunStatus, message: str, metrics: dict[str, Any]
) -> None:
    run = session.get_one(ScheduleRun, run_id)
    if run.status != RunStatus.RUNNING:
        return
    run.status, run.message, run.finished_at = status, message[:1000], repo.now()
    run.metrics = metrics


def _without_schedule(
    run_id: int, context: BlockContext, solution: Solution, engine: Engine | None
) -> GenerateResult:
    from residency.scheduling.explain import explain

    if solution.status == "INFEASIBLE":
        sentences = explain(context, solution.conflicting)
        status = RunStatus.INFEASIBLE
    else:
        sentences = [f"no schedule found within the time limit (solver status {solution.status})"]
        status = RunStatus.FAILED
    metrics = {"solver_status": solution.status, "conflicting": list(solution.conflicting)}
    finish_run(run_id, status, " ".join(sentences), metrics, engine)
    return GenerateResult(run_id, status, solution, explanation=sentences)


def _save(
    run_id: int,
    context: BlockContext,
    solution: Solution,
    request: GenerateRequest,
    engine: Engine | None,
) -> GenerateResult:
    with unit_of_work(engine) as session:
        repo.delete_replaceable(session, context.block.start_date, context.block.end_date)
        write_solution(session, context, solution, run_id)
        session.flush()
        report = check_saved(session, context)
        if report.broken:
            raise ScheduleCheckFailed(
                "the saved schedule breaks hard rules (a bug; the previous schedule is kept): "
                + "; ".join(report.broken[:5])
            )
        result = GenerateResult(
            run_id, RunStatus.SUCCEEDED, solution, report, minimal_change=request.minimal_change
        )
        metrics = {k: v for k, v in result.as_json().items() if k not in ("run_id",)}
        metrics["coverage"] = report.coverage
        metrics["model_size"] = dict(solution.model_size)
        _finish(session, run_id, RunStatus.SUCCEEDED, "", metrics)
    return result
