"""The run lifecycle in steps: a claim commits a queued run and hands back its id;
`execute_run(id)` alone drives it to its end, in another engine as a worker would; a heartbeat
shows a run is alive, and a run whose heartbeat stopped no longer blocks its range."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from fixtures.block_program import YEAR, seed
from residency.db import build_engine, unit_of_work
from residency.errors import RefusedError
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import PublishedVersion, RunStatus, ScheduleRun
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.lifecycle import HEARTBEAT_TIMEOUT, start_run
from residency.scheduling.runs.progress import RunMonitor
from residency.scheduling.runs.versions import publish

REQUEST = GenerateRequest(YEAR, 10, time_limit_s=3, workers=2, seed=1)


def _status(engine: Engine, run_id: int) -> ScheduleRun:
    with Session(engine, expire_on_commit=False) as session:
        return session.get_one(ScheduleRun, run_id)


def test_a_claim_is_a_queued_run_that_execute_run_finishes_from_its_id_alone(
    db_url: str, db_engine: Engine
) -> None:
    seed(db_engine)
    with unit_of_work(db_engine) as session:
        run_id = claim_block(session, REQUEST)
    claimed = _status(db_engine, run_id)
    assert claimed.status == RunStatus.QUEUED and claimed.heartbeat_at is not None
    worker = build_engine(db_url)  # another process would build its own engine
    try:
        outcome = execute_run(run_id, worker)
    finally:
        worker.dispose()
    done = _status(db_engine, run_id)
    assert outcome.status == done.status == RunStatus.SUCCEEDED
    assert done.metrics["has_schedule"] is True and done.finished_at is not None
    with Session(db_engine) as session:
        assert session.scalars(select(PublishedVersion)).all() == []  # a draft until published
    with pytest.raises(RefusedError, match="not queued"):
        execute_run(run_id, db_engine)


def _age(engine: Engine, run_id: int, heartbeat_age: timedelta, started_age: timedelta) -> None:
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id)
            .values(
                status=RunStatus.RUNNING,
                heartbeat_at=now - heartbeat_age,
                started_at=now - started_age,
            )
        )


def test_a_run_with_a_fresh_heartbeat_blocks_its_range_however_old_it_is(
    db_engine: Engine,
) -> None:
    seed(db_engine)
    with unit_of_work(db_engine) as session:
        first = claim_block(session, REQUEST)
    _age(db_engine, first, heartbeat_age=timedelta(seconds=2), started_age=timedelta(hours=5))
    still_running = f"schedule run {first} .* still running"
    with pytest.raises(RefusedError, match=still_running), unit_of_work(db_engine) as session:
        claim_block(session, REQUEST)
    _age(db_engine, first, heartbeat_age=HEARTBEAT_TIMEOUT * 2, started_age=timedelta(minutes=3))
    with unit_of_work(db_engine) as session:
        second = claim_block(session, REQUEST)
    abandoned = _status(db_engine, first)
    assert abandoned.status == RunStatus.FAILED and "no heartbeat" in abandoned.message
    assert _status(db_engine, second).status == RunStatus.QUEUED


def test_of_two_claims_committed_at_once_the_lower_id_goes_ahead(db_engine: Engine) -> None:
    seed(db_engine)
    with unit_of_work(db_engine) as session:
        first = claim_block(session, REQUEST)
    with unit_of_work(db_engine) as session:  # committed beside the first, as a race would
        twin = session.get_one(ScheduleRun, first)
        copy = ScheduleRun(
            **{c: getattr(twin, c) for c in ("kind", "academic_year", "block_number")},
            start_date=twin.start_date,
            end_date=twin.end_date,
            status=RunStatus.QUEUED,
            parameters=twin.parameters,
            metrics={},
            started_at=twin.started_at,
        )
        session.add(copy)
        session.flush()
        second = copy.id
    with pytest.raises(RefusedError, match=f"schedule run {first} "):
        execute_run(second, db_engine)
    assert _status(db_engine, second).status == RunStatus.FAILED
    assert execute_run(first, db_engine).status == RunStatus.SUCCEEDED


def test_the_watcher_beats_while_the_run_solves(db_engine: Engine) -> None:
    seed(db_engine)
    with unit_of_work(db_engine) as session:
        run_id = claim_block(session, REQUEST)
        start_run(session, run_id)  # only a running run's heartbeat moves
    _age(db_engine, run_id, heartbeat_age=timedelta(hours=1), started_age=timedelta(hours=1))
    stale = _status(db_engine, run_id).heartbeat_at
    RunMonitor(db_engine, run_id).tick()  # a first visit beats: none was written yet
    assert _status(db_engine, run_id).heartbeat_at != stale


def test_a_queued_run_is_built_on_what_is_published_when_it_starts(db_engine: Engine) -> None:
    seed(db_engine)
    with unit_of_work(db_engine) as session:
        earlier = claim_block(session, REQUEST)
    execute_run(earlier, db_engine)
    with unit_of_work(db_engine) as session:
        waiting = claim_block(session, replace(REQUEST, seed=2))
    assert _status(db_engine, waiting).base_run_id is None  # nothing published at the claim
    with unit_of_work(db_engine) as session:
        publish(session, earlier)  # published while the second run waits in the queue
    execute_run(waiting, db_engine)
    built_on = _status(db_engine, waiting)
    assert (built_on.base_run_id, built_on.base_revision) == (earlier, 1)
    with unit_of_work(db_engine) as session:
        assert publish(session, waiting).forced is False  # not stale: it saw that version
