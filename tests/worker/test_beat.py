"""`residency beat` and the nightly jobs on the task queue: every job beat sends is a task the
worker knows, routed to a queue `residency worker` consumes; beat refuses a database at
another schema revision as the worker does. (That a real worker runs a job sent the way beat
sends it is shown by the worker test of test_celery_runs.py, on the worker it starts anyway:
a worker process takes seconds to start.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from test_celery_runs import REDIS_URL

from residency.cli import main
from residency.config import get_settings
from residency.worker import BEAT_SCHEDULE, EVERY_MINUTE, QUEUES, TASK_MODULES, celery_app


@pytest.fixture
def app(cli_env: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Celery]:
    """Our Celery app as `residency worker` and `residency beat` build it (never a task's
    default app, which would talk to a local RabbitMQ)."""
    cli_env.setenv("RESIDENCY_REDIS_URL", REDIS_URL)
    cli_env.setenv("RESIDENCY_NIGHTLY_AT", "23:50")
    cli_env.setenv("RESIDENCY_BEAT_STATE_DIR", str(tmp_path / "beat"))
    get_settings.cache_clear()
    celery_app.cache_clear()
    yield celery_app()
    celery_app.cache_clear()


def _started_with(app: Celery, monkeypatch: pytest.MonkeyPatch, command: str) -> list[str]:
    """The argv `residency COMMAND` hands to Celery, which is stopped there."""
    seen: list[list[str]] = []
    method = "worker_main" if command == "worker" else "start"
    monkeypatch.setattr(app, method, lambda argv: seen.append(list(argv)))
    get_settings.cache_clear()  # the database the test set since (the app stays the same)
    assert main([command]) == 0
    [argv] = seen
    return argv


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_every_beat_job_is_a_known_task_on_a_queue_the_worker_consumes(
    app: Celery, cli_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for module in TASK_MODULES:
        __import__(module)
    worker_argv = _started_with(app, monkeypatch, "worker")
    consumed = set(worker_argv[worker_argv.index("--queues") + 1].split(","))
    assert consumed == set(QUEUES)

    beat_argv = _started_with(app, monkeypatch, "beat")
    assert beat_argv[0] == "beat"
    schedule = app.conf.beat_schedule
    assert sorted(schedule) == sorted([*BEAT_SCHEDULE, *EVERY_MINUTE])
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, f"{name}: {entry['task']} is not a registered task"
        queue = app.amqp.router.route({}, entry["task"])["queue"].name
        assert queue in consumed, f"{name}: {entry['task']} goes to {queue}, never consumed"
    # From RESIDENCY_NIGHTLY_AT (UTC): the backup at 23:50, the scan a quarter past, next day.
    backup, scan = (
        schedule["nightly-backup"]["schedule"],
        schedule["nightly-compliance-scan"]["schedule"],
    )
    assert (backup.hour, backup.minute) == ({23}, {50})
    assert (scan.hour, scan.minute) == ({0}, {5})
    state = Path(app.conf.beat_schedule_filename)
    assert state.parent == tmp_path / "beat" and state.parent.is_dir()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_beat_refuses_a_database_at_another_schema(
    app: Celery, cli_env: pytest.MonkeyPatch, empty_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.setenv("RESIDENCY_DATABASE_URL", empty_db_url)
    assert main(["beat"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "residency db upgrade" in err


def test_a_bad_nightly_time_is_refused_naming_it(
    cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.setenv("RESIDENCY_NIGHTLY_AT", "25:00")
    assert main(["beat"]) == 2
    err = capsys.readouterr().err
    assert "nightly_at" in err and "'25:00' is not a time of day HH:MM" in err
    assert err.count("\n") == 1
