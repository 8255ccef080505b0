"""Absence routes over the mini program: coordinators record, change (PATCH: the pages'
service and messages) and delete absences, residents and faculty see only their own, and bad
input is refused naming its field, writing nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from fixtures.api import Api
from fixtures.program_state import assert_refused, program_state
from residency.absences.models import Absence, AbsenceType
from residency.absences.service import NewAbsence, update_absence
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.errors import InputError
from residency.people.models import Person

ABSENCES = "/api/v1/absences"
VACATION = {"person_key": "r1", "kind": "vacation", "start": "2026-03-16", "end": "2026-03-20"}
CONFERENCE = {
    "person_key": "r2",
    "kind": "conference",
    "start": "2026-04-01",
    "end": "2026-04-03",
    "blocks_scheduling": False,
    "note": "AAFP assembly",
}


def _held(api: Api) -> list[dict[str, Any]]:
    with unit_of_work(api.engine) as session:
        rows = session.execute(
            select(Absence, Person.key).join(Person).order_by(Absence.start_date)
        ).tuples()
        return [
            {
                "id": a.id,
                "person_key": key,
                "kind": a.absence_type.value,
                "start": a.start_date.isoformat(),
                "end": a.end_date.isoformat(),
                "blocks_scheduling": a.blocks_scheduling,
                "note": a.note,
            }
            for a, key in rows
        ]


def _record(api: Api, *absences: dict[str, Any]) -> list[dict[str, Any]]:
    created = []
    for absence in absences:
        answer = api.client.post(ABSENCES, json=absence, headers=api.headers(Role.COORDINATOR))
        assert answer.status_code == 201, answer.text
        assert answer.headers["location"] == f"{ABSENCES}/{answer.json()['id']}"
        created.append(answer.json())
    return created


def _listed(api: Api, role: Role, **params: Any) -> list[dict[str, Any]]:
    answer = api.client.get(ABSENCES, params=params, headers=api.headers(role))
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_recorded_absences_are_what_get_and_the_database_show(api: Api) -> None:
    created = _record(api, VACATION, CONFERENCE)
    assert _listed(api, Role.COORDINATOR) == created == _held(api)
    assert created[1]["blocks_scheduling"] is False and created[1]["note"] == "AAFP assembly"
    assert _listed(api, Role.ADMIN) == created
    assert _listed(api, Role.COORDINATOR, person="r2") == [created[1]]
    assert _listed(api, Role.COORDINATOR, start="2026-03-21") == [created[1]]
    assert _listed(api, Role.COORDINATOR, end="2026-03-16") == [created[0]]
    assert _listed(api, Role.COORDINATOR, start="2026-03-21", end="2026-03-31") == []


def test_a_resident_sees_only_their_own(api: Api) -> None:
    own, _ = _record(api, VACATION, CONFERENCE)  # r1 is the resident's person; r2 is not
    assert _listed(api, Role.RESIDENT) == [own]
    assert _listed(api, Role.RESIDENT, person="r1") == [own]
    assert _listed(api, Role.FACULTY) == []  # f1 has none
    other = api.client.get(ABSENCES, params={"person": "r2"}, headers=api.headers(Role.RESIDENT))
    assert_refused(other, 403, "person")


def test_a_deleted_absence_is_gone_from_get(api: Api) -> None:
    vacation, conference = _record(api, VACATION, CONFERENCE)
    path = f"{ABSENCES}/{vacation['id']}"
    deleted = api.client.delete(path, headers=api.headers(Role.COORDINATOR))
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == vacation
    assert _listed(api, Role.COORDINATOR) == [conference] == _held(api)
    assert_refused(
        api.client.delete(path, headers=api.headers(Role.COORDINATOR)), 404, "absence_id"
    )


def test_a_bad_absence_is_refused_naming_the_field(api: Api) -> None:
    _record(api, VACATION)
    headers = api.headers(Role.COORDINATOR)
    before = program_state(api.engine)
    cases: list[tuple[Any, int, str]] = [
        ({**VACATION, "start": "2026-05-10", "end": "2026-05-01"}, 422, "end"),
        ({**VACATION, "person_key": "nobody"}, 422, "person_key"),
        ({**VACATION, "kind": "holiday"}, 422, "kind"),
        ({**VACATION, "start": "2026-02-30"}, 422, "start"),
        ({**VACATION, "start": 20260316}, 422, "start"),
        ({**VACATION, "note": "x" * 501}, 422, "note"),
        ({**VACATION, "note": "\u0000"}, 422, "note"),
        ({**VACATION, "reason": "rest"}, 422, "reason"),
        ({k: v for k, v in VACATION.items() if k != "end"}, 422, "end"),
        (VACATION, 422, "start"),  # r1 has a vacation starting that day already
    ]
    for body, status, field in cases:
        assert_refused(api.client.post(ABSENCES, json=body, headers=headers), status, field)
    malformed = api.client.post(
        ABSENCES,
        content=b"{'person_key': 'r1'}",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert_refused(malformed, 422, "body")
    assert_refused(api.client.delete(f"{ABSENCES}/999999", headers=headers), 404, "absence_id")
    assert program_state(api.engine) == before


def _audited(api: Api) -> list[tuple[str, Any, Any]]:
    with unit_of_work(api.engine) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.before, e.after) for e in events]


def test_a_patch_changes_only_the_fields_it_sends_with_one_audit_row(api: Api) -> None:
    vacation, conference = _record(api, VACATION, CONFERENCE)
    path = f"{ABSENCES}/{vacation['id']}"
    rows = len(_audited(api))
    changes = {"end": "2026-03-19", "note": "back a day early", "blocks_scheduling": False}
    answer = api.client.patch(path, json=changes, headers=api.headers(Role.COORDINATOR))
    assert answer.status_code == 200, answer.text
    assert answer.json() == vacation | changes
    assert _held(api) == [vacation | changes, conference]
    assert len(_audited(api)) == rows + 1
    action, before, after = _audited(api)[-1]
    assert (action, before["end"], after["end"]) == ("absence.update", "2026-03-20", "2026-03-19")
    moved = api.client.patch(path, json={"person_key": "r3"}, headers=api.headers(Role.ADMIN))
    assert moved.status_code == 403  # admins read program data; coordinators change it
    unchanged = api.client.patch(path, json={}, headers=api.headers(Role.COORDINATOR))
    assert unchanged.json() == vacation | changes and len(_audited(api)) == rows + 1


def test_a_bad_patch_is_refused_with_the_pages_message_naming_the_field(api: Api) -> None:
    vacation, _ = _record(api, VACATION, {**VACATION, "start": "2026-04-01", "end": "2026-04-02"})
    path = f"{ABSENCES}/{vacation['id']}"
    headers = api.headers(Role.COORDINATOR)
    before = program_state(api.engine)
    with pytest.raises(InputError) as service_says, unit_of_work(api.engine) as session:
        change = NewAbsence("r1", AbsenceType.VACATION, date(2026, 3, 16), date(2026, 3, 1))
        update_absence(session, vacation["id"], change)  # what the page calls and shows
    backwards = api.client.patch(path, json={"end": "2026-03-01"}, headers=headers)
    assert assert_refused(backwards, 422, "end")["message"] == str(service_says.value)
    cases: list[tuple[Any, int, str]] = [
        ({"start": "2026-04-01", "end": "2026-04-05"}, 422, "start"),  # r1's other one's day
        ({"person_key": "nobody"}, 422, "person_key"),
        ({"kind": None}, 422, "kind"),
        ({"kind": "holiday"}, 422, "kind"),
        ({"note": "x" * 501}, 422, "note"),
        ({"id": 7}, 422, "id"),
    ]
    for body, status, field in cases:
        assert_refused(api.client.patch(path, json=body, headers=headers), status, field)
    assert "may not be null" in api.client.patch(path, json={"end": None}, headers=headers).text
    missing = api.client.patch(f"{ABSENCES}/999999", json={}, headers=headers)
    assert_refused(missing, 404, "absence_id")
    assert program_state(api.engine) == before


def test_a_bad_filter_is_refused_naming_it(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    backwards = {"start": "2026-04-01", "end": "2026-03-01"}
    assert_refused(api.client.get(ABSENCES, params=backwards, headers=headers), 422, "end")
    unknown = {"person": "nobody"}
    assert_refused(api.client.get(ABSENCES, params=unknown, headers=headers), 422, "person")
    not_a_day = {"start": "soon"}
    assert_refused(api.client.get(ABSENCES, params=not_a_day, headers=headers), 422, "start")
