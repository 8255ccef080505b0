"""The task queue's edges on the real Redis: Redis down, a task for a run that is gone or has
ended, a run whose worker was lost, the routing table, a worker at the wrong schema. A run
executed by a real worker process, which says where it ran, is in tests/system/test_stack.py.
Each test has Redis keys of its own (a key prefix), so the suite's two processes never take
each other's tasks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fixtures.api import Api
from fixtures.runs_api import QUICK_BLOCK, staff
from residency import clock
from residency.config import Settings, get_settings
from residency.db import unit_of_work
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import RunStatus, ScheduleRun
from residency.scheduling.runs import tasks
from residency.web import create_app
from residency.worker import QUEUES, ROUTES, TASK_MODULES, celery_app

REDIS_URL = os.environ.get("RESIDENCY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RESIDENCY = str(Path(sys.executable).parent / "residency")


@pytest.fixture
def queue_env(db_url: str) -> Iterator[dict[str, str]]:
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield {
        **os.environ,
        "RESIDENCY_DATABASE_URL": db_url,
        "RESIDENCY_REDIS_URL": REDIS_URL,
        "RESIDENCY_REDIS_KEY_PREFIX": prefix,
    }
    client = redis.Redis.from_url(REDIS_URL)  # leave the shared Redis as it was
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def worker(queue_env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    with (tmp_path / "worker.log").open("w") as output:  # a file: a full pipe would block it
        process = subprocess.Popen(
            [RESIDENCY, "worker"],
            env=queue_env,
            cwd=tmp_path,
            text=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _queued_app(api: Api, queue_env: dict[str, str]) -> TestClient:
    settings = Settings(
        redis_url=queue_env["RESIDENCY_REDIS_URL"],
        redis_key_prefix=queue_env["RESIDENCY_REDIS_KEY_PREFIX"],
    )
    return TestClient(create_app(api.engine, settings))


def test_without_redis_a_run_is_refused_with_503_and_left_failed(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESIDENCY_REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    celery_app.cache_clear()
    settings = Settings(redis_url="redis://127.0.0.1:1/0")
    with TestClient(create_app(api.engine, settings)) as client:
        answer = client.post("/api/v1/runs", json=QUICK_BLOCK, headers=staff(api))
        ready = client.get("/readyz")
        reads = client.get("/api/v1/runs", headers=staff(api))
    celery_app.cache_clear()
    get_settings.cache_clear()
    assert answer.status_code == 503, answer.text
    assert "task queue unavailable" in answer.json()["error"]["message"]
    assert ready.status_code == 503 and reads.status_code == 200
    with unit_of_work(api.engine) as session:
        statuses = [run.status for run in session.query(ScheduleRun)]
    assert statuses == [RunStatus.FAILED]  # no run left queued for nobody


def test_a_task_for_a_missing_or_ended_run_does_nothing(
    api: Api, cli_db: str, db_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with unit_of_work(db_engine) as session:
        run_id = claim_block(session, GenerateRequest(2025, 10))
        session.get(ScheduleRun, run_id).status = RunStatus.CANCELLED  # type: ignore[union-attr]
    tasks.execute.run(run_id)
    tasks.execute.run(999_999)
    with unit_of_work(db_engine) as session:
        assert session.get(ScheduleRun, run_id).status == RunStatus.CANCELLED  # type: ignore[union-attr]
    assert "is cancelled, not queued; nothing to do" in caplog.text
    assert "run 999999: no such run" in caplog.text


def _running(engine: Engine, **changes: object) -> int:
    """A claimed run marked running by a worker process of this host that is gone."""
    with unit_of_work(engine) as session:
        run_id = claim_block(session, GenerateRequest(2025, 10))
        run = session.get_one(ScheduleRun, run_id)
        worker = {"executor": "celery", "host": socket.gethostname(), "pid": _dead_pid()}
        run.status = RunStatus.RUNNING
        run.parameters = {**run.parameters, "claimed_by": worker, **changes}
    return run_id


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped): no process has it now."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_run_whose_worker_was_lost_a_second_time_ends_failed(
    api: Api, cli_db: str, db_engine: Engine
) -> None:
    run_id = _running(db_engine, retries=1)
    tasks.execute.run(run_id)  # the task handed out again after the second loss
    with unit_of_work(db_engine) as session:
        run = session.get_one(ScheduleRun, run_id)
        assert run.status == RunStatus.FAILED
        assert "lost again" in run.message


def test_the_sweep_fails_runs_whose_process_stopped_and_leaves_live_ones(
    api: Api, cli_db: str, db_engine: Engine
) -> None:
    silent = _running(db_engine)
    with unit_of_work(db_engine) as session:
        session.get_one(ScheduleRun, silent).heartbeat_at = clock.now() - timedelta(hours=1)
    tasks.fail_abandoned.run()
    with unit_of_work(db_engine) as session:
        assert session.get_one(ScheduleRun, silent).status == RunStatus.FAILED
        fresh = claim_block(session, GenerateRequest(2025, 10))  # the range is free again
    tasks.fail_abandoned.run()
    with unit_of_work(db_engine) as session:
        assert session.get_one(ScheduleRun, fresh).status == RunStatus.QUEUED


def test_every_task_has_a_route_to_a_queue_the_worker_consumes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESIDENCY_REDIS_URL", REDIS_URL)
    get_settings.cache_clear()
    celery_app.cache_clear()
    app = celery_app()
    app.loader.import_default_modules()
    for module in TASK_MODULES:
        __import__(module)
    ours = sorted(name for name in app.tasks if name.startswith("residency."))
    celery_app.cache_clear()
    get_settings.cache_clear()
    assert ours == sorted(ROUTES)
    assert {route["queue"] for route in ROUTES.values()} <= set(QUEUES)


# As for `residency serve` (tests/web/test_serve.py): the check is tested on both engines in
# tests/ops; here, that the worker prints it and stops.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_worker_refuses_a_database_at_another_schema(empty_db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "RESIDENCY_DATABASE_URL": empty_db_url, "RESIDENCY_REDIS_URL": REDIS_URL}
    done = subprocess.run(
        [RESIDENCY, "worker"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "residency db upgrade" in done.stderr
