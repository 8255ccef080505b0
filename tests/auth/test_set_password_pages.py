"""The set-password page (auth/set_password_pages.py) as a browser uses it, without a browser:
an administrator's reset link opens it, the password is set once through the API's service
(the same policy message, next to the new password's field), an unknown, used or expired token
gets one same answer, the form's own CSRF cookie is required, and the token reaches neither the
server's logs nor the audit log. Writes run on both engines; the rest on SQLite."""

from __future__ import annotations

import html
import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from httpx2 import Response
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.pages import PASSWORD, cookie_of, csrf_in, field_error, form_token
from residency import clock
from residency.audit.models import AuditEvent
from residency.auth import passwords, service, tokens
from residency.auth.models import AuthSession, PasswordToken, Role, User
from residency.db import unit_of_work
from residency.web.csrf import SET_PASSWORD_FORM

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
EMAIL = "forgetful@example.org"
NEW_PASSWORD = "Quiet-Fjord-Amber-42"
PAGE = SET_PASSWORD_FORM.path
REFUSED_TOKEN = service.INVALID_PASSWORD_TOKEN
_LINK = re.compile(r'<code id="set-password-link">([^<]+)</code>')
_HIDDEN_TOKEN = re.compile(r'<input type="hidden" name="token" value="([^"]*)">')


def _account(api: Api) -> int:
    """A coordinator who signs in with PASSWORD, and one open session of theirs."""
    new = service.NewUser(EMAIL, Role.COORDINATOR, "Forgetful Chief", None, PASSWORD)
    with unit_of_work(api.engine) as session:
        user_id = service.create_user(session, new).user_id
        user = session.get(User, user_id)
        assert user is not None
        tokens.open_cookie_session(session, user, "testclient")
    return user_id


def _reset_link(api: Api, user_id: int) -> str:
    """The link an administrator's reset shows (/admin/users/{id})."""
    cookie = cookie_of(api, Role.ADMIN)
    sent = {"csrf_token": form_token(api, cookie)}
    answer = api.client.post(f"/admin/users/{user_id}/password-token", data=sent, headers=cookie)
    assert answer.status_code == 200
    found = _LINK.search(answer.text)
    assert found is not None, "the reset page shows no link"
    return html.unescape(found.group(1))


def _token(api: Api, user_id: int) -> str:
    with unit_of_work(api.engine) as session:
        return service.reset_password(session, user_id)


def _send(api: Api, token: str, new: str, again: str | None = None) -> Response:
    """The form as its page gives it: the CSRF token (and cookie) from the page."""
    page = api.client.get(PAGE)
    form = {
        "csrf_token": csrf_in(page.text),
        "token": token,
        "new_password": new,
        "new_password_again": new if again is None else again,
    }
    return api.client.post(PAGE, data=form, follow_redirects=False)


def _signs_in(api: Api, password: str) -> bool:
    answer = api.client.post("/api/v1/auth/login", json={"email": EMAIL, "password": password})
    return answer.status_code == 200


def _audit_count(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count(AuditEvent.id))) or 0


def _spent(api: Api, token: str) -> bool:
    with unit_of_work(api.engine) as session:
        stored = session.get(PasswordToken, tokens.digest(token))
        assert stored is not None
        return stored.used_at is not None


def test_the_reset_link_sets_the_password_once_then_sign_in(api: Api) -> None:
    user_id = _account(api)
    link = _reset_link(api, user_id)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == "http://testserver"  # the request's base URL
    assert parts.path == PAGE
    token = parts.query.removeprefix("token=")
    opened = api.client.get(f"{parts.path}?{parts.query}")
    assert opened.status_code == 200
    assert _HIDDEN_TOKEN.findall(opened.text) == [token]
    assert f"At least {passwords.MIN_LENGTH} characters" in opened.text  # the policy
    before = _audit_count(api)

    done = _send(api, token, NEW_PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert "Your password is set; sign in." in api.client.get("/login").text
    assert _signs_in(api, NEW_PASSWORD) and not _signs_in(api, PASSWORD)
    with unit_of_work(api.engine) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
        open_sessions = session.scalar(
            select(func.count(AuthSession.id)).where(
                AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
            )
        )
    assert [(e.action, e.actor_name) for e in events] == [("user.password_set", EMAIL)]
    assert open_sessions == 1  # the API sign-in above; the session from before is ended

    again = _send(api, token, "Other-Harbour-Sleet-19")
    assert again.status_code == 401 and field_error(again.text, "token") == REFUSED_TOKEN
    assert _signs_in(api, NEW_PASSWORD)
    reopened = api.client.get(f"{parts.path}?{parts.query}")
    assert reopened.status_code == 401 and field_error(reopened.text, "token") == REFUSED_TOKEN
    assert token not in reopened.text


def test_the_policy_message_is_next_to_the_new_password_and_nothing_is_written(
    api: Api,
) -> None:
    user_id = _account(api)
    token = _token(api, user_id)
    before = _audit_count(api)
    weak = _send(api, token, "short")
    api_answer = api.client.post(
        "/api/v1/auth/set-password", json={"token": token, "new_password": "short"}
    )
    message = api_answer.json()["error"]["message"]
    assert weak.status_code == 422 == api_answer.status_code
    assert field_error(weak.text, "new_password") == "new_password" + message.removeprefix(
        "password"
    )
    assert 'value="short"' not in weak.text  # a password is never sent back to the browser
    assert _HIDDEN_TOKEN.findall(weak.text) == [token]  # kept for the next try
    differing = _send(api, token, NEW_PASSWORD, again="Quiet-Fjord-Amber-43")
    assert differing.status_code == 422
    assert field_error(differing.text, "new_password_again") == (
        "new_password_again: differs from the new password"
    )
    too_long = _send(api, token, "Aa1!" * 300)
    assert too_long.status_code == 422 and "Aa1!" not in too_long.text  # not even in a message
    assert field_error(too_long.text, "new_password") == (
        "new_password: String should have at most 1024 characters"
    )
    assert _audit_count(api) == before and not _spent(api, token)
    assert _signs_in(api, PASSWORD)


@SQLITE_ONLY
def test_unknown_used_and_expired_tokens_get_one_same_answer(api: Api) -> None:
    user_id = _account(api)
    used, expired = _token(api, user_id), _token(api, user_id)
    assert _send(api, used, NEW_PASSWORD).status_code == 303
    api.client.get("/login")  # shows (and so ends) the flash message, which would differ
    with unit_of_work(api.engine) as session:
        stored = session.get(PasswordToken, tokens.digest(expired))
        assert stored is not None
        stored.expires_at = clock.now() - timedelta(seconds=1)
    unknown = tokens.new_secret()
    opened = [api.client.get(PAGE, params={"token": t}) for t in (unknown, used, expired)]
    assert {(a.status_code, a.text) for a in opened} == {(401, opened[0].text)}
    assert field_error(opened[0].text, "token") == REFUSED_TOKEN
    page = api.client.get(PAGE)  # the same CSRF cookie and token for the three
    sent = [
        api.client.post(
            PAGE,
            data={
                "csrf_token": csrf_in(page.text),
                "token": t,
                "new_password": "Other-Harbour-Sleet-19",
                "new_password_again": "Other-Harbour-Sleet-19",
            },
        )
        for t in (unknown, used, expired)
    ]
    assert {(a.status_code, a.text) for a in sent} == {(401, sent[0].text)}
    assert field_error(sent[0].text, "token") == REFUSED_TOKEN
    assert _signs_in(api, NEW_PASSWORD)


@SQLITE_ONLY
def test_without_a_token_the_form_asks_for_one(api: Api) -> None:
    page = api.client.get(PAGE)
    assert page.status_code == 200 and 'id="token" name="token"' in page.text
    blank = _send(api, "", "", again="")
    assert blank.status_code == 422
    for name in ("token", "new_password", "new_password_again"):
        assert field_error(blank.text, name) == f"{name}: is required"


@SQLITE_ONLY
def test_a_form_without_its_own_csrf_token_is_refused_and_writes_nothing(api: Api) -> None:
    user_id = _account(api)
    token = _token(api, user_id)
    before = _audit_count(api)
    form = {"token": token, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    missing = api.client.post(PAGE, data=form)
    login_token = csrf_in(api.client.get("/login").text)  # another form's token
    other_form = api.client.post(PAGE, data=form | {"csrf_token": login_token})
    own = csrf_in(api.client.get(PAGE).text)
    cross_site = api.client.post(
        PAGE, data=form | {"csrf_token": own}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert [a.status_code for a in (missing, other_form, cross_site)] == [403, 403, 403]
    assert "csrf_token" in missing.text
    assert _audit_count(api) == before and not _spent(api, token)


def test_the_token_reaches_neither_the_logs_nor_the_audit_log(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    user_id = _account(api)
    with caplog.at_level(logging.DEBUG):
        link = _reset_link(api, user_id)
        token = urlsplit(link).query.removeprefix("token=")
        api.client.get(PAGE, params={"token": token})
        _send(api, token, "short")
        _send(api, token, NEW_PASSWORD)
        _send(api, token, NEW_PASSWORD)  # spent
    # The test client's own log (httpx) names the addresses it asks for; the server's must not.
    client_side = [r for r in caplog.records if r.name.startswith(("httpx", "httpcore"))]
    server_side = [r for r in caplog.records if r not in client_side]
    assert any(token in r.getMessage() for r in client_side)  # the capture sees addresses
    assert [r.getMessage() for r in server_side if token in r.getMessage()] == []
    with unit_of_work(api.engine) as session:
        rows = [
            {c.name: getattr(e, c.name) for c in AuditEvent.__table__.columns}
            for e in session.scalars(select(AuditEvent).where(AuditEvent.entity == "user"))
        ]
    assert {"user.password_reset", "user.password_set"} <= {row["action"] for row in rows}
    assert token not in str(rows) and tokens.digest(token) not in str(rows)
    events = api.client.get(
        "/api/v1/audit", params={"entity": "user"}, headers=api.headers(Role.COORDINATOR)
    ).json()
    newest = events[0]
    assert newest["action"] == "user.password_set" and newest["actor_name"] == EMAIL
    assert "token" not in str(newest).lower() and "password_hash" not in str(newest)
    audit_page = api.client.get("/admin/audit", headers=cookie_of(api, Role.ADMIN)).text
    assert "user.password_set" in audit_page and token not in audit_page
