"""Accounts from the command line, and the first-administrator flow the issue ends with: an
administrator made by `residency admin create` signs in, creates a coordinator and a resident,
and each sees what its role allows and nothing more."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fixtures.block_program import seed
from residency.audit.models import AuditEvent
from residency.auth.models import Role, User
from residency.cli import main
from residency.db import unit_of_work
from residency.people.models import Person
from residency.web import create_app

STRONG = "Quiet-Lantern-Fjord-42"


def _run(
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> tuple[int, str, str]:
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_admin_create_prints_a_one_time_password_that_must_be_changed(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "admin", "create", "--email", "Pat@Example.org")
    assert code == 0
    temporary = out.split("change it at first login): ", 1)[1].strip()
    with unit_of_work(db_engine) as session:
        user = session.scalars(select(User)).one()
        assert (user.email, user.role, user.must_change_password) == (
            "pat@example.org",
            Role.ADMIN,
            True,
        )
        assert temporary not in (user.password_hash or "")
        event = session.scalars(select(AuditEvent)).one()
        assert (event.action, event.actor_kind) == ("user.create", "os")


def test_a_weak_password_on_stdin_is_one_line_and_writes_nothing(
    cli_db: str,
    db_engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = _run(
        capsys,
        "admin",
        "create",
        "--email",
        "pat@example.org",
        "--password-stdin",
        stdin="admin123\n",
        monkeypatch=monkeypatch,
    )
    assert code == 2 and err.count("\n") == 1
    assert "at least 12 characters" in err and "not a commonly used" in err
    with unit_of_work(db_engine) as session:
        assert session.scalars(select(User)).all() == []


def test_users_create_needs_the_person_of_a_resident(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    code, _, err = _run(
        capsys, "users", "create", "--email", "r1@example.org", "--role", "resident"
    )
    assert code == 2 and "person_key: a resident account needs the person it is" in err
    code, out, _ = _run(
        capsys,
        "users",
        "create",
        "--email",
        "r1@example.org",
        "--role",
        "resident",
        "--person",
        "r1",
    )
    assert code == 0 and "set-password token" in out


def _login(client: TestClient, email: str, password: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _first_password(client: TestClient, admin: dict[str, str], body: dict[str, str]) -> str:
    created = client.post("/api/v1/users", json=body, headers=admin)
    assert created.status_code == 201, created.text
    token = created.json()["set_password_token"]
    answer = client.post("/api/v1/auth/set-password", json={"token": token, "new_password": STRONG})
    assert answer.status_code == 200, answer.text
    return body["email"]


def test_the_first_administrator_creates_a_coordinator_and_a_resident(
    cli_db: str,
    db_engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(db_engine)
    with unit_of_work(db_engine) as session:
        for person in session.scalars(select(Person)):
            person.email = f"{person.key}@hospital.example.org"
    assert (
        _run(
            capsys,
            "admin",
            "create",
            "--email",
            "pat@example.org",
            "--password-stdin",
            stdin=f"{STRONG}\n",
            monkeypatch=monkeypatch,
        )[0]
        == 0
    )
    with TestClient(create_app(db_engine)) as client:
        admin = _login(client, "pat@example.org", STRONG)
        chief = _login(
            client,
            _first_password(client, admin, {"email": "chief@example.org", "role": "coordinator"}),
            STRONG,
        )
        resident = _login(
            client,
            _first_password(
                client, admin, {"email": "r1@example.org", "role": "resident", "person_key": "r1"}
            ),
            STRONG,
        )
        schedule = "/api/v1/blocks/2025/10/schedule"
        allowed = {
            "admin": [(admin, "GET", "/api/v1/users"), (admin, "GET", "/api/v1/audit")],
            "coordinator": [
                (chief, "GET", "/api/v1/runs"),
                (chief, "GET", "/api/v1/audit"),
                (chief, "GET", "/api/v1/program/export"),
            ],
            "resident": [(resident, "GET", "/api/v1/me"), (resident, "GET", "/api/v1/people")],
        }
        denied = [
            (chief, "GET", "/api/v1/users"),
            (resident, "GET", "/api/v1/audit"),
            (resident, "GET", "/api/v1/runs"),
            (resident, "GET", "/api/v1/users"),
            (resident, "GET", f"{schedule}?run=1"),
            (admin, "GET", "/api/v1/runs"),
        ]
        for calls in allowed.values():
            for headers, method, url in calls:
                assert client.request(method, url, headers=headers).status_code == 200, url
        for headers, method, url in denied:
            assert client.request(method, url, headers=headers).status_code == 403, url
        people = client.get("/api/v1/people", headers=resident).json()
        shown = {p["key"] for p in people if p.get("email")}
        assert len(people) == 7 and shown == {"r1"}  # their own contact data, nobody else's
        own = client.get("/api/v1/people/r1", headers=resident).json()
        other = client.get("/api/v1/people/r2", headers=resident).json()
        assert (own["email"], other.get("email")) == ("r1@hospital.example.org", None)
        everyone = client.get("/api/v1/people", headers=chief).json()
        assert len([p for p in everyone if p.get("email")]) == 7
