"""`execute_run(run_id)`: drive a claimed run to its end through its level's steps, opening
the transactions it needs. The CLI calls it after committing the claim; an in-process executor
or a task queue worker calls exactly it, with nothing but the id.

1. start: queued -> running (one short transaction);
2. build: read the database into plain data, and record the published version the draft is
   built on (one transaction);
3. solve: pure, no transaction open, while a heartbeat shows the run is alive;
4. save: the draft version, its re-check and the run's result (one transaction): a crash or a
   hard rule broken after solving leaves nothing half-written, and the run ends failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from residency.db import get_engine, unit_of_work
from residency.scheduling.annual import service as annual
from residency.scheduling.block import service as block
from residency.scheduling.models import RunKind, RunStatus, ScheduleRun
from residency.scheduling.runs.lifecycle import (
    OverlappingRun,
    end_run,
    heartbeat,
    record_base,
    start_run,
)
from residency.scheduling.runs.outcome import Outcome
from residency.scheduling.runs.versions import get_run


@dataclass(frozen=True)
class Steps:
    build: Callable[[Session, ScheduleRun], Any]
    solve: Callable[[Any, ScheduleRun], Any]
    save: Callable[[Session, ScheduleRun, Any, Any], Outcome]


STEPS = {
    RunKind.BLOCK_SCHEDULE: Steps(block.build, block.solve_block, block.save_block),
    RunKind.ANNUAL_PLAN: Steps(annual.build, annual.solve_plan, annual.save_plan),
}


def execute_run(run_id: int, engine: Engine | None = None) -> Outcome:
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
        with heartbeat(bound, run_id):
            solved = steps.solve(built, run)
        with unit_of_work(bound) as session:
            current = get_run(session, run_id)
            outcome = steps.save(session, current, built, solved)
            end_run(session, current, outcome.status, outcome.message, outcome.metrics)
    except BaseException as exc:
        _fail(bound, run_id, f"{type(exc).__name__}: {exc}")
        raise
    return outcome


def _fail(engine: Engine, run_id: int, message: str) -> None:
    with unit_of_work(engine) as session:
        end_run(session, get_run(session, run_id), RunStatus.FAILED, message)
