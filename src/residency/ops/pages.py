"""`/admin/operations`: what an administrator checks of the installation, read-only. The
backups' status (the listing GET /api/v1/operations/backups answers, ops/backup.py) and the
doctor's checks over the server's own engine (ops/doctor.py), each with its name, status,
detail and fix."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request, Response

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.ops.backup import list_backups
from residency.ops.doctor import failed, installation_checks
from residency.web.deps import engine_of
from residency.web.page_deps import page_user
from residency.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/admin/operations")
def operations_page(
    request: Request, who: Principal = Depends(page_user(Permission.READ_OPERATIONS))
) -> Response:
    settings = request.app.state.settings
    folder = Path(settings.backup_dir or "backups")
    checks = installation_checks(settings, engine_of(request))
    return render(
        request,
        "admin/operations.html",
        who,
        title="Operations",
        folder=folder,
        listing=list_backups(folder),
        checks=checks,
        healthy=not failed(checks),
    )
