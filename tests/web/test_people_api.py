"""People routes over the mini program (r1..r4 residents in 2025, f1..f3 faculty): what they
answer is what the database holds, e-mails reach only the staff and the person, and every bad
input is refused naming its field with nothing written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fixtures.api import Api
from fixtures.block_program import YEAR
from fixtures.program_state import assert_refused, program_state
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.people.models import Person

PEOPLE = "/api/v1/people"


def _held(api: Api) -> dict[str, dict[str, Any]]:
    with unit_of_work(api.engine) as session:
        people = session.scalars(select(Person).options(selectinload(Person.levels)))
        return {
            p.key: {
                "kind": p.kind.value,
                "name": p.name,
                "email": p.email,
                "active": p.active,
                "faculty_role": p.faculty_role.value if p.faculty_role else None,
                "pgy": {str(level.academic_year): level.pgy for level in p.levels},
            }
            for p in people
        }


def _answered(people: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    fields = ("kind", "name", "email", "active", "faculty_role", "pgy")
    return {p["key"]: {name: p[name] for name in fields} for p in people}


def _give_emails(api: Api, *keys: str) -> None:
    coordinator = api.headers(Role.COORDINATOR)
    for key in keys:
        answer = api.client.patch(
            f"{PEOPLE}/{key}", json={"email": f"{key}@example.org"}, headers=coordinator
        )
        assert answer.status_code == 200, answer.text


def test_the_list_is_what_the_database_holds(api: Api) -> None:
    answer = api.client.get(PEOPLE, headers=api.headers(Role.COORDINATOR))
    assert answer.status_code == 200, answer.text
    assert _answered(answer.json()) == _held(api)
    assert [p["key"] for p in answer.json()] == ["f1", "f2", "f3", "r1", "r2", "r3", "r4"]


def test_the_filters_pick_kind_year_and_activity(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)

    def keys(**params: Any) -> list[str]:
        answer = api.client.get(PEOPLE, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [p["key"] for p in answer.json()]

    assert keys(kind="resident") == ["r1", "r2", "r3", "r4"]
    assert keys(kind="faculty") == ["f1", "f2", "f3"]
    in_year = api.client.get(
        PEOPLE, params={"academic_year": YEAR, "kind": "resident"}, headers=headers
    )
    assert {p["key"]: p["pgy_in_year"] for p in in_year.json()} == {
        "r1": 1,
        "r2": 2,
        "r3": 2,
        "r4": 3,
    }
    assert keys(academic_year=YEAR + 1) == ["f1", "f2", "f3"]  # no resident has a level then
    assert keys(active=False) == []
    api.client.patch(f"{PEOPLE}/r3", json={"active": False}, headers=headers)
    assert keys(active=False) == ["r3"]
    assert "r3" not in keys(active=True)


def test_a_resident_sees_no_email_but_their_own(api: Api) -> None:
    _give_emails(api, "r1", "r2", "f1")
    seen = {
        p["key"]: p["email"]
        for p in api.client.get(PEOPLE, headers=api.headers(Role.RESIDENT)).json()
    }
    assert seen == {
        "r1": "r1@example.org",
        "r2": None,
        "r3": None,
        "r4": None,
        "f1": None,
        "f2": None,
        "f3": None,
    }
    other = api.client.get(f"{PEOPLE}/r2", headers=api.headers(Role.RESIDENT))
    assert other.status_code == 200 and other.json()["email"] is None
    assert (
        api.client.get(f"{PEOPLE}/r1", headers=api.headers(Role.RESIDENT)).json()["email"]
        == "r1@example.org"
    )
    by_faculty = {
        p["key"]: p["email"]
        for p in api.client.get(PEOPLE, headers=api.headers(Role.FACULTY)).json()
    }
    assert {key for key, email in by_faculty.items() if email} == {"f1"}
    by_admin = {
        p["key"]: p["email"] for p in api.client.get(PEOPLE, headers=api.headers(Role.ADMIN)).json()
    }
    assert {key for key, email in by_admin.items() if email} == {"r1", "r2", "f1"}


def test_a_new_person_is_what_get_then_shows(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    resident = {
        "key": "r5",
        "kind": "resident",
        "name": "Resident Five",
        "email": "r5@example.org",
        "pgy": {"2025": 1, "2026": 2},
    }
    created = api.client.post(PEOPLE, json=resident, headers=headers)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{PEOPLE}/r5"
    shown = api.client.get(f"{PEOPLE}/r5", headers=headers).json()
    assert shown == created.json()
    assert _held(api)["r5"] == _answered([shown])["r5"]
    assert shown["pgy"] == {"2025": 1, "2026": 2} and shown["active"] is True
    faculty = {"key": "f4", "kind": "faculty", "name": "Dr Four", "faculty_role": "sports_medicine"}
    assert api.client.post(PEOPLE, json=faculty, headers=headers).status_code == 201
    assert _held(api)["f4"]["faculty_role"] == "sports_medicine"


def test_a_change_is_what_get_then_shows(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    change = {
        "name": "Resident One Renamed",
        "email": "one@example.org",
        "pgy": {"2025": 2, "2026": 3},
    }
    changed = api.client.patch(f"{PEOPLE}/r1", json=change, headers=headers)
    assert changed.status_code == 200, changed.text
    shown = api.client.get(f"{PEOPLE}/r1", headers=headers).json()
    assert shown == changed.json()
    assert _held(api)["r1"] == {
        "kind": "resident",
        "name": "Resident One Renamed",
        "email": "one@example.org",
        "active": True,
        "faculty_role": None,
        "pgy": {"2025": 2, "2026": 3},
    }
    assert (
        api.client.patch(f"{PEOPLE}/r1", json={"email": None}, headers=headers).json()["email"]
        is None
    )
    assert _held(api)["r1"]["email"] is None
    role = api.client.patch(
        f"{PEOPLE}/f1", json={"faculty_role": "program_director"}, headers=headers
    )
    assert role.json()["faculty_role"] == _held(api)["f1"]["faculty_role"] == "program_director"


def _refusals(api: Api, method: str, path: str, cases: list[tuple[Any, int, str]]) -> None:
    headers = api.headers(Role.COORDINATOR)
    before = program_state(api.engine)
    for body, status, field in cases:
        answer = api.client.request(method, path, json=body, headers=headers)
        assert_refused(answer, status, field)
    assert program_state(api.engine) == before


def test_a_bad_new_person_is_refused_naming_the_field(api: Api) -> None:
    _give_emails(api, "r2")
    person = {"key": "r5", "kind": "resident", "name": "Resident Five", "pgy": {"2025": 1}}
    _refusals(
        api,
        "POST",
        PEOPLE,
        [
            ({**person, "pgy": {"2025": 11}}, 422, "pgy.2025"),
            ({**person, "pgy": {"2025": 0}}, 422, "pgy.2025"),
            ({**person, "pgy": {"1066": 1}}, 422, "pgy.1066"),
            ({**person, "pgy": {"2025": "one"}}, 422, "pgy.2025"),
            ({**person, "pgy": {}}, 422, "pgy"),
            ({**person, "key": "r1"}, 422, "key"),
            ({**person, "key": "Not A Key"}, 422, "key"),
            ({**person, "email": "r2@example.org"}, 422, "email"),
            ({**person, "email": "not-an-address"}, 422, "email"),
            ({**person, "faculty_role": "core"}, 422, "faculty_role"),
            ({**person, "kind": "faculty", "pgy": {}}, 422, "faculty_role"),
            ({**person, "kind": "faculty", "faculty_role": "core"}, 422, "pgy"),
            ({**person, "kind": "nurse"}, 422, "kind"),
            ({**person, "name": ""}, 422, "name"),
            ({**person, "name": "Five\u0000"}, 422, "name"),  # PostgreSQL cannot store it
            ({**person, "nickname": "Five"}, 422, "nickname"),
            ({key: v for key, v in person.items() if key != "name"}, 422, "name"),
            ([person], 422, "body"),
        ],
    )


def test_a_bad_change_is_refused_naming_the_field(api: Api) -> None:
    _give_emails(api, "r2")
    _refusals(
        api,
        "PATCH",
        f"{PEOPLE}/r1",
        [
            ({"pgy": {"2026": 12}}, 422, "pgy.2026"),
            ({"faculty_role": "core"}, 422, "faculty_role"),
            ({"email": "r2@example.org"}, 422, "email"),
            ({"name": None}, 422, "name"),
            ({"active": "maybe"}, 422, "active"),
            ({"kind": "faculty"}, 422, "kind"),
        ],
    )
    _refusals(api, "PATCH", f"{PEOPLE}/f1", [({"pgy": {"2025": 1}}, 422, "pgy")])
    _refusals(api, "PATCH", f"{PEOPLE}/nobody", [({"name": "X"}, 404, "key")])


def test_bad_reads_and_bodies_are_refused_in_the_error_shape(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    assert_refused(api.client.get(f"{PEOPLE}/nobody", headers=headers), 404, "key")
    assert_refused(api.client.get(f"{PEOPLE}/r1%00", headers=headers), 422, "key")
    assert_refused(api.client.get(PEOPLE, params={"kind": "nurse"}, headers=headers), 422, "kind")
    assert_refused(
        api.client.get(PEOPLE, params={"academic_year": 99999}, headers=headers),
        422,
        "academic_year",
    )
    before = program_state(api.engine)
    broken = api.client.post(
        PEOPLE, content=b'{"key": "r5",', headers={**headers, "Content-Type": "application/json"}
    )
    assert_refused(broken, 422, "body")
    huge = {"key": "r5", "kind": "resident", "name": "x" * 2_100_000, "pgy": {"2025": 1}}
    assert_refused(api.client.post(PEOPLE, json=huge, headers=headers), 413, "body")
    assert program_state(api.engine) == before
