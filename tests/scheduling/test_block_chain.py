"""Blocks generated in block order (runs/chain.py): each block's run starts from the previous
block's new draft, its queue wait restarts when that one ends, and a block without a schedule
stops the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK, PLAN, YEAR, seed
from fixtures.fallback_plan import fixed_block_plan
from residency.db import unit_of_work
from residency.errors import InputError, RefusedError
from residency.scheduling.block.duty import duty_periods_between
from residency.scheduling.block.service import GenerateRequest, build
from residency.scheduling.models import RunStatus, ScheduleRun
from residency.scheduling.repository import PUBLISHED, Version
from residency.scheduling.runs.chain import claim_blocks_in_order
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.lifecycle import cancel_run

QUICK = GenerateRequest(YEAR, BLOCK, time_limit_s=5, workers=2, first_feasible=True)
BLOCKS = range(BLOCK, BLOCK + 2)


def _chain(engine: Engine) -> list[int]:
    seed(engine)
    with unit_of_work(engine) as session:
        fixed_block_plan(session, YEAR, BLOCK + 1, PLAN)
        return claim_blocks_in_order(session, QUICK, BLOCKS)


def _run(engine: Engine, run_id: int) -> ScheduleRun:
    with Session(engine, expire_on_commit=False) as session:
        return session.get_one(ScheduleRun, run_id)


def test_each_block_starts_from_the_previous_blocks_new_draft(db_engine: Engine) -> None:
    first, second = _chain(db_engine)
    assert _run(db_engine, second).parameters["after_run"] == first
    assert execute_run(first, db_engine).status == RunStatus.SUCCEEDED
    with unit_of_work(db_engine) as session:
        later = _run(db_engine, second)
        boundary = build(session, later).problem.boundary
        end = later.start_date - timedelta(days=1)
        week = (end - timedelta(days=6), end)
        drafted = duty_periods_between(session, *week, YEAR, Version(first))
        published = duty_periods_between(session, *week, YEAR, PUBLISHED)
    assert drafted and not published  # nothing is published: the draft is what it sees
    people = {p.person_id for p in boundary}
    assert sorted(boundary, key=repr) == sorted(
        (p for p in drafted if p.person_id in people), key=repr
    )
    assert execute_run(second, db_engine).status == RunStatus.SUCCEEDED


def test_the_next_blocks_wait_restarts_when_the_one_before_ends(db_engine: Engine) -> None:
    first, second = _chain(db_engine)
    waiting_since = _run(db_engine, second).heartbeat_at
    execute_run(first, db_engine)
    assert _run(db_engine, second).heartbeat_at != waiting_since


def test_a_block_without_a_schedule_stops_the_rest_of_the_chain(db_engine: Engine) -> None:
    first, second = _chain(db_engine)
    with unit_of_work(db_engine) as session:
        cancel_run(session, first)
    with pytest.raises(RefusedError, match="the chain stops here"):
        execute_run(second, db_engine)
    stopped = _run(db_engine, second)
    assert stopped.status == RunStatus.FAILED and f"run {first} is cancelled" in stopped.message


def test_a_chain_is_a_range_of_blocks_1_to_13(db_engine: Engine) -> None:
    seed(db_engine)
    with unit_of_work(db_engine) as session, pytest.raises(InputError, match=r"blocks: 12\.\.14"):
        claim_blocks_in_order(session, QUICK, range(12, 15))
