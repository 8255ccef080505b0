"""Health checks (anonymous, for load balancers and compose) and the operations status."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.config import DEVELOPMENT_SECRET, Settings
from residency.db import redacted
from residency.ops.backup import list_backups
from residency.ops.doctor import readiness_checks
from residency.web.deps import allow, engine_of

health = APIRouter(tags=["health"])
router = APIRouter(prefix="/api/v1/operations", tags=["operations"])


class Liveness(BaseModel):
    status: str


class CheckOut(BaseModel):
    name: str
    status: str
    detail: str


class Readiness(BaseModel):
    status: str  # ready | not_ready
    checks: list[CheckOut]


class BackupOut(BaseModel):
    file: str
    created_at: str
    engine: str
    alembic_revision: str
    size_bytes: int
    reason: str


class BackupStatus(BaseModel):
    folder: str
    backups: list[BackupOut]
    problems: list[str]


class SettingsOut(BaseModel):
    """The service's effective settings, as RESIDENCY_* variables set them (no secret)."""

    environment: str
    database: str  # the URL with any password hidden
    backup_dir: str
    redis_configured: bool
    secret_key_set: bool
    access_token_minutes: int
    refresh_token_days: int
    set_password_token_hours: int
    login_max_failures: int
    login_window_minutes: int
    login_lockout_minutes: int
    cors_origins: list[str]
    max_body_bytes: int
    run_threads: int


@health.get("/healthz", response_model=Liveness)
def healthz() -> Liveness:
    """The process is up (it answers without touching the database)."""
    return Liveness(status="ok")


@health.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(request: Request) -> JSONResponse:
    """Ready to serve: database reachable, schema at head, constraint registries complete,
    Redis reachable when one is configured. 503 names what is not."""
    checks = readiness_checks(request.app.state.settings, engine_of(request))
    ready = not any(check.status == "fail" for check in checks)
    body = Readiness(
        status="ready" if ready else "not_ready",
        checks=[CheckOut(name=c.name, status=c.status, detail=c.detail) for c in checks],
    )
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


@router.get("/backups", response_model=BackupStatus)
def backups_status(
    request: Request, _: Principal = Depends(allow(Permission.READ_OPERATIONS))
) -> BackupStatus:
    folder = Path(request.app.state.settings.backup_dir or "backups")
    listing = list_backups(folder)
    return BackupStatus(
        folder=str(folder),
        backups=[
            BackupOut(
                file=found.dump.name,
                created_at=found.manifest.created_at,
                engine=found.manifest.engine,
                alembic_revision=found.manifest.alembic_revision,
                size_bytes=found.manifest.size_bytes,
                reason=found.manifest.reason,
            )
            for found in listing.backups
        ],
        problems=listing.problems,
    )


NOT_PLAIN = {"environment", "database", "backup_dir", "redis_configured", "secret_key_set"}


@router.get("/settings", response_model=SettingsOut)
def effective_settings(
    request: Request, _: Principal = Depends(allow(Permission.READ_OPERATIONS))
) -> SettingsOut:
    settings: Settings = request.app.state.settings
    return SettingsOut(
        environment=settings.environment,
        database=redacted(settings.database_url),
        backup_dir=str(settings.backup_dir),
        redis_configured=bool(settings.redis_url),
        secret_key_set=settings.secret_key.get_secret_value() != DEVELOPMENT_SECRET,
        **settings.model_dump(include=set(SettingsOut.model_fields) - NOT_PLAIN),
    )
