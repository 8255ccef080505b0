"""`residency serve`: the HTTP service (uvicorn) on the configured database; `residency worker`
and `residency beat`: the task queue's processes."""

from __future__ import annotations

import typer

from residency.console import err_console

FACTORY = "residency.web.app:create_app"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
SERVE_ADDRESS = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/"  # what `residency serve` listens on


def serve(
    host: str = typer.Option(DEFAULT_HOST, help="Address to listen on (0.0.0.0: every one)."),
    port: int = typer.Option(DEFAULT_PORT, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the web app (docs/web.md) and the API (docs/api.md). Refuses a database at
    another schema revision."""
    import uvicorn

    from residency.web.app import create_app, freeze_startup_heap

    app = create_app()  # checks the database and its schema before listening
    freeze_startup_heap()
    err_console.print(
        f"serving on http://{host}:{port} (web app at /, API under /api/v1)", markup=False
    )
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, server_header=False)


def worker(
    concurrency: int = typer.Option(
        1, min=1, max=32, help="Runs solved at once (each solve uses its own CP-SAT threads)."
    ),
) -> None:
    """Execute queued runs and nightly jobs from the task queue (RESIDENCY_REDIS_URL). Refuses
    a database at another schema revision, naming both."""
    from residency.worker import QUEUES, celery_app

    _require_current_database()
    app = celery_app()
    err_console.print(f"worker consuming {', '.join(QUEUES)}", markup=False)
    app.worker_main(
        [
            "worker",
            "--queues",
            ",".join(QUEUES),
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ]
    )


def beat() -> None:
    """Send the nightly jobs to the task queue at their times (docs/operations.md); run exactly
    one per deployment. Refuses a database at another schema revision, naming both."""
    from residency.config import get_settings
    from residency.files import writable_folder
    from residency.worker import BEAT_SCHEDULE, EVERY_MINUTE, celery_app

    _require_current_database()
    settings = get_settings()
    writable_folder(settings.beat_state_dir, "beat state folder (RESIDENCY_BEAT_STATE_DIR)")
    app = celery_app()
    err_console.print(
        f"beat scheduling {', '.join(BEAT_SCHEDULE)} from {settings.nightly_at} UTC, and "
        f"{', '.join(EVERY_MINUTE)} every minute",
        markup=False,
    )
    app.start(["beat", "--loglevel", "INFO"])


def _require_current_database() -> None:
    """A process that works on the database refuses to start on one it cannot reach or that
    is at another schema revision than this code's."""
    from residency.db import check_reachable, get_engine
    from residency.ops.migrations import require_current_schema

    engine = get_engine()
    check_reachable(engine)
    require_current_schema(engine)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("beat")(beat)
