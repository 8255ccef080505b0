"""The account pages (auth/pages.py) as a browser uses them, without a browser: sign in with
the API's throttling and messages, the first-login password change with the policy's message
next to the field, sign out. tests/browser drives the same pages in Chromium."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.pages import PASSWORD, csrf_in, field_error, input_value, user_with_password
from residency.audit.models import AuditEvent
from residency.auth.models import AuthSession, LoginAttempt, User
from residency.config import Settings
from residency.db import unit_of_work
from residency.web import create_app

EMAIL = "chief@example.org"
# What only the page layer decides (cookie flags, the form's token, what the form shows after a
# refusal, sign-out) runs on SQLite; throttling and revocation are tested on both engines in
# test_sessions.py. Opening a cookie session and changing the password run on both here.
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
NEW_PASSWORD = "Quiet-Fjord-Amber-42"


def _sign_in(client: TestClient, email: str, password: str, next_path: str = "/") -> Response:
    token = csrf_in(client.get("/login").text)
    form = {"email": email, "password": password, "next": next_path, "csrf_token": token}
    return client.post("/login", data=form, follow_redirects=False)


def _count(api: Api, what: type) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count()).select_from(what)) or 0


def test_signing_in_opens_a_cookie_session_and_goes_on_to_the_page_asked_for(api: Api) -> None:
    user_with_password(api, EMAIL)
    answer = _sign_in(api.client, EMAIL, PASSWORD, "/account/password?x=1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/account/password?x=1"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("residency_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # development: served over plain HTTP on one's machine
    page = api.client.get("/account/password")
    assert page.status_code == 200 and "Chief Resident" in page.text
    elsewhere = _sign_in(api.client, EMAIL, PASSWORD, "https://evil.example/")
    assert elsewhere.headers["location"] == "/"


@SQLITE_ONLY
def test_the_session_cookie_is_secure_outside_development(api: Api) -> None:
    user_with_password(api, EMAIL)
    production = Settings(environment="production", secret_key="a-secret-for-this-test-only-42")
    client = TestClient(create_app(api.engine, production), base_url="https://testserver")
    answer = _sign_in(client, EMAIL, PASSWORD)
    cookies = answer.headers.get_list("set-cookie")
    assert any(c.startswith("residency_session=") and "Secure" in c for c in cookies)


@SQLITE_ONLY
def test_a_wrong_password_is_said_at_the_form_which_keeps_the_email(api: Api) -> None:
    user_with_password(api, EMAIL)
    wrong = _sign_in(api.client, EMAIL, "not-the-password")
    assert wrong.status_code == 401
    assert "email or password is wrong" in wrong.text
    assert input_value(wrong.text, "email") == EMAIL
    assert _count(api, LoginAttempt) == 1  # it counts toward the lockout
    blank = _sign_in(api.client, "", "")
    assert blank.status_code == 422
    assert field_error(blank.text, "email") == "email: is required"
    assert field_error(blank.text, "password") == "password: is required"
    assert _count(api, LoginAttempt) == 1


@SQLITE_ONLY
def test_after_five_failures_the_form_says_the_account_is_locked(api: Api) -> None:
    user_with_password(api, EMAIL)
    for _ in range(5):
        _sign_in(api.client, EMAIL, "not-the-password")
    locked = _sign_in(api.client, EMAIL, PASSWORD)
    assert locked.status_code == 429
    assert "too many failed logins: this account refuses logins for 15 more minutes" in locked.text


@SQLITE_ONLY
def test_a_sign_in_form_without_its_token_is_refused_and_not_counted(api: Api) -> None:
    user_with_password(api, EMAIL)
    answer = api.client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert answer.status_code == 403 and "the form is out of date" in answer.text
    assert _count(api, LoginAttempt) == 0 and _count(api, AuthSession) == 0


def test_a_one_time_password_is_changed_first_with_the_policy_next_to_the_field(
    api: Api,
) -> None:
    user_id = user_with_password(api, EMAIL, must_change=True)
    other = TestClient(api.client.app)
    _sign_in(other, EMAIL, PASSWORD)  # another session of the account, ended by the change
    answer = _sign_in(api.client, EMAIL, PASSWORD, "/account/password?x=1")
    location = answer.headers["location"]
    assert location == "/account/password?next=%2Faccount%2Fpassword%3Fx%3D1"
    assert api.client.get("/", follow_redirects=False).headers["location"] == "/account/password"
    page = api.client.get(location)
    assert "You signed in with a one-time password" in page.text
    token = csrf_in(page.text)

    def change(current: str, new: str, again: str) -> str:
        form = {"current_password": current, "new_password": new, "new_password_again": again}
        form |= {"csrf_token": token, "next": "/account/password?x=1"}
        refused = api.client.post("/account/password", data=form)
        assert refused.status_code == 422
        assert input_value(refused.text, "new_password") is None  # passwords are never echoed
        return refused.text

    weak = change(PASSWORD, "short", "short")
    assert (field_error(weak, "new_password") or "").startswith(
        "new_password: breaks the password policy: at least 12 characters (it has 5)"
    )
    assert "differs" in (
        field_error(change(PASSWORD, NEW_PASSWORD, "x"), "new_password_again") or ""
    )
    wrong = change("not-it", NEW_PASSWORD, NEW_PASSWORD)
    assert (
        field_error(wrong, "current_password") == "current_password: is not the account's password"
    )
    with unit_of_work(api.engine) as session:
        assert session.get(User, user_id).must_change_password  # type: ignore[union-attr]
    audited = _count(api, AuditEvent)
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    form |= {
        "new_password_again": NEW_PASSWORD,
        "csrf_token": token,
        "next": "/account/password?x=1",
    }
    done = api.client.post("/account/password", data=form, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/account/password?x=1")
    assert "Your password is changed" in api.client.get("/account/password").text
    assert api.client.get("/", follow_redirects=False).status_code == 200
    assert other.get("/", follow_redirects=False).status_code == 303  # its session ended
    assert _count(api, AuditEvent) == audited + 1


@SQLITE_ONLY
def test_signing_out_ends_the_session_and_says_so(api: Api) -> None:
    user_with_password(api, EMAIL)
    _sign_in(api.client, EMAIL, PASSWORD)
    token = csrf_in(api.client.get("/").text)
    cookie = api.client.cookies["residency_session"]
    out = api.client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/login")
    assert "You are signed out." in api.client.get("/login").text
    stale = TestClient(api.client.app, cookies={"residency_session": cookie})
    assert stale.get("/", follow_redirects=False).headers["location"] == "/login"
