"""The Celery app (`residency worker`) and its routing table: which queue every task goes to.

Configured from the settings: RESIDENCY_REDIS_URL is broker; RESIDENCY_REDIS_KEY_PREFIX keeps
this deployment's keys apart from anything else in that Redis. Tasks take ids and call the
service layer; a task is acknowledged only after it ran, and a task whose worker died is
handed to another worker (late acknowledgement, rejection on a lost worker)."""

from __future__ import annotations

from functools import lru_cache

from celery import Celery
from celery.signals import worker_process_init

from residency.config import get_settings
from residency.errors import InputError

# The routing table: every task's queue. `residency worker` consumes every queue named here.
EXECUTE_RUN = "residency.runs.execute"
ROUTES: dict[str, dict[str, str]] = {
    EXECUTE_RUN: {"queue": "runs"},
    # Chores go to their own queue: a long solve on "runs" must not hold them up.
    "residency.runs.fail_abandoned": {"queue": "maintenance"},
}
QUEUES = tuple(sorted({route["queue"] for route in ROUTES.values()}))
TASK_MODULES = ("residency.scheduling.runs.tasks",)


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
    )
    return app


@worker_process_init.connect  # type: ignore[misc]  # celery is untyped
def _own_connections(**_: object) -> None:
    """A pool process is forked from the worker, which opened database connections to check
    the schema: two processes on one connection corrupt it (psycopg's prepared statements
    collide). Each pool process forgets the inherited ones, unclosed, and opens its own."""
    from residency.db import get_engine

    get_engine().dispose(close=False)
