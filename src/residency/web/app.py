"""The app factory: `create_app()` builds the HTTP service over one database engine.

It refuses to start on a database at another schema revision, with the line the CLI prints."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from residency.config import Settings, get_settings
from residency.db import check_reachable, get_engine
from residency.ops.migrations import require_current_schema
from residency.web import page_errors, routes
from residency.web.executor import executor_for, fail_orphaned_runs
from residency.web.middleware import BodyLimit, SecurityHeaders, SingleQueryValues

API_PREFIX = "/api/v1"


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    bound = engine or get_engine()
    check_reachable(bound)
    require_current_schema(bound)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        fail_orphaned_runs(bound)
        yield
        app.state.executor.shutdown()

    app = FastAPI(
        title="Residency Scheduler",
        version=_version(),
        openapi_url=None,  # served by routes.py behind sign-in, at /api/v1/openapi.json
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.engine = bound
    app.state.settings = settings
    app.state.executor = executor_for(bound, settings)
    page_errors.install(app)  # JSON errors for the API, HTML pages for the web pages
    routes.mount(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SingleQueryValues)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        )
    app.add_middleware(SecurityHeaders, https=settings.environment == "production")
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("residency-scheduler")
    except PackageNotFoundError:
        return "0"


def freeze_startup_heap() -> None:
    """What the server loaded before its first request (the app, its libraries, the engine's
    and the solver's modules: about 200,000 objects) lives as long as the process. Out of the
    garbage collector's sight, a full collection no longer walks it: that pause (about 150 ms)
    fell on one request in six of the block grid (docs/benchmarks.md, "Block grid page")."""
    gc.collect()
    gc.freeze()
