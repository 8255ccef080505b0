"""Every route of the service, mounted from each domain's api.py and pages.py, and the API's
description.

The OpenAPI document and the interactive docs need a signed-in user like every data route: the
only anonymous routes are the health checks and the ones that take a credential (login, token
refresh, set-password). tests/web/test_route_matrix.py holds every route to that."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from swagger_ui_bundle import swagger_ui_path

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.errors import NotFoundError
from residency.web.deps import allow, refuse_unknown_query
from residency.web.schemas import ERROR_RESPONSES
from residency.web.templating import STATIC_PREFIX, static_files

STRICT = [Depends(refuse_unknown_query)]
DOCS_ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})


def mount(app: FastAPI) -> None:
    from residency.absences import api as absences_api
    from residency.audit import api as audit_api
    from residency.auth import api as auth_api
    from residency.calendar import api as calendar_api
    from residency.compliance import api as compliance_api
    from residency.ops import api as ops_api
    from residency.people import api as people_api
    from residency.program import api as program_api
    from residency.rotations import api as rotations_api
    from residency.scheduling.annual import api as annual_api
    from residency.scheduling.block import api as block_api
    from residency.scheduling.block import edit_api
    from residency.scheduling.runs import api as runs_api
    from residency.scheduling.runs import watch_api

    app.include_router(ops_api.health)
    for router in (
        ops_api.router,
        auth_api.router,
        audit_api.router,
        # program data
        people_api.router,
        rotations_api.router,
        absences_api.router,
        calendar_api.router,
        program_api.router,
        # schedules, runs and compliance
        annual_api.router,
        block_api.router,
        edit_api.router,
        runs_api.router,
        watch_api.router,
        compliance_api.router,
        compliance_api.alerts_router,
    ):
        app.include_router(router, responses=ERROR_RESPONSES, dependencies=STRICT)
    app.include_router(description_router(app))
    mount_pages(app)


def mount_pages(app: FastAPI) -> None:
    """The web pages, from each domain's pages.py (docs/web.md), and their static assets.
    Pages are left out of the OpenAPI document: they answer HTML to a browser."""
    from residency.absences import pages as absence_pages
    from residency.audit import pages as audit_pages
    from residency.auth import admin_pages, set_password_pages
    from residency.auth import pages as auth_pages
    from residency.compliance import pages as compliance_pages
    from residency.ops import pages as ops_pages
    from residency.people import pages as people_pages
    from residency.program import file_pages as program_file_pages
    from residency.program import index_pages as program_index_pages
    from residency.program import rules_pages as program_rules_pages
    from residency.rotations import pages as rotation_pages
    from residency.scheduling import fairness_pages
    from residency.scheduling.annual import pages as annual_pages
    from residency.scheduling.block import compliance_pages as block_compliance_pages
    from residency.scheduling.block import edit_pages as block_edit_pages
    from residency.scheduling.block import on_call_pages, person_pages
    from residency.scheduling.block import pages as block_pages
    from residency.scheduling.runs import generate_pages
    from residency.scheduling.runs import pages as run_pages
    from residency.web import home_pages

    for router in (
        home_pages.router,
        auth_pages.router,
        set_password_pages.router,
        block_pages.router,
        block_edit_pages.router,
        on_call_pages.router,
        generate_pages.router,
        run_pages.router,
        block_compliance_pages.router,
        compliance_pages.router,
        annual_pages.router,
        person_pages.router,
        fairness_pages.router,
        # administration and the program file
        admin_pages.router,
        audit_pages.router,
        ops_pages.router,
        program_file_pages.router,
        program_rules_pages.router,
        # program data (docs/web.md, "Program data")
        program_index_pages.router,
        people_pages.router,
        absence_pages.router,
        rotation_pages.router,
    ):
        app.include_router(router)
    app.mount(STATIC_PREFIX, static_files(), name="static")


def description_router(app: FastAPI) -> APIRouter:
    router = APIRouter(tags=["description"])

    @router.get("/api/v1/openapi.json", include_in_schema=False)
    def openapi_document(_: Principal = Depends(allow(Permission.READ_OWN))) -> JSONResponse:
        return JSONResponse(openapi_of(app))

    @router.get("/api/docs", include_in_schema=False)
    def interactive_docs(_: Principal = Depends(allow(Permission.READ_OWN))) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="Residency Scheduler API",
            swagger_js_url="/api/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/api/docs/assets/swagger-ui.css",
            swagger_favicon_url="/api/docs/assets/favicon-32x32.png",
        )

    @router.get("/api/docs/assets/{name}", include_in_schema=False)
    def docs_asset(name: str, _: Principal = Depends(allow(Permission.READ_OWN))) -> FileResponse:
        if name not in DOCS_ASSETS:
            raise NotFoundError(f"name: no docs asset {name!r}", field="name")
        return FileResponse(Path(swagger_ui_path) / name)

    return router


def openapi_of(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        app.openapi_schema = get_openapi(
            title=app.title,
            version=app.version,
            routes=app.routes,
            description="The Residency Scheduler service API (docs/api.md).",
        )
    return app.openapi_schema
