"""Every API route of the app, from its route table, against the access each role must get
(the web pages' routes have their own matrix: test_page_matrix.py).

A route added without an entry here fails `test_every_route_is_in_the_matrix`; an entry whose
route went away fails it too. The matrix is written out by hand, independently of the
permissions the routes declare, so a route that declares the wrong one is caught."""

from __future__ import annotations

import re

from fastapi.routing import iter_route_contexts

from fixtures.api import ROLES, Api
from residency.auth.models import Role
from residency.web.paths import is_page

PUBLIC = "public"  # anonymous callers get through (a credential may be in the body)
ANYONE = frozenset(ROLES)  # any signed-in user
ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset({Role.ADMIN, Role.COORDINATOR})
COORDINATOR = frozenset({Role.COORDINATOR})

MATRIX: dict[tuple[str, str], str | frozenset[Role]] = {
    # health
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    # description
    ("GET", "/api/v1/openapi.json"): ANYONE,
    ("GET", "/api/docs"): ANYONE,
    ("GET", "/api/docs/assets/{name}"): ANYONE,
    # accounts
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/refresh"): PUBLIC,
    ("POST", "/api/v1/auth/set-password"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): ANYONE,
    ("POST", "/api/v1/auth/password"): ANYONE,
    ("GET", "/api/v1/me"): ANYONE,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("GET", "/api/v1/users/{user_id}"): ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): ADMIN,
    ("POST", "/api/v1/users/{user_id}/password-token"): ADMIN,
    # manual edits
    ("POST", "/api/v1/blocks/{academic_year}/{block}/edits/slot"): COORDINATOR,
    ("POST", "/api/v1/blocks/{academic_year}/{block}/edits/call"): COORDINATOR,
    # audit
    ("GET", "/api/v1/audit"): STAFF,
    # operations
    ("GET", "/api/v1/operations/backups"): ADMIN,
    ("GET", "/api/v1/operations/settings"): ADMIN,
    # program data: people, rotation templates, absences, academic years, the program file
    ("GET", "/api/v1/people"): ANYONE,
    ("POST", "/api/v1/people"): COORDINATOR,
    ("GET", "/api/v1/people/{key}"): ANYONE,
    ("PATCH", "/api/v1/people/{key}"): COORDINATOR,
    ("GET", "/api/v1/rotations"): ANYONE,
    ("GET", "/api/v1/rotations/{abbreviation}"): ANYONE,
    ("POST", "/api/v1/rotations"): COORDINATOR,
    ("PATCH", "/api/v1/rotations/{abbreviation}"): COORDINATOR,
    ("POST", "/api/v1/rotations/{abbreviation}/deactivate"): COORDINATOR,
    ("POST", "/api/v1/rotations/{abbreviation}/reactivate"): COORDINATOR,
    ("GET", "/api/v1/absences"): ANYONE,
    ("POST", "/api/v1/absences"): COORDINATOR,
    ("PATCH", "/api/v1/absences/{absence_id}"): COORDINATOR,
    ("DELETE", "/api/v1/absences/{absence_id}"): COORDINATOR,
    ("GET", "/api/v1/academic-years"): ANYONE,
    ("POST", "/api/v1/academic-years"): COORDINATOR,
    ("GET", "/api/v1/academic-years/{year}"): ANYONE,
    ("GET", "/api/v1/program/export"): STAFF,
    ("POST", "/api/v1/program/import"): COORDINATOR,
    # schedules and runs (the published plan, schedule and report are everyone's; drafts, by
    # ?run=ID, are for staff: tests/web/test_runs_api.py)
    ("GET", "/api/v1/plan/{academic_year}"): ANYONE,
    ("GET", "/api/v1/blocks/{academic_year}/{block}/schedule"): ANYONE,
    ("GET", "/api/v1/compliance/blocks/{academic_year}/{block}"): STAFF,
    ("POST", "/api/v1/compliance/check"): ANYONE,
    ("GET", "/api/v1/alerts"): STAFF,
    ("POST", "/api/v1/runs"): COORDINATOR,
    ("GET", "/api/v1/runs"): COORDINATOR,
    ("GET", "/api/v1/runs/{run_id}"): COORDINATOR,
    ("GET", "/api/v1/runs/{run_id}/diff"): COORDINATOR,
    ("POST", "/api/v1/runs/{run_id}/publish"): COORDINATOR,
    ("POST", "/api/v1/runs/{run_id}/cancel"): COORDINATOR,
    ("POST", "/api/v1/run-chains"): COORDINATOR,
    ("GET", "/api/v1/runs/{run_id}/events"): COORDINATOR,
}

# Path parameters that are not ids get a value of their own kind.
PARAMETER_VALUES = {
    "name": "nothing-here",
    "key": "r1",
    "scope": "block_schedule",
    "academic_year": "2025",
    "block": "10",
    "abbreviation": "WARD",
    "year": "2025",
}


def routes_of(api: Api, pages: bool = False) -> list[tuple[str, str]]:
    """The API's routes (/api and the health checks), or with `pages` the web pages' ones."""
    found = []
    for route in iter_route_contexts(api.client.app.routes):  # type: ignore[attr-defined]
        methods = set(route.methods or ()) - {"HEAD", "OPTIONS"}
        if route.path is not None and is_page(route.path) == pages:
            found += [(method, str(route.path)) for method in sorted(methods)]
    assert found, "the app has no routes: the route table could not be read"
    return found


def test_every_route_is_in_the_matrix(api: Api) -> None:
    routes = set(routes_of(api))
    assert sorted(routes - MATRIX.keys()) == [], "routes without a matrix entry"
    assert sorted(MATRIX.keys() - routes) == [], "matrix entries without a route"


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMETER_VALUES.get(m.group(1), "1"), path)


def _call(api: Api, method: str, path: str, headers: dict[str, str]) -> int:
    body = {} if method in ("POST", "PATCH", "PUT") else None
    return api.client.request(method, _url(path), json=body, headers=headers).status_code


def test_every_route_answers_each_role_as_the_matrix_says(api: Api) -> None:
    wrong = []
    for (method, path), access in MATRIX.items():
        anonymous = _call(api, method, path, {})
        if (anonymous == 401) != (access != PUBLIC):
            wrong.append(f"{method} {path} anonymous: {anonymous}")
        for role in ROLES:
            status = _call(api, method, path, api.headers(role))
            allowed = access == PUBLIC or role in access
            if status == 401 or (status == 403) == allowed:
                wrong.append(f"{method} {path} as {role.value}: {status}")
    assert wrong == []
