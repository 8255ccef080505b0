"""Sign-in, tokens and throttling through the API, on both engines, with the clock moved
by hand where time matters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fixtures.api import Api
from residency import clock
from residency.audit.models import AuditEvent
from residency.auth import service
from residency.auth.models import LoginAttempt, Role
from residency.db import unit_of_work

PASSWORD = "Quiet-Lantern-Fjord-42"
EMAIL = "chief@example.org"


@pytest.fixture
def chief(api: Api) -> str:
    with unit_of_work(api.engine) as session:
        service.create_user(session, service.NewUser(EMAIL, Role.COORDINATOR, "", None, PASSWORD))
    return EMAIL


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    offset = timedelta()
    real_now = clock.now

    def shifted() -> datetime:
        return real_now() + offset

    def move(by: timedelta) -> None:
        nonlocal offset
        offset += by

    monkeypatch.setattr(clock, "now", shifted)
    return move


def login(api: Api, email: str, password: str, address: str = "10.0.0.1") -> tuple[int, dict]:
    from_address = TestClient(api.client.app, client=(address, 40000))
    response = from_address.post("/api/v1/auth/login", json={"email": email, "password": password})
    return response.status_code, response.json() | {"_headers": dict(response.headers)}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_answers_the_token_pair(api: Api, chief: str) -> None:
    status, body = login(api, "  Chief@Example.org ", PASSWORD)
    assert status == 200
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    me = api.client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.json()["email"] == EMAIL and me.json()["role"] == "coordinator"


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(api: Api, chief: str) -> None:
    wrong = login(api, EMAIL, PASSWORD + "x")
    unknown = login(api, "nobody@example.org", PASSWORD)
    assert wrong[0] == unknown[0] == 401
    assert wrong[1]["error"] == unknown[1]["error"]


def test_five_failures_lock_the_account_even_for_the_right_password(
    api: Api, chief: str, move_clock: Callable[[timedelta], None]
) -> None:
    for _ in range(5):
        assert login(api, EMAIL, "wrong password")[0] == 401
    status, body = login(api, EMAIL, PASSWORD)
    assert status == 429
    assert body["error"]["code"] == "too_many_attempts"
    assert int(body["_headers"]["retry-after"]) == 15 * 60
    move_clock(timedelta(minutes=14))
    assert login(api, EMAIL, PASSWORD)[0] == 429
    move_clock(timedelta(minutes=1, seconds=1))
    assert login(api, EMAIL, PASSWORD)[0] == 200


def test_failures_outside_the_window_do_not_add_up(
    api: Api, chief: str, move_clock: Callable[[timedelta], None]
) -> None:
    for _ in range(4):
        login(api, EMAIL, "wrong password")
    move_clock(timedelta(minutes=16))
    assert login(api, EMAIL, "wrong password")[0] == 401
    assert login(api, EMAIL, PASSWORD)[0] == 200


def test_an_unknown_email_locks_like_an_account(api: Api) -> None:
    for _ in range(5):
        login(api, "nobody@example.org", "wrong password")
    assert login(api, "nobody@example.org", "wrong password")[0] == 429


def test_the_same_client_address_is_locked_across_accounts(api: Api, chief: str) -> None:
    for number in range(5):
        login(api, f"guess{number}@example.org", "wrong password", address="10.9.9.9")
    assert login(api, EMAIL, PASSWORD, address="10.9.9.9")[0] == 429
    assert login(api, EMAIL, PASSWORD, address="10.0.0.2")[0] == 200


def test_every_attempt_is_kept_in_the_database(api: Api, chief: str) -> None:
    login(api, EMAIL, "wrong password")
    login(api, EMAIL, PASSWORD)
    with unit_of_work(api.engine) as session:
        kept = session.scalars(select(LoginAttempt.succeeded).order_by(LoginAttempt.id)).all()
    assert kept == [False, True]


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_family(
    api: Api, chief: str
) -> None:
    _, first = login(api, EMAIL, PASSWORD)
    rotated = api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert api.client.get("/api/v1/me", headers=bearer(second["access_token"])).status_code == 200
    assert api.client.get("/api/v1/me", headers=bearer(first["access_token"])).status_code == 401
    reused = api.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert reused.json()["error"]["field"] == "refresh_token"
    # The thief's reuse ended the whole session: the legitimate holder's tokens are dead too.
    assert api.client.get("/api/v1/me", headers=bearer(second["access_token"])).status_code == 401
    again = api.client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert again.status_code == 401


def test_an_access_token_expires_after_15_minutes(
    api: Api, chief: str, move_clock: Callable[[timedelta], None]
) -> None:
    _, tokens = login(api, EMAIL, PASSWORD)
    move_clock(timedelta(minutes=15, seconds=1))
    assert api.client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert (
        api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 200
    )
    move_clock(timedelta(days=7))
    assert (
        api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 401
    )


def test_logout_ends_the_session_at_once(api: Api, chief: str) -> None:
    _, tokens = login(api, EMAIL, PASSWORD)
    assert api.client.post(
        "/api/v1/auth/logout", headers=bearer(tokens["access_token"])
    ).json() == {"status": "ok"}
    assert api.client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert (
        api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 401
    )


def test_a_password_change_obeys_the_policy_and_ends_the_other_sessions(
    api: Api, chief: str
) -> None:
    _, here = login(api, EMAIL, PASSWORD)
    _, elsewhere = login(api, EMAIL, PASSWORD)
    weak = api.client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "Password123!"},
        headers=bearer(here["access_token"]),
    )
    assert weak.status_code == 422
    assert weak.json()["error"]["field"] == "password"
    assert "not a commonly used" in weak.json()["error"]["message"]
    changed = api.client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "Amber-Harbour-Sleet-19"},
        headers=bearer(here["access_token"]),
    )
    assert changed.status_code == 200
    assert api.client.get("/api/v1/me", headers=bearer(here["access_token"])).status_code == 200
    assert (
        api.client.get("/api/v1/me", headers=bearer(elsewhere["access_token"])).status_code == 401
    )
    assert login(api, EMAIL, PASSWORD)[0] == 401
    assert login(api, EMAIL, "Amber-Harbour-Sleet-19")[0] == 200


def test_a_wrong_current_password_changes_nothing(api: Api, chief: str) -> None:
    _, tokens = login(api, EMAIL, PASSWORD)
    refused = api.client.post(
        "/api/v1/auth/password",
        json={"current_password": "not it", "new_password": "Amber-Harbour-Sleet-19"},
        headers=bearer(tokens["access_token"]),
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "current_password"
    assert login(api, EMAIL, PASSWORD)[0] == 200


def test_a_new_user_sets_a_first_password_with_the_one_time_token(api: Api) -> None:
    created = api.client.post(
        "/api/v1/users",
        json={"email": "new.coordinator@example.org", "role": "coordinator"},
        headers=api.headers(Role.ADMIN),
    )
    assert created.status_code == 201
    token = created.json()["set_password_token"]
    assert len(token) >= 43  # 256 bits, url-safe
    assert login(api, "new.coordinator@example.org", "")[0] == 401
    weak = api.client.post(
        "/api/v1/auth/set-password", json={"token": token, "new_password": "admin123"}
    )
    assert weak.status_code == 422
    good = api.client.post(
        "/api/v1/auth/set-password", json={"token": token, "new_password": "Amber-Harbour-Sleet-19"}
    )
    assert good.status_code == 200
    assert login(api, "new.coordinator@example.org", "Amber-Harbour-Sleet-19")[0] == 200
    with unit_of_work(api.engine) as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.action == "user.password_set"
        assert (event.actor_name, event.client_address) == (
            "new.coordinator@example.org",
            "testclient",
        )
    spent = api.client.post(
        "/api/v1/auth/set-password", json={"token": token, "new_password": "Other-Harbour-Sleet-19"}
    )
    assert spent.status_code == 401 and spent.json()["error"]["field"] == "token"


def test_a_one_time_password_must_be_changed_before_anything_else(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        temporary = service.create_admin(session, "first.admin@example.org", "", None)
    assert temporary is not None
    status, tokens = login(api, "first.admin@example.org", temporary)
    assert status == 200 and tokens["must_change_password"] is True
    users = api.client.get("/api/v1/users", headers=bearer(tokens["access_token"]))
    assert users.status_code == 403
    assert "change your one-time password" in users.json()["error"]["message"]
    api.client.post(
        "/api/v1/auth/password",
        json={"current_password": temporary, "new_password": "Amber-Harbour-Sleet-19"},
        headers=bearer(tokens["access_token"]),
    )
    assert (
        api.client.get("/api/v1/users", headers=bearer(tokens["access_token"])).status_code == 200
    )


def test_a_failed_login_is_recorded_even_though_the_request_fails(api: Api) -> None:
    login(api, "nobody@example.org", "wrong")
    with unit_of_work(api.engine) as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
