"""What every answer carries and what every request is held to: security headers, CORS closed
by default, a body cap, one error shape for bad input and for bugs, never a traceback."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fixtures.api import Api
from residency.auth.models import Role, User
from residency.config import Settings
from residency.db import unit_of_work
from residency.web import create_app

USERS = "/api/v1/users"
# What the HTTP layer refuses or adds before any database is reached: checked on SQLite only.
HTTP_LAYER = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _users(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def _error(answer: object, status: int, field: str | None) -> dict[str, object]:
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    error = answer.json()["error"]  # type: ignore[attr-defined]
    assert set(error) == {"code", "message", "field"} and error["field"] == field, error
    assert "Traceback" not in answer.text  # type: ignore[attr-defined]
    return dict(error)


@HTTP_LAYER
def test_every_answer_carries_the_security_headers(api: Api) -> None:
    for answer in (api.client.get("/healthz"), api.client.get("/api/v1/me")):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")
        assert answer.headers["cache-control"] == "no-store"


@HTTP_LAYER
def test_cors_is_closed_unless_origins_are_listed(api: Api) -> None:
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    closed = api.client.options("/api/v1/me", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    listed = Settings(cors_origins=["https://scheduler.example.org"])
    with TestClient(create_app(api.engine, listed)) as client:
        allowed = client.options(
            "/api/v1/me",
            headers={
                "Origin": "https://scheduler.example.org",
                "Access-Control-Request-Method": "GET",
            },
        )
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://scheduler.example.org"
    assert "access-control-allow-origin" not in other.headers


@HTTP_LAYER
def test_a_body_over_the_cap_is_refused_and_writes_nothing(api: Api) -> None:
    before = _users(api)
    huge = {"email": "big@example.org", "role": "coordinator", "name": "x" * 2_100_000}
    answer = api.client.post(USERS, json=huge, headers=api.headers(Role.ADMIN))
    assert _error(answer, 413, "body")["code"] == "body_too_large"
    assert _users(api) == before


@HTTP_LAYER
def test_bad_bodies_name_the_field_and_write_nothing(api: Api) -> None:
    admin = {**api.headers(Role.ADMIN), "Content-Type": "application/json"}
    before = _users(api)
    malformed = api.client.post(USERS, content=b'{"email": ', headers=admin)
    assert _error(malformed, 422, "body")["message"] == "body: the request body is not valid JSON"
    unknown = api.client.post(
        USERS,
        json={"email": "a@example.org", "role": "coordinator", "is_admin": True},
        headers=admin,
    )
    assert "is not a field" in str(_error(unknown, 422, "is_admin")["message"])
    wrong_type = api.client.post(USERS, json={"email": ["a"], "role": "coordinator"}, headers=admin)
    _error(wrong_type, 422, "email")
    bad_role = api.client.post(
        USERS, json={"email": "a@example.org", "role": "root"}, headers=admin
    )
    _error(bad_role, 422, "role")
    assert _users(api) == before


@HTTP_LAYER
def test_query_parameters_are_taken_once_and_only_when_known(api: Api) -> None:
    staff = api.headers(Role.COORDINATOR)
    twice = api.client.get("/api/v1/audit?entity=user&entity=person", headers=staff)
    assert "given more than once" in str(_error(twice, 422, "entity")["message"])
    unknown = api.client.get("/api/v1/audit?entiti=user", headers=staff)
    assert "not a query parameter" in str(_error(unknown, 422, "entiti")["message"])


# What the HTTP layer refuses or adds before any database is reached: checked on SQLite only.
HTTP_LAYER = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_forged_and_unknown_ids_are_refused_in_the_error_shape(api: Api) -> None:
    forged = api.client.get("/api/v1/me", headers={"Authorization": "Bearer forged-token"})
    _error(forged, 401, None)
    assert forged.headers["www-authenticate"] == "Bearer"
    admin = api.headers(Role.ADMIN)
    _error(api.client.get(f"{USERS}/999", headers=admin), 404, "user_id")
    _error(api.client.get(f"{USERS}/{2**31}", headers=admin), 422, "user_id")


@HTTP_LAYER
def test_a_method_not_allowed_names_every_method_of_the_path(api: Api) -> None:
    answer = api.client.delete(USERS, headers=api.headers(Role.ADMIN))
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"


def test_a_bug_answers_500_with_an_incident_and_no_traceback(api: Api) -> None:
    app = create_app(api.engine)

    def broken() -> None:
        raise RuntimeError("secret detail of a bug")

    app.add_api_route("/api/v1/broken-for-this-test", broken)  # type: ignore[attr-defined]
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        answer = client.get("/api/v1/broken-for-this-test")
    error = _error(answer, 500, None)
    assert "incident" in str(error["message"]) and "secret detail" not in answer.text


def test_readyz_names_what_is_not_ready(api: Api) -> None:
    assert api.client.get("/readyz").json()["status"] == "ready"
    unreachable = Settings(redis_url="redis://127.0.0.1:1/0")
    with TestClient(create_app(api.engine, unreachable)) as client:
        answer = client.get("/readyz")
    assert answer.status_code == 503
    failed = [c["name"] for c in answer.json()["checks"] if c["status"] == "fail"]
    assert failed == ["redis reachable"]


def test_a_cookie_session_reads_but_never_writes(api: Api) -> None:
    from residency.auth import tokens
    from residency.web.deps import COOKIE_NAME

    with unit_of_work(api.engine) as session:
        admin = session.get(User, api.user_ids[Role.ADMIN])
        assert admin is not None
        cookie = tokens.open_cookie_session(session, admin, "testclient")
    api.client.cookies.set(COOKIE_NAME, cookie)
    try:
        assert api.client.get("/api/v1/me").status_code == 200
        before = _users(api)
        write = api.client.post(USERS, json={"email": "c@example.org", "role": "coordinator"})
        _error(write, 401, None)
        assert _users(api) == before
    finally:
        api.client.cookies.clear()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # refused before any database
def test_a_page_refused_before_its_route_answers_an_html_page_with_the_reason(api: Api) -> None:
    twice = api.client.get("/on-call?day=2026-03-20&day=2026-03-21")
    assert twice.status_code == 422 and twice.headers["content-type"].startswith("text/html")
    assert "day: given more than once; give it once" in twice.text
    huge = api.client.post("/login", data={"email": "x" * 2_100_000})
    assert huge.status_code == 413 and huge.headers["content-type"].startswith("text/html")
    assert "<p>body: larger than the limit of 2000000 bytes</p>" in huge.text
