"""Runs through the task queue on the real Redis: the API claims, a `residency worker` process
executes, and the run says where it ran. Each test has Redis keys of its own (a key prefix),
so the suite's two processes never take each other's tasks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fixtures.api import Api
from fixtures.runs_api import QUICK_BLOCK, staff, wait_for_end
from residency.compliance.models import ComplianceScan
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


def test_a_run_is_executed_by_a_worker_and_says_where(
    api: Api,
    queue_env: dict[str, str],
    worker: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESIDENCY_REDIS_URL", queue_env["RESIDENCY_REDIS_URL"])
    monkeypatch.setenv("RESIDENCY_REDIS_KEY_PREFIX", queue_env["RESIDENCY_REDIS_KEY_PREFIX"])
    get_settings.cache_clear()
    celery_app.cache_clear()
    with _queued_app(api, queue_env) as client:
        api.client = client
        started = client.post("/api/v1/runs", json=QUICK_BLOCK, headers=staff(api))
        assert started.status_code == 202, started.text
        run = wait_for_end(api, started.json()["id"], staff(api))
    # The same worker runs a nightly job sent as `residency beat` sends it (tests/worker/
    # test_beat.py checks every job's queue; a second worker process would cost seconds).
    celery_app().send_task(celery_app().conf.beat_schedule["nightly-compliance-scan"]["task"])
    scans = _wait_for_a_scan(api)
    celery_app.cache_clear()
    get_settings.cache_clear()
    assert run["status"] == "succeeded", run
    assert run["executor"]["executor"] == "celery"
    # A process of the worker (its pool's child), not this one.
    assert run["executor"]["host"] == socket.gethostname()
    assert run["executor"]["pid"] not in (None, os.getpid())
    assert [(scan.blocks_scanned, scan.opened) for scan in scans] == [(0, 0)]  # none published


def _wait_for_a_scan(api: Api) -> list[ComplianceScan]:
    deadline = time.monotonic() + 60  # bounded: a job nobody runs fails the test
    while time.monotonic() < deadline:
        with unit_of_work(api.engine) as session:
            scans = list(session.scalars(select(ComplianceScan)))
        if scans:
            return scans
        time.sleep(0.05)
    raise AssertionError("no worker ran the compliance scan within 60 s")


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
