"""Every web page route, from the app's route table, against the access each role must get,
like test_route_matrix.py for the API: a page route added without an entry here fails
`test_every_page_route_is_in_the_matrix`. A page answers a browser: not signed in, a GET is
sent to sign in (303) and a POST is refused (403: no session, so no CSRF token); a role that
may not open it gets a 403 page."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from test_route_matrix import ADMIN, ANYONE, COORDINATOR, PUBLIC, STAFF, routes_of

from fixtures.api import ROLES, Api
from fixtures.pages import cookie_of, csrf_in, form_token
from residency.auth.models import Role
from residency.web.navigation import NAV

PAGES: dict[tuple[str, str], str | frozenset[Role]] = {
    # accounts (auth/pages.py)
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): ANYONE,
    ("GET", "/account/password"): ANYONE,
    ("POST", "/account/password"): ANYONE,
    # a set-password token's page (auth/set_password_pages.py): the token is the credential
    ("GET", "/account/set-password"): PUBLIC,
    ("POST", "/account/set-password"): PUBLIC,  # no token sent: 422, the message at the field
    # the dashboard (web/home_pages.py)
    ("GET", "/"): ANYONE,
    # the block grid (scheduling/block/pages.py, edit_pages.py)
    ("GET", "/blocks"): ANYONE,
    ("GET", "/blocks/colors.css"): ANYONE,
    ("GET", "/blocks/{n}"): ANYONE,
    ("GET", "/blocks/{n}/edit"): COORDINATOR,
    ("POST", "/blocks/{n}/edit"): COORDINATOR,
    # who is on call (scheduling/block/on_call_pages.py)
    ("GET", "/on-call"): ANYONE,
    # generate and runs (scheduling/runs/generate_pages.py, pages.py)
    ("GET", "/generate"): COORDINATOR,
    ("POST", "/generate"): COORDINATOR,
    ("GET", "/runs/{run_id}"): COORDINATOR,
    ("POST", "/runs/{run_id}/cancel"): COORDINATOR,
    ("POST", "/runs/{run_id}/publish"): COORDINATOR,
    # compliance (scheduling/block/compliance_pages.py, compliance/pages.py)
    ("GET", "/compliance"): STAFF,
    ("GET", "/compliance/blocks/{n}"): STAFF,
    ("GET", "/compliance/upload"): STAFF,
    ("POST", "/compliance/upload"): STAFF,  # no file sent: 422, the message at the field
    # the annual plan (scheduling/annual/pages.py)
    ("GET", "/plan"): STAFF,
    # a person's page (scheduling/block/person_pages.py): staff, and the person themself
    ("GET", "/people/{key}"): frozenset({Role.ADMIN, Role.COORDINATOR, Role.RESIDENT}),
    # fairness (scheduling/fairness_pages.py)
    ("GET", "/fairness"): ANYONE,
    # administration (auth/admin_pages.py, audit/pages.py, ops/pages.py)
    ("GET", "/admin/users"): ADMIN,
    ("POST", "/admin/users"): ADMIN,
    ("GET", "/admin/users/{user_id}"): ADMIN,
    ("POST", "/admin/users/{user_id}"): ADMIN,
    ("POST", "/admin/users/{user_id}/password-token"): ADMIN,
    ("GET", "/admin/audit"): STAFF,
    ("GET", "/admin/operations"): ADMIN,
    # the program file and its rules (program/file_pages.py, rules_pages.py)
    ("GET", "/program/file"): COORDINATOR,
    ("GET", "/program/file/export"): STAFF,
    ("POST", "/program/file/preview"): COORDINATOR,
    ("POST", "/program/file/apply"): COORDINATOR,
    ("GET", "/program/curriculum"): STAFF,
    ("GET", "/program/staffing"): STAFF,
    ("GET", "/program/curriculum/new"): COORDINATOR,
    ("POST", "/program/curriculum/new"): COORDINATOR,
    ("GET", "/program/curriculum/{entry_id}"): COORDINATOR,
    ("POST", "/program/curriculum/{entry_id}"): COORDINATOR,
    ("POST", "/program/curriculum/{entry_id}/delete"): COORDINATOR,
    ("GET", "/program/staffing/new"): COORDINATOR,
    ("POST", "/program/staffing/new"): COORDINATOR,
    ("GET", "/program/staffing/{entry_id}"): COORDINATOR,
    ("POST", "/program/staffing/{entry_id}"): COORDINATOR,
    ("POST", "/program/staffing/{entry_id}/delete"): COORDINATOR,
    # program data (program/index_pages.py, people/, absences/, rotations/pages.py)
    ("GET", "/program"): STAFF,
    ("GET", "/program/people"): STAFF,
    ("GET", "/program/people/new"): COORDINATOR,
    ("POST", "/program/people/new"): COORDINATOR,
    ("GET", "/program/people/{key}"): COORDINATOR,
    ("POST", "/program/people/{key}"): COORDINATOR,
    ("POST", "/program/people/{key}/deactivate"): COORDINATOR,
    ("POST", "/program/people/{key}/reactivate"): COORDINATOR,
    ("GET", "/program/absences"): STAFF,
    ("GET", "/program/absences/new"): COORDINATOR,
    ("POST", "/program/absences/new"): COORDINATOR,
    ("GET", "/program/absences/{absence_id}"): COORDINATOR,
    ("POST", "/program/absences/{absence_id}"): COORDINATOR,
    ("POST", "/program/absences/{absence_id}/delete"): COORDINATOR,
    ("GET", "/program/rotations"): STAFF,
    ("GET", "/program/rotations/new"): COORDINATOR,
    ("POST", "/program/rotations/new"): COORDINATOR,
    ("GET", "/program/rotations/{abbreviation}"): COORDINATOR,
    ("POST", "/program/rotations/{abbreviation}"): COORDINATOR,
    ("POST", "/program/rotations/{abbreviation}/deactivate"): COORDINATOR,
    ("POST", "/program/rotations/{abbreviation}/reactivate"): COORDINATOR,
}
# The address asked for a route with path or query parameters (a block of the mini program).
EXAMPLES = {
    "/blocks/{n}": "/blocks/10",
    "/blocks/{n}/edit": "/blocks/10/edit?person=r1&day=2026-03-10&session=AM",
    "/runs/{run_id}": "/runs/1",  # no such run: 404 to a coordinator, 403 to the others
    "/runs/{run_id}/cancel": "/runs/1/cancel",
    "/runs/{run_id}/publish": "/runs/1/publish",
    "/compliance/blocks/{n}": "/compliance/blocks/10",
    "/people/{key}": "/people/r1",  # the resident's own; the faculty member (f1) is refused
    "/admin/users/{user_id}": "/admin/users/1",
    "/admin/users/{user_id}/password-token": "/admin/users/1/password-token",
    "/program/people/{key}": "/program/people/r2",
    "/program/people/{key}/deactivate": "/program/people/r2/deactivate",
    "/program/people/{key}/reactivate": "/program/people/r2/reactivate",
    "/program/absences/{absence_id}": "/program/absences/1",  # none: 404 to a coordinator
    "/program/absences/{absence_id}/delete": "/program/absences/1/delete",
    "/program/rotations/{abbreviation}": "/program/rotations/WARD",
    "/program/curriculum/{entry_id}": "/program/curriculum/1",  # none: 404 to a coordinator
    "/program/curriculum/{entry_id}/delete": "/program/curriculum/1/delete",
    "/program/staffing/{entry_id}": "/program/staffing/1",  # none: 404 to a coordinator
    "/program/staffing/{entry_id}/delete": "/program/staffing/1/delete",
    "/program/rotations/{abbreviation}/deactivate": "/program/rotations/ELEC/deactivate",
    "/program/rotations/{abbreviation}/reactivate": "/program/rotations/ELEC/reactivate",
}


SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # no database at stake


@SQLITE_ONLY
def test_every_page_route_is_in_the_matrix(api: Api) -> None:
    routes = set(routes_of(api, pages=True))
    assert sorted(routes - PAGES.keys()) == [], "page routes without a matrix entry"
    assert sorted(PAGES.keys() - routes) == [], "matrix entries without a page route"


def _anonymous(api: Api, method: str, route: str) -> int:
    path = EXAMPLES.get(route, route)
    if method == "GET":
        return api.client.get(path, follow_redirects=False).status_code
    # A public form gets its token from its own page, as a browser would.
    token = csrf_in(api.client.get(path).text) if PAGES[(method, route)] == PUBLIC else ""
    return api.client.post(path, data={"csrf_token": token}, follow_redirects=False).status_code


def _as(api: Api, role: Role, method: str, route: str) -> int:
    path = EXAMPLES.get(route, route)
    cookie = cookie_of(api, role)  # a fresh session: a sign-out ends it
    data = None
    if method == "POST" and PAGES[(method, route)] == PUBLIC:
        # A public form's token is its own: from its page, with the cookie it comes with.
        page = api.client.get(path, headers=cookie)
        data = {"csrf_token": csrf_in(page.text)}
        form_cookies = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
        cookie = {"Cookie": f"{cookie['Cookie']}; {form_cookies}"}
    elif method == "POST":
        data = {"csrf_token": form_token(api, cookie)}
    answer = api.client.request(method, path, data=data, headers=cookie, follow_redirects=False)
    return answer.status_code


def test_every_page_answers_each_role_as_the_matrix_says(api: Api) -> None:
    wrong = []
    for (method, path), access in PAGES.items():
        anonymous = _anonymous(api, method, path)
        if access == PUBLIC:
            if anonymous in (401, 403) or anonymous >= 500:
                wrong.append(f"{method} {path} anonymous: {anonymous}")
        elif anonymous != (303 if method == "GET" else 403):
            wrong.append(f"{method} {path} anonymous: {anonymous}")
        for role in ROLES:
            status = _as(api, role, method, path)
            allowed = access == PUBLIC or role in access
            if status >= 500 or (status == 403) == allowed:
                wrong.append(f"{method} {path} as {role.value}: {status}")
    assert wrong == []


@SQLITE_ONLY
def test_sign_in_brings_the_browser_back_to_the_page_asked_for(api: Api) -> None:
    for (method, path), access in PAGES.items():
        if method == "GET" and access != PUBLIC:
            answer = api.client.get(f"{path}?x=1", follow_redirects=False)
            assert answer.headers["location"] == f"/login?next={quote(path + '?x=1', safe='')}"


@SQLITE_ONLY
def test_the_navigation_links_only_pages_the_role_may_open(api: Api) -> None:
    for role in ROLES:
        page = api.client.get("/", headers=cookie_of(api, role)).text
        nav = page.split('<nav class="site-nav"')[1].split("</nav>")[0]
        links = re.findall(r'href="([^"]*)"', nav)
        assert links, f"a {role.value} sees no navigation"
        for href in links:
            access = PAGES[("GET", href)]
            assert access == PUBLIC or role in access, (role, href)
        expected = [link.href for link in NAV if PAGES[("GET", link.href)] in (PUBLIC, ANYONE)]
        assert set(expected) <= set(links), f"a {role.value} misses a page everyone may open"
