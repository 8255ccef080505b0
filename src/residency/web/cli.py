"""`residency serve`: the HTTP service (uvicorn) on the configured database."""

from __future__ import annotations

import typer

from residency.console import err_console

FACTORY = "residency.web.app:create_app"


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: every one)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the API (docs/api.md). Refuses a database at another schema revision."""
    import uvicorn

    from residency.web.app import create_app

    app = create_app()  # checks the database and its schema before listening
    err_console.print(f"serving on http://{host}:{port} (API under /api/v1)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
