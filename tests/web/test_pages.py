"""The web pages' infrastructure (residency/web: page_deps, csrf, page_errors, templating):
sign-in redirects, CSRF on every form, HTML error pages beside the API's JSON, the pages' CSP
and static assets. The page layer holds no SQL of its own, so these run on SQLite; the pages'
database work is the services', tested on both engines (and in test_page_matrix.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fixtures.api import Api, make_api
from fixtures.pages import PASSWORD, cookie_of, csrf_in, form_token, user_with_password
from residency import clock
from residency.auth import tokens
from residency.auth.models import Role, TokenPurpose
from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.db import unit_of_work
from residency.errors import Unauthenticated
from residency.web import create_app
from residency.web.deps import COOKIE_NAME
from residency.web.page_deps import page_user, safe_next

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def api(db_engine: Engine) -> Iterator[Api]:
    """Staff accounts over an empty program: these tests need no program data."""
    api = make_api(db_engine, with_people=False)
    with api.client:
        yield api


def _session_alive(api: Api, cookie: dict[str, str]) -> bool:
    token = cookie["Cookie"].removeprefix(f"{COOKIE_NAME}=")
    with unit_of_work(api.engine) as session:
        try:
            tokens.authenticate(session, token, TokenPurpose.COOKIE)
        except Unauthenticated:
            return False
    return True


@SQLITE_ONLY
def test_a_page_without_a_live_session_sends_the_browser_to_sign_in(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def opened(cookie: dict[str, str]) -> str:
        answer = api.client.get("/account/password", headers=cookie, follow_redirects=False)
        return f"{answer.status_code} {answer.headers.get('location')}"

    sign_in = "303 /login?next=%2Faccount%2Fpassword"
    assert opened({}) == sign_in
    assert opened({"Cookie": f"{COOKIE_NAME}=forged"}) == sign_in
    revoked = cookie_of(api, Role.COORDINATOR)
    api.client.post("/logout", data={"csrf_token": form_token(api, revoked)}, headers=revoked)
    assert opened(revoked) == sign_in
    expiring = cookie_of(api, Role.COORDINATOR)
    assert opened(expiring).startswith("200")
    later = clock.now() + timedelta(days=8)  # past RESIDENCY_REFRESH_TOKEN_DAYS (7)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert opened(expiring) == sign_in


@SQLITE_ONLY
def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    other = form_token(api, cookie_of(api, Role.COORDINATOR))  # another session's token
    right = form_token(api, cookie)
    for data, headers in (
        ({}, cookie),
        ({"csrf_token": "wrong"}, cookie),
        ({"csrf_token": other}, cookie),
        ({"csrf_token": right}, {**cookie, "Sec-Fetch-Site": "cross-site"}),
    ):
        answer = api.client.post("/logout", data=data, headers=headers, follow_redirects=False)
        assert answer.status_code == 403, data
        assert answer.headers["content-type"].startswith("text/html")
        assert "the form is out of date" in answer.text
        assert _session_alive(api, cookie)
    signed_out = api.client.post(
        "/logout", data={"csrf_token": right}, headers=cookie, follow_redirects=False
    )
    assert signed_out.status_code == 303
    assert not _session_alive(api, cookie)


@SQLITE_ONLY
def test_a_password_change_without_the_token_writes_nothing(api: Api) -> None:
    user_with_password(api, "chief@example.org")
    page = api.client.get("/login")
    api.client.post(
        "/login",
        data={"email": "chief@example.org", "password": PASSWORD, "csrf_token": csrf_in(page.text)},
    )
    change = {"current_password": PASSWORD, "new_password": "Quiet-Fjord-Amber-42"}
    refused = api.client.post("/account/password", data={**change, "new_password_again": ""})
    assert refused.status_code == 403
    # The old password still signs in: nothing was changed.
    fresh = TestClient(api.client.app)
    token = csrf_in(fresh.get("/login").text)
    login = {"email": "chief@example.org", "password": PASSWORD, "csrf_token": token}
    assert fresh.post("/login", data=login, follow_redirects=False).status_code == 303


@SQLITE_ONLY
def test_the_api_still_takes_a_cookie_session_only_to_read(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    token = form_token(api, cookie)
    assert api.client.get("/api/v1/me", headers=cookie).status_code == 200
    write = api.client.post("/api/v1/auth/logout", data={"csrf_token": token}, headers=cookie)
    assert write.status_code == 401
    assert write.json()["error"]["code"] == "unauthenticated"
    assert _session_alive(api, cookie)


@SQLITE_ONLY
def test_pages_answer_failures_in_html_and_the_api_keeps_its_json(api: Api) -> None:
    app = create_app(api.engine)

    def broken_page() -> None:
        raise RuntimeError("secret detail of a bug")

    def admins_only(_: Principal = Depends(page_user(Permission.MANAGE_USERS))) -> str:
        return "the admins' page"

    def typed(year: int) -> str:
        return str(year)

    app.add_api_route("/broken-for-this-test", broken_page)
    app.add_api_route("/typed-for-this-test", typed)
    app.add_api_route("/admins-only-for-this-test", admins_only)
    client = TestClient(app, raise_server_exceptions=False)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "There is no page at this address." in missing.text
    assert client.put("/login").status_code == 405
    mistyped = client.get("/typed-for-this-test?year=soon")
    assert mistyped.status_code == 422 and "year: Input should be a valid integer" in mistyped.text
    broken = client.get("/broken-for-this-test")
    assert broken.status_code == 500 and "incident" in broken.text
    assert "secret detail" not in broken.text and "Traceback" not in broken.text
    forbidden = client.get("/admins-only-for-this-test", headers=cookie_of(api, Role.COORDINATOR))
    assert forbidden.status_code == 403
    assert "a coordinator may not manage users" in forbidden.text
    assert "Sign out" in forbidden.text  # still signed in, with the navigation
    allowed = client.get("/admins-only-for-this-test", headers=cookie_of(api, Role.ADMIN))
    assert allowed.status_code == 200
    api_missing = client.get("/api/v1/no-such-route")
    assert api_missing.json()["error"]["code"] == "not_found"


@SQLITE_ONLY
def test_pages_load_only_our_own_assets_which_are_cached_for_a_year(api: Api) -> None:
    page = api.client.get("/login")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "form-action 'self'" in policy
    assert page.headers["cache-control"] == "no-store"
    stylesheet = page.text.split('rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/app.css?v=")
    asset = api.client.get(stylesheet)
    assert asset.status_code == 200 and asset.headers["content-type"].startswith("text/css")
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert api.client.get("/static/nothing.css").status_code == 404


def test_sign_in_only_ever_goes_on_to_a_local_page() -> None:
    for local in ("/", "/blocks/10?run=3", "/people/r1#calls"):
        assert safe_next(local) == local
    for elsewhere in (
        None,
        "",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\tevil",
        "blocks/10",
        "/login?next=/",
        "/logout",
    ):
        assert safe_next(elsewhere) == "/", elsewhere
