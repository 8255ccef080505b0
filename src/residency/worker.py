"""The Celery app (`residency worker`, `residency beat`), its routing table (which queue every
task goes to) and beat's schedule of nightly jobs.

Configured from the settings: RESIDENCY_REDIS_URL is broker; RESIDENCY_REDIS_KEY_PREFIX keeps
this deployment's keys apart from anything else in that Redis. Tasks take ids and call the
service layer; a task is acknowledged only after it ran, and a task whose worker died is
handed to another worker (late acknowledgement, rejection on a lost worker)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

from residency.config import Settings, get_settings
from residency.errors import InputError

# The routing table: every task's queue. `residency worker` consumes every queue named here.
EXECUTE_RUN = "residency.runs.execute"
NIGHTLY_BACKUP = "residency.ops.nightly_backup"
COMPLIANCE_SCAN = "residency.compliance.scan"
AUTH_CLEANUP = "residency.auth.cleanup"
PRUNE_PROGRESS = "residency.runs.prune_progress"
FAIL_ABANDONED = "residency.runs.fail_abandoned"
ROUTES: dict[str, dict[str, str]] = {
    EXECUTE_RUN: {"queue": "runs"},
    # Chores get a queue of their own: a long solve on "runs" does not hold them up, and a
    # worker could be given to them alone; the default `residency worker` consumes both.
    FAIL_ABANDONED: {"queue": "maintenance"},
    NIGHTLY_BACKUP: {"queue": "maintenance"},
    COMPLIANCE_SCAN: {"queue": "maintenance"},
    AUTH_CLEANUP: {"queue": "maintenance"},
    PRUNE_PROGRESS: {"queue": "maintenance"},
}
QUEUES = tuple(sorted({route["queue"] for route in ROUTES.values()}))
TASK_MODULES = (
    "residency.scheduling.runs.tasks",
    "residency.ops.tasks",
    "residency.compliance.tasks",
    "residency.auth.tasks",
)

# Beat's schedule: each nightly job and its start, in minutes after RESIDENCY_NIGHTLY_AT (UTC).
# The backup comes first, so it holds the night's state before the cleanup deletes anything.
BEAT_SCHEDULE: dict[str, tuple[str, int]] = {
    "nightly-backup": (NIGHTLY_BACKUP, 0),
    "nightly-compliance-scan": (COMPLIANCE_SCAN, 15),
    "nightly-auth-cleanup": (AUTH_CLEANUP, 30),
    "nightly-progress-prune": (PRUNE_PROGRESS, 30),
}
# And every minute: live runs whose process stopped end failed, however it stopped (a worker
# killed whole leaves its task unacknowledged in Redis for an hour).
EVERY_MINUTE = {"fail-abandoned-runs": FAIL_ABANDONED}


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """BEAT_SCHEDULE as Celery's crontab entries, in UTC (the app's time zone)."""
    entries = {}
    for name, (task, after) in BEAT_SCHEDULE.items():
        hour, minute = divmod((settings.nightly_minute + after) % (24 * 60), 60)
        entries[name] = {"task": task, "schedule": crontab(hour=hour, minute=minute)}
    for name, task in EVERY_MINUTE.items():
        entries[name] = {"task": task, "schedule": crontab()}
    return entries


def beat_state_file(settings: Settings) -> Path:
    """Beat's record of when each job last ran; one per key prefix, so two deployments sharing
    a machine (and its temporary folder) keep theirs apart."""
    label = re.sub(r"[^A-Za-z0-9_-]+", "-", settings.redis_key_prefix).strip("-") or "default"
    return settings.beat_state_dir / f"beat-schedule-{label}"


@lru_cache(maxsize=1)
def celery_app() -> Celery:
    settings = get_settings()
    if not settings.redis_url:
        raise InputError(
            "RESIDENCY_REDIS_URL: not set; the task queue needs Redis (without it, "
            "`residency serve` runs generations itself)",
            field="RESIDENCY_REDIS_URL",
        )
    app = Celery("residency", broker=settings.redis_url, include=list(TASK_MODULES))
    app.conf.update(
        task_routes=ROUTES,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a solve is long: take one task at a time
        task_ignore_result=True,  # a run's result is its row in the database
        broker_transport_options={
            "global_keyprefix": settings.redis_key_prefix,
            # An unreachable Redis is said at once: a request waiting on it gets a 503.
            "socket_connect_timeout": 2,
            "socket_timeout": 10,
        },
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        timezone="UTC",
        enable_utc=True,
        beat_schedule=beat_schedule(settings),
        beat_schedule_filename=str(beat_state_file(settings)),
    )
    return app


@worker_process_init.connect  # type: ignore[misc]  # celery is untyped
def _own_connections(**_: object) -> None:
    """A pool process is forked from the worker, which opened database connections to check
    the schema: two processes on one connection corrupt it (psycopg's prepared statements
    collide). Each pool process forgets the inherited ones, unclosed, and opens its own."""
    from residency.db import get_engine

    get_engine().dispose(close=False)
