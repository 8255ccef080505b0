"""The administrators' account pages (auth/admin_pages.py): the list with roles, persons,
locks and last sign-ins; a new account's one-time password, shown once and kept nowhere but as
a hash; a change of role, name or active state; a password-reset token; each write one audit
row through auth.service, each refusal the service's message next to its field, nothing
written. Writes run on both engines; reads, and refusals that never reach the database, on
SQLite."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.pages import cookie_of, field_error, form_token, input_value
from residency import clock
from residency.audit.models import AuditEvent
from residency.auth import passwords, tokens
from residency.auth.models import LoginLock, PasswordToken, Role, User
from residency.db import unit_of_work

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
_ROW = re.compile(r'<tr data-user="(\d+)">(.*?)</tr>', re.S)
_CELL = re.compile(r"<td>(.*?)</td>", re.S)
_SECRET = re.compile(r'<code id="(?:one-time-password|set-password-token)">([^<]+)</code>')


def _text(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def _rows(page: str) -> dict[int, list[str]]:
    return {int(uid): [_text(c) for c in _CELL.findall(body)] for uid, body in _ROW.findall(page)}


def _audit_count(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count(AuditEvent.id))) or 0


def _post(api: Api, path: str, data: dict[str, str], role: Role = Role.ADMIN) -> tuple[int, str]:
    cookie = cookie_of(api, role)
    sent = {"csrf_token": form_token(api, cookie), **data}
    answer = api.client.post(path, data=sent, headers=cookie, follow_redirects=False)
    return answer.status_code, answer.text


def _secret(page: str) -> str:
    found = _SECRET.search(page)
    assert found is not None, "the page shows no one-time secret"
    return html.unescape(found.group(1))


@SQLITE_ONLY
def test_the_list_shows_every_account_with_its_role_person_lock_and_last_sign_in(
    api: Api,
) -> None:
    coordinator = api.user_ids[Role.COORDINATOR]
    with unit_of_work(api.engine) as session:
        until = clock.now() + timedelta(minutes=10)
        session.add(LoginLock(key="account:coordinator@example.org", locked_until=until))
        users = {u.id: u for u in session.scalars(select(User))}
        persons = {u.id: u.person.key if u.person else "" for u in users.values()}
        expected = {uid: (u.email, u.role.value) for uid, u in users.items()}
    page = api.client.get("/admin/users", headers=cookie_of(api, Role.ADMIN)).text
    rows = _rows(page)
    assert {uid: (row[0], row[2]) for uid, row in rows.items()} == expected
    assert {uid: row[3] for uid, row in rows.items()} == persons  # r1 and f1, staff nobody
    assert rows[coordinator][5].startswith("locked until ")
    assert rows[api.user_ids[Role.FACULTY]][5] == "no password yet"  # a set-password token
    assert rows[api.user_ids[Role.ADMIN]][6].endswith(" UTC")  # this page's own session
    assert rows[api.user_ids[Role.FACULTY]][6] == "never"


def test_a_new_account_shows_its_one_time_password_once(api: Api) -> None:
    before = _audit_count(api)
    data = {"email": " New.Chief@Example.org ", "name": "", "role": "resident", "person_key": "r2"}
    status, page = _post(api, "/admin/users", data)
    assert status == 200, page
    password = _secret(page)
    assert len(password) == 20 and not passwords.policy_breaches(password)
    with unit_of_work(api.engine) as session:
        user = session.scalars(select(User).where(User.email == "new.chief@example.org")).one()
        assert user.role == Role.RESIDENT and user.person is not None
        assert user.person.key == "r2" and user.name == "Resident r2"  # the person's name
        assert user.must_change_password and passwords.verify_password(user.password_hash, password)
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
    assert [(e.action, e.entity_id) for e in events] == [("user.create", str(user.id))]
    assert password not in str(events[0].before) + str(events[0].after)
    admin = cookie_of(api, Role.ADMIN)
    for again in ("/admin/users", f"/admin/users/{user.id}", "/admin/audit"):
        shown = api.client.get(again, headers=admin).text
        assert "new.chief@example.org" in shown and password not in shown, again


@SQLITE_ONLY  # refused before anything is written: the engine is not at stake
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"email": "x@example.org", "role": "resident", "person_key": ""},
            "person_key",
            "person_key: a resident account needs the person it is",
        ),
        (
            {"email": "x@example.org", "role": "coordinator", "person_key": "r3"},
            "person_key",
            "person_key: a coordinator account is nobody's person (got 'r3')",
        ),
        (
            {"email": "x@example.org", "role": "faculty", "person_key": "f1"},
            "person_key",
            "person_key: 'f1' already has an account",
        ),
        (
            {"email": "admin@example.org", "role": "admin", "person_key": ""},
            "email",
            "email: 'admin@example.org' already has an account",
        ),
        (
            {"email": "no-at-sign", "role": "admin", "person_key": ""},
            "email",
            "email: 'no-at-sign' is not an e-mail address",
        ),
        (
            {"email": "x@example.org", "role": "owner", "person_key": ""},
            "role",
            "role: 'owner' is not a role (admin, coordinator, faculty, resident)",
        ),
    ],
)
def test_a_refused_new_account_names_the_field_keeps_the_form_and_writes_nothing(
    api: Api, data: dict[str, str], field: str, message: str
) -> None:
    with unit_of_work(api.engine) as session:
        users = session.scalar(select(func.count(User.id)))
    before = _audit_count(api)
    status, page = _post(api, "/admin/users", {"name": "Typed Name", **data})
    assert status == 422
    assert field_error(page, field) == message
    assert input_value(page, "email") == data["email"] and input_value(page, "name") == "Typed Name"
    assert input_value(page, "person_key") == data["person_key"]
    assert 'id="one-time-password"' not in page
    with unit_of_work(api.engine) as session:
        assert session.scalar(select(func.count(User.id))) == users
    assert _audit_count(api) == before


def test_an_account_is_renamed_and_deactivated_and_its_sessions_end(api: Api) -> None:
    uid = api.user_ids[Role.COORDINATOR]
    coordinator = cookie_of(api, Role.COORDINATOR)
    before = _audit_count(api)
    data = {"name": "Chief Renamed", "role": "coordinator", "active": "no"}
    cookie = cookie_of(api, Role.ADMIN)
    sent = {"csrf_token": form_token(api, cookie), **data}
    answer = api.client.post(
        f"/admin/users/{uid}", data=sent, headers=cookie, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"/admin/users/{uid}"
    assert "residency_flash=account_saved" in answer.headers["set-cookie"]
    with unit_of_work(api.engine) as session:
        user = session.get(User, uid)
        assert user is not None and user.name == "Chief Renamed" and not user.active
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
    assert [e.action for e in events] == ["user.update"]
    assert events[0].before is not None and events[0].after is not None
    assert (events[0].before["active"], events[0].after["active"]) == (True, False)
    page = api.client.get(f"/admin/users/{uid}", headers=cookie_of(api, Role.ADMIN)).text
    assert input_value(page, "name") == "Chief Renamed" and "selected>no</option>" in page
    gone = api.client.get("/", headers=coordinator, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")


def test_a_refused_change_says_why_next_to_the_field_or_above_the_form(api: Api) -> None:
    before = _audit_count(api)
    resident = api.user_ids[Role.RESIDENT]
    typed = {"name": "Typed", "role": "coordinator", "active": "yes"}
    status, page = _post(api, f"/admin/users/{resident}", typed)
    assert status == 422
    assert field_error(page, "role") == "role: a coordinator account is nobody's person"
    assert input_value(page, "name") == "Typed"
    admin = api.user_ids[Role.ADMIN]
    status, page = _post(api, f"/admin/users/{admin}", {**typed, "role": "admin", "active": "no"})
    assert status == 409
    assert "user: you cannot deactivate yourself or change your own role" in html.unescape(page)
    status, page = _post(api, f"/admin/users/{resident}", {**typed, "active": "maybe"})
    assert status == 422 and field_error(page, "active") == "active: 'maybe' is not yes or no"
    with unit_of_work(api.engine) as session:
        user = session.get(User, resident)
        assert user is not None and user.role == Role.RESIDENT and user.name != "Typed"
    assert _audit_count(api) == before


def test_a_password_reset_token_is_shown_once_and_stored_as_a_digest(api: Api) -> None:
    uid = api.user_ids[Role.RESIDENT]
    before = _audit_count(api)
    status, page = _post(api, f"/admin/users/{uid}/password-token", {})
    assert status == 200
    token = _secret(page)
    link = re.search(r'<code id="set-password-link">([^<]+)</code>', page)
    assert link is not None  # the set-password page at this site, to hand to the holder
    assert html.unescape(link.group(1)) == f"http://testserver/account/set-password?token={token}"
    with unit_of_work(api.engine) as session:
        stored = session.get(PasswordToken, tokens.digest(token))
        assert stored is not None and stored.user_id == uid and stored.used_at is None
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
    assert [(e.action, e.entity_id) for e in events] == [("user.password_reset", str(uid))]
    audit = api.client.get("/admin/audit", headers=cookie_of(api, Role.ADMIN)).text
    assert "user.password_reset" in audit and token not in audit


@SQLITE_ONLY
def test_a_form_without_its_csrf_token_is_refused_and_writes_nothing(api: Api) -> None:
    before = _audit_count(api)
    cookie = cookie_of(api, Role.ADMIN)
    data = {"email": "forged@example.org", "role": "admin"}
    answer = api.client.post("/admin/users", data=data, headers=cookie, follow_redirects=False)
    assert answer.status_code == 403
    uid = api.user_ids[Role.RESIDENT]
    reset = api.client.post(f"/admin/users/{uid}/password-token", data={}, headers=cookie)
    assert reset.status_code == 403
    assert _audit_count(api) == before


@SQLITE_ONLY
def test_an_unknown_account_is_a_404_page(api: Api) -> None:
    answer = api.client.get("/admin/users/999", headers=cookie_of(api, Role.ADMIN))
    assert answer.status_code == 404 and "user: no user has the id 999" in answer.text
