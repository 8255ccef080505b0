"""Every write route leaves exactly one audit row, written in the request's transaction by the
signed-in user; the log is readable by staff with filters, and never holds a secret."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from test_route_matrix import MATRIX

from fixtures.api import Api
from residency.audit.models import AuditEvent
from residency.auth import service
from residency.auth.models import Role
from residency.db import unit_of_work

# A write that succeeds, per write route: (role, url, body). Ids refer to the api fixture's
# users (made in the order of Role: admin 1, coordinator 2, faculty 3, resident 4).
Example = tuple[Role | None, str, Any]
EXAMPLES: dict[tuple[str, str], Callable[[Api], Example]] = {
    ("POST", "/api/v1/users"): lambda api: (
        Role.ADMIN,
        "/api/v1/users",
        {"email": "new@example.org", "role": "coordinator"},
    ),
    ("PATCH", "/api/v1/users/{user_id}"): lambda api: (
        Role.ADMIN,
        f"/api/v1/users/{api.user_ids[Role.FACULTY]}",
        {"name": "Dr One Renamed"},
    ),
    ("POST", "/api/v1/users/{user_id}/password-token"): lambda api: (
        Role.ADMIN,
        f"/api/v1/users/{api.user_ids[Role.RESIDENT]}/password-token",
        None,
    ),
    ("POST", "/api/v1/auth/password"): lambda api: (
        "password-holder",
        "/api/v1/auth/password",
        {"current_password": HOLDER_PASSWORD, "new_password": "Amber-Harbour-Sleet-19"},
    ),
    ("POST", "/api/v1/auth/set-password"): lambda api: (
        None,
        "/api/v1/auth/set-password",
        {"token": _set_password_token(api), "new_password": "Amber-Harbour-Sleet-19"},
    ),
}
# Writes that change no program data, schedule, run, publication, user or setting: signing in
# and out changes sessions only (the login attempts have their own table).
NOT_AUDITED = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
}
HOLDER_PASSWORD = "Quiet-Lantern-Fjord-42"
WRITES = sorted(key for key in MATRIX if key[0] in ("POST", "PATCH", "PUT", "DELETE"))


def _set_password_token(api: Api) -> str:
    with unit_of_work(api.engine) as session:
        created = service.create_user(session, service.NewUser("tok@example.org", Role.ADMIN))
    assert created.set_password_token is not None
    return created.set_password_token


def _holder_headers(api: Api) -> dict[str, str]:
    with unit_of_work(api.engine) as session:
        new = service.NewUser("holder@example.org", Role.ADMIN, "", None, HOLDER_PASSWORD)
        service.create_user(session, new)
    answer = api.client.post(
        "/api/v1/auth/login", json={"email": "holder@example.org", "password": HOLDER_PASSWORD}
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def audit_rows(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_every_write_route_has_an_example_or_a_reason() -> None:
    assert [key for key in WRITES if key not in EXAMPLES and key not in NOT_AUDITED] == []


@pytest.mark.parametrize("route", sorted(EXAMPLES), ids=" ".join)
def test_each_write_route_leaves_exactly_one_audit_row(api: Api, route: tuple[str, str]) -> None:
    role, url, body = EXAMPLES[route](api)
    if role == "password-holder":
        headers = _holder_headers(api)
    else:
        headers = api.headers(role) if isinstance(role, Role) else {}
    before = audit_rows(api)
    answer = api.client.request(route[0], url, json=body, headers=headers)
    assert answer.status_code < 300, answer.json()
    assert audit_rows(api) == before + 1


def test_a_refused_write_leaves_no_audit_row(api: Api) -> None:
    before = audit_rows(api)
    refused = api.client.post(
        "/api/v1/users",
        json={"email": "x@example.org", "role": "resident"},
        headers=api.headers(Role.ADMIN),
    )
    assert refused.status_code == 422
    assert audit_rows(api) == before


def test_the_row_names_the_user_and_address_and_holds_no_secret(api: Api) -> None:
    api.client.post(
        "/api/v1/users",
        json={"email": "new@example.org", "role": "coordinator"},
        headers=api.headers(Role.ADMIN),
    )
    events = api.client.get(
        "/api/v1/audit", params={"entity": "user"}, headers=api.headers(Role.COORDINATOR)
    ).json()
    newest = events[0]
    assert (newest["action"], newest["actor_kind"]) == ("user.create", "user")
    assert newest["actor_name"] == "admin@example.org"
    assert newest["user_id"] == api.user_ids[Role.ADMIN]
    assert newest["client_address"] == "testclient"
    assert newest["after"]["email"] == "new@example.org"
    assert "token" not in str(newest).lower() and "password_hash" not in str(newest)


def test_the_audit_log_filters_by_user_and_refuses_an_empty_range(api: Api) -> None:
    admin = api.headers(Role.ADMIN)
    api.client.patch(
        f"/api/v1/users/{api.user_ids[Role.FACULTY]}", json={"name": "X"}, headers=admin
    )
    mine = api.client.get(
        "/api/v1/audit", params={"user_id": api.user_ids[Role.ADMIN]}, headers=admin
    ).json()
    others = api.client.get(
        "/api/v1/audit", params={"user_id": api.user_ids[Role.RESIDENT]}, headers=admin
    ).json()
    assert [e["action"] for e in mine] == ["user.update"] and others == []
    empty = api.client.get(
        "/api/v1/audit",
        params={"since": "2026-02-01T00:00:00", "until": "2026-01-01T00:00:00"},
        headers=admin,
    )
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "since"
