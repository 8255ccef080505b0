"""The absence pages under /program/absences through the TestClient: the list filtered by
person and dates, recording, changing and deleting an absence with the API's own messages next
to their field (an end before the start names both days; nothing written), stale forms
refused, and one audit row per write. Writes on both engines; reads on SQLite."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from test_program_people_pages import followed

from fixtures.api import Api
from fixtures.pages import cookie_of, field_error, form_token, input_value
from residency.absences import service
from residency.absences.models import Absence, AbsenceType
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.db import unit_of_work

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
FORM = {
    "person_key": "r1",
    "kind": "vacation",
    "start": "2026-03-16",
    "end": "2026-03-20",
    "blocks_scheduling": "1",
    "note": "spring break",
}


def _add(api: Api, key: str, start: str, end: str, kind: str = "vacation") -> int:
    new = service.NewAbsence(
        key, AbsenceType(kind), date.fromisoformat(start), date.fromisoformat(end)
    )
    with unit_of_work(api.engine) as session:
        return service.create_absence(session, new).id


def _counts(api: Api) -> tuple[int, int]:
    """(absences, audit rows)."""
    with unit_of_work(api.engine) as session:
        absences = session.scalar(select(func.count()).select_from(Absence)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return absences, audit


def _post(api: Api, cookie: dict[str, str], path: str, data: dict[str, str]) -> Any:
    data = data | {"csrf_token": form_token(api, cookie)}
    return api.client.post(path, data=data, headers=cookie, follow_redirects=False)


def _version(page: str) -> str:
    found = re.search(r'name="version" value="([^"]+)"', page)
    assert found, "the form carries no version"
    return found.group(1)


def _listed(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr data-absence="(\d+)">', page)]


@SQLITE_ONLY
def test_the_list_filters_by_person_and_dates_and_names_a_bad_filter(api: Api) -> None:
    march = _add(api, "r1", "2026-03-16", "2026-03-20")
    april = _add(api, "r1", "2026-04-20", "2026-04-24")
    other = _add(api, "r2", "2026-03-18", "2026-03-18", "sick")
    cookie = cookie_of(api, Role.COORDINATOR)
    get = lambda query: api.client.get(f"/program/absences{query}", headers=cookie)  # noqa: E731
    assert _listed(get("").text) == [march, other, april]  # by start
    assert _listed(get("?person=r1").text) == [march, april]
    shown = get("?start=2026-03-19&end=2026-03-31")
    assert _listed(shown.text) == [march]  # the ones overlapping the range
    assert input_value(shown.text, "start") == "2026-03-19"
    assert "Resident r2" in get("").text and "sick" in get("").text
    for query, field, words in (
        ("?start=tomorrow", "start", "'tomorrow' is not a date of the form YYYY-MM-DD"),
        ("?start=2026-03-10&end=2026-03-01", "end", "end 2026-03-01 is before start 2026-03-10"),
        ("?person=nobody", "person", "no person has the key 'nobody'"),
    ):
        answer = get(query)
        assert answer.status_code == 422, query
        assert words in (field_error(answer.text, field) or ""), (query, answer.text)
    admin = api.client.get("/program/absences", headers=cookie_of(api, Role.ADMIN)).text
    assert _listed(admin) == [march, other, april] and "/delete" not in admin  # reads only


def test_bad_input_gets_the_apis_message_next_to_its_field_and_writes_nothing(api: Api) -> None:
    _add(api, "r1", "2026-03-16", "2026-03-16")
    cookie = cookie_of(api, Role.COORDINATOR)
    before = _counts(api)
    for field, typed in (
        ("end", {"end": "2026-03-05"}),  # before the start: names both days
        ("start", {"start": "16/03/2026"}),
        ("person_key", {"person_key": "zz"}),
        ("kind", {"kind": "holiday"}),
        ("start", {}),  # r1's vacation starting that day exists already
    ):
        answer = _post(api, cookie, "/program/absences/new", FORM | typed)
        assert answer.status_code == 422, (field, answer.text)
        error = field_error(answer.text, field) or ""
        body = {k: v for k, v in (FORM | typed).items() if k != "blocks_scheduling"}
        api_answer = api.client.post(
            "/api/v1/absences", json=body, headers=api.headers(Role.COORDINATOR)
        )
        assert error.startswith(api_answer.json()["error"]["message"]), (field, error)
        assert input_value(answer.text, "note") == "spring break"  # what was typed is kept
    ended = _post(api, cookie, "/program/absences/new", FORM | {"end": "2026-03-05"})
    error = field_error(ended.text, "end") or ""
    assert "end 2026-03-05" in error and "start 2026-03-16" in error
    assert input_value(ended.text, "end") == "2026-03-05"
    assert _counts(api) == before


def test_record_change_and_delete_each_leave_one_audit_row(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    absences, audit = _counts(api)
    made = _post(api, cookie, "/program/absences/new", FORM)
    assert made.status_code == 303 and made.headers["location"] == "/program/absences?person=r1"
    assert "The absence is saved." in followed(api, cookie, made)
    assert _counts(api) == (absences + 1, audit + 1)
    with unit_of_work(api.engine) as session:
        record = service.absence_by_id(session, session.scalar(select(Absence.id)) or 0)
    form = api.client.get(f"/program/absences/{record.id}", headers=cookie).text
    assert input_value(form, "start") == "2026-03-16"
    changed = FORM | {"kind": "conference", "end": "2026-03-17", "version": _version(form)}
    _add(api, "r1", "2026-03-16", "2026-03-16", "conference")  # another, of the kind asked
    clash = _post(api, cookie, f"/program/absences/{record.id}", changed)
    assert clash.status_code == 422
    assert "already has a conference absence starting 2026-03-16" in (
        field_error(clash.text, "start") or ""
    )
    assert input_value(clash.text, "end") == "2026-03-17"
    assert _counts(api) == (absences + 2, audit + 2)  # the other's own row, nothing else
    saved = _post(api, cookie, f"/program/absences/{record.id}", changed | {"start": "2026-03-15"})
    assert saved.status_code == 303 and _counts(api) == (absences + 2, audit + 3)
    with unit_of_work(api.engine) as session:
        now = service.absence_by_id(session, record.id)
    assert (now.kind, now.start, now.end, now.note) == (
        AbsenceType.CONFERENCE,
        date(2026, 3, 15),
        date(2026, 3, 17),
        "spring break",
    )
    listed = api.client.get("/program/absences", headers=cookie).text
    listed = listed.split(f'<tr data-absence="{record.id}">')[1]  # its row's delete button
    deleted = _post(
        api, cookie, f"/program/absences/{record.id}/delete", {"version": _version(listed)}
    )
    assert deleted.status_code == 303 and "The absence is deleted." in followed(
        api, cookie, deleted
    )
    assert _counts(api) == (absences + 1, audit + 4)


def test_stale_edit_and_delete_forms_are_refused_with_the_current_values(api: Api) -> None:
    absence_id = _add(api, "r2", "2026-03-16", "2026-03-18")
    cookie = cookie_of(api, Role.COORDINATOR)
    version = _version(api.client.get(f"/program/absences/{absence_id}", headers=cookie).text)
    with unit_of_work(api.engine) as session:  # another coordinator moves it meanwhile
        change = service.NewAbsence(
            "r2", AbsenceType.VACATION, date(2026, 3, 23), date(2026, 3, 25)
        )
        service.update_absence(session, absence_id, change)
    before = _counts(api)
    for path in (f"/program/absences/{absence_id}", f"/program/absences/{absence_id}/delete"):
        data = FORM | {"person_key": "r2", "version": version}
        answer = _post(api, cookie, path, data)
        assert answer.status_code == 409, path
        assert "changed since you opened this form" in html.unescape(answer.text)
        assert input_value(answer.text, "start") == "2026-03-23"  # as it is now
        assert _counts(api) == before
    with unit_of_work(api.engine) as session:
        assert service.absence_by_id(session, absence_id).start == date(2026, 3, 23)
