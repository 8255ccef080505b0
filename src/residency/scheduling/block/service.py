"""Generate a block schedule, as steps that never open a transaction themselves:

- `claim_block(session, request)`: validates, records a queued run, returns its id;
- `build(session, run)`: reads the database, returns plain `BlockData` (the engine's Problem);
- `solve_block(data, request)`: pure, no database;
- `save_block(session, run_id, data, solution)`: writes the run's draft version and re-checks
  it; a hard rule broken after solving raises, so the caller's transaction rolls back.

`runs.execute.execute_run(run_id)` drives a claimed run through them. The published schedule
does not change until someone publishes the run (`runs.versions.publish`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from residency.calendar.service import block_row
from residency.errors import INTERNAL_ERROR_EXIT, RefusedError, ResidencyError
from residency.scheduling.block.data import BlockData
from residency.scheduling.block.explain import explain
from residency.scheduling.block.problem import build_block_problem, require_plan
from residency.scheduling.block.rows import write_draft
from residency.scheduling.block.verdict import SavedReport, check_saved
from residency.scheduling.engine import Solution, SolveMode, SolveParams, solve
from residency.scheduling.engine.problem import PreviousSchedule
from residency.scheduling.engine.progress import SolveControl
from residency.scheduling.models import LIVE_STATUSES, RunKind, RunStatus, ScheduleRun
from residency.scheduling.preflight import fingerprint, preflight
from residency.scheduling.repository import PUBLISHED, Version
from residency.scheduling.runs.lifecycle import new_run
from residency.scheduling.runs.modes import solve_mode
from residency.scheduling.runs.outcome import Outcome, changes
from residency.scheduling.runs.versions import get_run, published, scope_of


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
    first_feasible: bool = False  # stop at the first schedule that keeps every hard rule
    # In a chain of blocks (runs/chain.py): the previous block's run, whose draft is this
    # block's boundary context instead of the published schedule.
    after_run: int | None = None

    def params(self) -> SolveParams:
        return SolveParams(self.time_limit_s, self.workers, self.seed, self.mode())

    def mode(self) -> SolveMode:
        return solve_mode(self.minimal_change, self.first_feasible)

    @classmethod
    def of_run(cls, run: ScheduleRun) -> GenerateRequest:
        assert run.block_number is not None
        keys = ("time_limit_s", "workers", "seed", "minimal_change", "first_feasible", "after_run")
        given = {k: run.parameters[k] for k in keys if k in run.parameters}
        return cls(run.academic_year, run.block_number, **given)


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


def claim_block(
    session: Session, request: GenerateRequest, *, claimed_by: Mapping[str, object] | None = None
) -> int:
    request.mode()  # refuses contradictory options before anything is written
    preflight("block")
    block = block_row(session, request.academic_year, request.block)
    require_plan(session, request.academic_year, request.block)
    scope = scope_of(RunKind.BLOCK_SCHEDULE, request.academic_year, request.block)
    if request.minimal_change and published(session, scope) is None:
        raise RefusedError(
            f"block {request.block} has no published schedule to repair; generate and publish "
            "it first (without --minimal-change)"
        )
    parameters = {k: v for k, v in asdict(request).items() if k not in ("academic_year", "block")}
    run = new_run(
        session,
        RunKind.BLOCK_SCHEDULE,
        request.academic_year,
        request.block,
        (block.start_date, block.end_date),
        parameters,
        fingerprint("block"),
        claimed_by,
    )
    return run.id


def build(session: Session, run: ScheduleRun) -> BlockData:
    request = GenerateRequest.of_run(run)
    boundary = PUBLISHED if request.after_run is None else previous_block(session, request)
    data = build_block_problem(
        session,
        request.academic_year,
        request.block,
        repair=request.minimal_change,
        boundary_from=boundary,
    )
    if request.minimal_change and data.problem.previous == PreviousSchedule():
        raise RefusedError(
            f"block {request.block} has no stored schedule to repair; generate it first "
            "(without --minimal-change)"
        )
    return data


def previous_block(session: Session, request: GenerateRequest) -> Version:
    """The previous block's run in a chain: its draft, once it has one."""
    assert request.after_run is not None
    before = get_run(session, request.after_run)
    if before.status in LIVE_STATUSES or not before.metrics.get("has_schedule"):
        raise RefusedError(
            f"block {request.block}: the previous block's run {before.id} is "
            f"{before.status.value} without a schedule, and this block starts from its days; "
            "the chain stops here"
        )
    return Version(before.id)


def solve_block(data: BlockData, run: ScheduleRun, control: SolveControl) -> Solution:
    return solve(data.problem, replace(GenerateRequest.of_run(run).params(), control=control))


def save_block(session: Session, run: ScheduleRun, data: BlockData, solution: Solution) -> Outcome:
    run_id, minimal_change = run.id, GenerateRequest.of_run(run).minimal_change
    if not solution.has_schedule:
        return _without_schedule(run_id, data, solution)
    write_draft(session, data, solution, run_id)
    session.flush()
    report = check_saved(session, data, Version(run_id))
    if report.broken:
        raise ScheduleCheckFailed(
            "the saved schedule breaks hard rules (a bug; nothing was saved): "
            + "; ".join(report.broken[:5])
        )
    result = GenerateResult(
        run_id, RunStatus.SUCCEEDED, solution, report, minimal_change=minimal_change
    )
    metrics = {k: v for k, v in result.as_json().items() if k != "run_id"}
    metrics["coverage"] = report.coverage
    metrics["model_size"] = dict(solution.model_size)
    metrics["has_schedule"] = True
    return Outcome(run_id, RunStatus.SUCCEEDED, "", metrics, result)


def _without_schedule(run_id: int, data: BlockData, solution: Solution) -> Outcome:
    if solution.status == "INFEASIBLE":
        sentences = explain(data, solution.conflicting)
        status = RunStatus.INFEASIBLE
    else:
        sentences = [f"no schedule found within the time limit (solver status {solution.status})"]
        status = RunStatus.FAILED
    result = GenerateResult(run_id, status, solution, explanation=sentences)
    metrics = {k: v for k, v in result.as_json().items() if k != "run_id"}
    metrics["conflicting"] = list(solution.conflicting)
    metrics["has_schedule"] = False
    return Outcome(run_id, status, " ".join(sentences), metrics, result)
