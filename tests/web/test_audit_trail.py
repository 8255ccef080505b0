"""Every write route leaves exactly one audit row, written in the request's transaction by the
signed-in user; the log is readable by staff with filters, and never holds a secret."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from test_route_matrix import MATRIX

from fixtures.api import Api, QueueOnly
from fixtures.block_program import BLOCK, PLAN, YEAR, generate_args, mini_program, parse_json
from fixtures.fallback_plan import fixed_block_plan
from fixtures.runs_api import QUICK_BLOCK
from residency.absences.models import Absence, AbsenceType
from residency.audit.models import AuditEvent
from residency.auth import service
from residency.auth.models import Role
from residency.cli import main
from residency.db import unit_of_work
from residency.people.models import Person
from residency.rotations.models import RotationTemplate
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import Assignment, CallAssignment

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
EXAMPLES |= {
    ("POST", "/api/v1/people"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/people",
        {"key": "r9", "kind": "resident", "name": "Resident r9", "pgy": {"2025": 1}},
    ),
    ("PATCH", "/api/v1/people/{key}"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/people/r2",
        {"name": "Resident Two"},
    ),
    ("POST", "/api/v1/absences"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/absences",
        {"person_key": "r2", "kind": "vacation", "start": "2026-05-04", "end": "2026-05-08"},
    ),
    ("PATCH", "/api/v1/absences/{absence_id}"): lambda api: (
        Role.COORDINATOR,
        f"/api/v1/absences/{_absence(api)}",
        {"end": "2026-05-07", "note": "back a day early"},
    ),
    ("POST", "/api/v1/rotations"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/rotations",
        {
            "abbreviation": "SPORTS",
            "name": "Sports medicine",
            "activity_type": "outpatient",
            "eligible_pgy": [2, 3],
            "residents_per_block": {"max": 2},
            "residents_per_half_day": {"max": 2},
            "duty_pattern": {"mon": ["08:00-17:00"]},
        },
    ),
    ("PATCH", "/api/v1/rotations/{abbreviation}"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/rotations/ELEC",
        {"description": "Electives of the resident's choice"},
    ),
    ("POST", "/api/v1/rotations/{abbreviation}/deactivate"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/rotations/ELEC/deactivate",
        None,
    ),
    ("POST", "/api/v1/rotations/{abbreviation}/reactivate"): lambda api: (
        Role.COORDINATOR,
        f"/api/v1/rotations/{_deactivated(api, 'ELEC')}/reactivate",
        None,
    ),
    ("DELETE", "/api/v1/absences/{absence_id}"): lambda api: (
        Role.COORDINATOR,
        f"/api/v1/absences/{_absence(api)}",
        None,
    ),
    ("POST", "/api/v1/academic-years"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/academic-years",
        {"year": 2026},
    ),
    ("POST", "/api/v1/program/import"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/program/import?dry_run=false",
        _renamed_program(),
    ),
    ("POST", "/api/v1/runs/{run_id}/cancel"): lambda api: (
        Role.COORDINATOR,
        f"/api/v1/runs/{_queued_run(api)}/cancel",
        None,
    ),
    ("POST", "/api/v1/run-chains"): lambda api: (
        Role.COORDINATOR,
        "/api/v1/run-chains",
        {"academic_year": YEAR, "first_block": BLOCK, "last_block": _plan_next_block(api)},
    ),
}
# A chain of blocks claims one run per block, each audited as its own claim.
ROWS = {("POST", "/api/v1/run-chains"): 2}
# Schedule writes need a block that has a schedule: published, and a draft beside it.
EXAMPLES_WITH_SCHEDULE: dict[tuple[str, str], Callable[[Api, Schedules], Example]] = {
    ("POST", "/api/v1/runs"): lambda api, made: (Role.COORDINATOR, "/api/v1/runs", QUICK_BLOCK),
    ("POST", "/api/v1/runs/{run_id}/publish"): lambda api, made: (
        Role.COORDINATOR,
        f"/api/v1/runs/{made.draft}/publish",
        {"force": False},
    ),
    ("POST", "/api/v1/blocks/{academic_year}/{block}/edits/slot"): lambda api, made: (
        Role.COORDINATOR,
        f"/api/v1/blocks/{YEAR}/{BLOCK}/edits/slot",
        {
            "person_key": made.cell[0],
            "day": made.cell[1].isoformat(),
            "session": made.cell[2],
            "rotation": None,
            "override_reason": "away at a conference; approved by the PD",
        },
    ),
    ("POST", "/api/v1/blocks/{academic_year}/{block}/edits/call"): lambda api, made: (
        Role.COORDINATOR,
        f"/api/v1/blocks/{YEAR}/{BLOCK}/edits/call",
        {
            "day": made.call_night.isoformat(),
            "call_type": "in_house",
            "person_key": made.call_holder,
        },
    ),
}
# Writes that change no program data, schedule, run, publication, user or setting: signing in
# and out changes sessions only (the login attempts have their own table); a dry-run import and
# a check of an uploaded file write nothing.
NOT_AUDITED = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/compliance/check"),
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


@dataclass(frozen=True)
class Schedules:
    published: int
    draft: int
    call_night: date
    call_holder: str
    cell: tuple[str, date, str]  # a resident's half-day with a rotation


def _schedules(api: Api, capsys: pytest.CaptureFixture[str]) -> Schedules:
    """The block published and a draft beside it, as the CLI makes them (one solve for all)."""
    runs = []
    for publish in (True, False):
        assert main([*generate_args(publish=publish), "--json"]) == 0
        runs.append(int(parse_json(capsys.readouterr().out)["run_id"]))
    with unit_of_work(api.engine) as session:
        call = session.scalars(select(CallAssignment).order_by(CallAssignment.date)).first()
        assert call is not None
        night, holder = call.date, call.person.key
        slot = session.scalars(
            select(Assignment)
            .join(Assignment.rotation)
            .where(Assignment.schedule_run_id == runs[0], RotationTemplate.abbreviation == "ELEC")
            .order_by(Assignment.id)
        ).first()
        assert slot is not None
        cell = (slot.person.key, slot.half_day.date, str(slot.half_day.session))
    return Schedules(runs[0], runs[1], night, holder, cell)


def _absence(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        person = session.scalars(select(Person).where(Person.key == "r2")).one()
        absence = Absence(
            person_id=person.id,
            absence_type=AbsenceType.VACATION,
            start_date=date(2026, 5, 4),
            end_date=date(2026, 5, 8),
        )
        session.add(absence)
        session.flush()
        return absence.id


def _deactivated(api: Api, abbreviation: str) -> str:
    with unit_of_work(api.engine) as session:
        template = session.scalars(
            select(RotationTemplate).where(RotationTemplate.abbreviation == abbreviation)
        ).one()
        template.active = False
    return abbreviation


def _plan_next_block(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        fixed_block_plan(session, YEAR, BLOCK + 1, PLAN)
    return BLOCK + 1


def _queued_run(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return claim_block(session, GenerateRequest(YEAR, BLOCK, time_limit_s=5))


def _renamed_program() -> dict[str, Any]:
    document = mini_program().model_dump(mode="json")
    document["residents"][0]["name"] = "Resident One Renamed"
    return dict(document)


def test_every_write_route_has_an_example_or_a_reason() -> None:
    examples = EXAMPLES.keys() | EXAMPLES_WITH_SCHEDULE.keys()
    assert [key for key in WRITES if key not in examples and key not in NOT_AUDITED] == []


@pytest.mark.parametrize("route", sorted(EXAMPLES_WITH_SCHEDULE), ids=" ".join)
def test_each_schedule_write_leaves_exactly_one_audit_row(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str], route: tuple[str, str]
) -> None:
    made = _schedules(api, capsys)
    api.client.app.state.executor = QueueOnly()  # type: ignore[attr-defined]  # no solve here
    _, url, body = EXAMPLES_WITH_SCHEDULE[route](api, made)
    before = audit_rows(api)
    answer = api.client.request(route[0], url, json=body, headers=api.headers(Role.COORDINATOR))
    assert answer.status_code < 300, answer.json()
    assert audit_rows(api) == before + 1


# On SQLite: the row is written by the same code on both engines, and each route's own tests
# (and the schedule writes above) run on PostgreSQL; a database per route on both engines
# cost the suite some 15 s.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("route", sorted(EXAMPLES), ids=" ".join)
def test_each_write_route_leaves_exactly_one_audit_row(api: Api, route: tuple[str, str]) -> None:
    api.client.app.state.executor = QueueOnly()  # type: ignore[attr-defined]  # no solve here
    role, url, body = EXAMPLES[route](api)
    if role == "password-holder":
        headers = _holder_headers(api)
    else:
        headers = api.headers(role) if isinstance(role, Role) else {}
    before = audit_rows(api)
    answer = api.client.request(route[0], url, json=body, headers=headers)
    assert answer.status_code < 300, answer.json()
    assert audit_rows(api) == before + ROWS.get(route, 1)


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
