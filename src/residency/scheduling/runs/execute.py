"""`execute_run(run_id)`: drive a claimed run to its end through its level's steps, opening
the transactions it needs. The CLI calls it after committing the claim; an in-process executor
or a task queue worker calls exactly it, with nothing but the id.

1. start: queued -> running (one short transaction);
2. build: read the database into plain data, and record the published version the draft is
   built on (one transaction);
3. solve: pure, no transaction open, while a watcher (runs/progress.py) records its progress
   and heartbeat and passes a cancel on to it;
4. save: the draft version, its re-check and the run's result (one transaction): a crash or a
   hard rule broken after solving leaves nothing half-written, and the run ends failed. A
   cancelled solve that had found a schedule saves it as a draft all the same (the run ends
   cancelled, its draft can be inspected and published); one that had not saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from residency.db import get_engine, unit_of_work
from residency.scheduling.annual import service as annual
from residency.scheduling.block import service as block
from residency.scheduling.engine.progress import Progress, SolveControl
from residency.scheduling.models import RunKind, RunStatus, ScheduleRun
from residency.scheduling.runs.lifecycle import OverlappingRun, end_run, record_base, start_run
from residency.scheduling.runs.outcome import Outcome
from residency.scheduling.runs.progress import RunMonitor
from residency.scheduling.runs.versions import get_run


@dataclass(frozen=True)
class Steps:
    build: Callable[[Session, ScheduleRun], Any]
    solve: Callable[[Any, ScheduleRun, SolveControl], Any]
    save: Callable[[Session, ScheduleRun, Any, Any], Outcome]


STEPS = {
    RunKind.BLOCK_SCHEDULE: Steps(block.build, block.solve_block, block.save_block),
    RunKind.ANNUAL_PLAN: Steps(annual.build, annual.solve_plan, annual.save_plan),
}


def execute_run(
    run_id: int,
    engine: Engine | None = None,
    listener: Callable[[Progress], None] | None = None,
) -> Outcome:
    """`listener` hears each progress report as it happens, in this process (the CLI's bar)."""
    bound = engine or get_engine()
    try:
        with unit_of_work(bound) as session:
            run = start_run(session, run_id)
            steps = STEPS[RunKind(run.kind)]
    except OverlappingRun as exc:
        _fail(bound, run_id, str(exc))
        raise
    try:
        with unit_of_work(bound) as session:
            current = get_run(session, run_id)
            record_base(session, current)
            built = steps.build(session, current)
        monitor = RunMonitor(bound, run_id, listener)
        with monitor.watching() as control:
            solved = steps.solve(built, run, control)
        with unit_of_work(bound) as session:
            current = get_run(session, run_id)
            outcome = steps.save(session, current, built, solved)
            if monitor.cancelled:
                outcome = _cancelled(outcome)
            end_run(session, current, outcome.status, outcome.message, outcome.metrics)
    except BaseException as exc:
        _fail(bound, run_id, f"{type(exc).__name__}: {exc}")
        raise
    return outcome


def _cancelled(outcome: Outcome) -> Outcome:
    if outcome.metrics.get("has_schedule"):
        message = "cancelled while solving; the best schedule found by then is kept as a draft"
    else:
        message = "cancelled before a schedule was found; nothing was saved"
    result = outcome.result
    if isinstance(result, block.GenerateResult):  # what the CLI prints says so too
        result = replace(result, run_status=RunStatus.CANCELLED)
    return replace(outcome, status=RunStatus.CANCELLED, message=message, result=result)


def _fail(engine: Engine, run_id: int, message: str) -> None:
    with unit_of_work(engine) as session:
        end_run(session, get_run(session, run_id), RunStatus.FAILED, message)
