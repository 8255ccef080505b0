"""The people pages under /program/people through the TestClient, as a browser uses them: the
list by PGY then faculty, adding and changing a person with the API's own messages next to
their field (nothing written on bad input), a stale edit form refused, deactivation, and one
audit row per write. Writes on both engines; reads on SQLite."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.pages import cookie_of, field_error, form_token, input_value
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.people import service
from residency.people.models import Person
from residency.web.templating import FLASH_COOKIE

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
NEW = {"key": "r5", "kind": "resident", "name": "Resident Five", "email": "", "pgy.2025": "1"}


def _counts(api: Api) -> tuple[int, int]:
    """(people, audit rows)."""
    with unit_of_work(api.engine) as session:
        people = session.scalar(select(func.count()).select_from(Person)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return people, audit


def _post(api: Api, cookie: dict[str, str], path: str, data: dict[str, str]) -> Any:
    data = data | {"csrf_token": form_token(api, cookie)}
    return api.client.post(path, data=data, headers=cookie, follow_redirects=False)


def followed(api: Api, cookie: dict[str, str], answer: Any) -> str:
    """The page a 303 leads to, with the flash cookie it set, as a browser would send it."""
    flash = f"{FLASH_COOKIE}={answer.cookies[FLASH_COOKIE]}"
    headers = {"Cookie": f"{cookie['Cookie']}; {flash}"}
    page = api.client.get(answer.headers["location"], headers=headers)
    assert page.status_code == 200
    return page.text


def _version(page: str) -> str:
    found = re.search(r'name="version" value="([^"]+)"', page)
    assert found, "the edit form carries no version"
    return found.group(1)


def _api_message(api: Api, body: dict[str, Any]) -> str:
    answer = api.client.post("/api/v1/people", json=body, headers=api.headers(Role.COORDINATOR))
    assert answer.status_code == 422, answer.text
    return str(answer.json()["error"]["message"])


@SQLITE_ONLY
def test_the_list_groups_residents_by_pgy_then_faculty_and_the_deactivated_apart(
    api: Api,
) -> None:
    with unit_of_work(api.engine) as session:
        service.update_person(session, "r3", service.PersonChange(active=False))
    page = api.client.get("/program/people", headers=cookie_of(api, Role.COORDINATOR)).text
    active, deactivated = page.split("<h2>Deactivated</h2>")
    groups = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)</th>', active)
    assert groups == ["PGY-1", "PGY-2", "PGY-3", "Faculty"]
    assert re.findall(r'data-person="([^"]+)"', active) == ["r1", "r2", "r4", "f1", "f3", "f2"]
    assert re.findall(r'data-person="([^"]+)"', deactivated) == ["r3"]
    assert 'action="/program/people/r3/reactivate"' in deactivated
    assert "program director" in active  # f3's role, in words
    assert '<a href="/people/r1">Resident r1</a>' in active  # to the person's own page
    assert 'href="/program/people/new"' in page
    admin = api.client.get("/program/people", headers=cookie_of(api, Role.ADMIN)).text
    assert 'data-person="r1"' in admin and "/program/people/new" not in admin  # reads only
    assert "/deactivate" not in admin


@SQLITE_ONLY
def test_the_index_links_the_sections_that_exist_and_the_nav_links_it(api: Api) -> None:
    page = api.client.get("/program", headers=cookie_of(api, Role.COORDINATOR)).text
    links = re.findall(r'<li><a href="(/program/[^"]+)"', page)
    assert links == [
        "/program/people",
        "/program/absences",
        "/program/rotations",
        "/program/curriculum",
        "/program/staffing",
        "/program/file",
    ]
    nav = page.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/program" aria-current="page">Program</a>' in nav
    admin = api.client.get("/program", headers=cookie_of(api, Role.ADMIN)).text
    assert re.findall(r'<li><a href="(/program/[^"]+)"', admin) == links[:-1]  # no file page
    resident = api.client.get("/", headers=cookie_of(api, Role.RESIDENT)).text
    assert 'href="/program"' not in resident


def test_bad_input_gets_the_apis_message_next_to_its_field_and_writes_nothing(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    before = _counts(api)
    cases = [
        ("key", {"key": "R 5"}, {"key": "R 5"}),
        ("pgy.2025", {"pgy.2025": "11"}, {"pgy": {2025: 11}}),
        ("pgy", {"pgy.2025": ""}, {"pgy": {}}),
        ("faculty_role", {"kind": "faculty"}, {"kind": "faculty", "pgy": {}}),
        ("email", {"email": "r1-at-example"}, {"email": "r1-at-example"}),
    ]
    for field, typed, body in cases:
        answer = _post(api, cookie, "/program/people/new", NEW | typed)
        assert answer.status_code == 422, (field, answer.text)
        error = field_error(answer.text, field)
        api_body = {"key": "r5", "kind": "resident", "name": "Resident Five", "pgy": {2025: 1}}
        assert error is not None and error.startswith(_api_message(api, api_body | body)), (
            field,
            error,
        )
        assert input_value(answer.text, "name") == "Resident Five"  # what was typed is kept
        if field in ("key", "email"):
            assert input_value(answer.text, field) == typed[field]
            assert repr(typed[field]) in error  # the value is named
    assert _counts(api) == before


def test_adding_a_person_writes_it_with_one_audit_row(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    people, audit = _counts(api)
    answer = _post(api, cookie, "/program/people/new", NEW | {"email": "five@example.org"})
    assert answer.status_code == 303 and answer.headers["location"] == "/program/people#r5"
    assert _counts(api) == (people + 1, audit + 1)
    listed = followed(api, cookie, answer)
    assert "The person is saved." in listed and 'data-person="r5"' in listed
    with unit_of_work(api.engine) as session:
        record = service.PersonRecord.of(service.person_by_key(session, "r5"))
    assert (record.name, record.email, record.pgy) == (
        "Resident Five",
        "five@example.org",
        {2025: 1},
    )


def test_an_edit_saves_the_change_with_one_audit_row(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    form = api.client.get("/program/people/r2", headers=cookie)
    assert form.status_code == 200
    assert input_value(form.text, "name") == "Resident r2"
    assert input_value(form.text, "pgy.2025") == "2"
    people, audit = _counts(api)
    data = {"version": _version(form.text), "name": "Rita Two", "email": "", "pgy.2025": "3"}
    bad = _post(api, cookie, "/program/people/r2", data | {"name": ""})
    assert bad.status_code == 422
    assert "at least 1 character" in (field_error(bad.text, "name") or "")
    saved = _post(api, cookie, "/program/people/r2", data)
    assert saved.status_code == 303, saved.text
    assert _counts(api) == (people, audit + 1)
    with unit_of_work(api.engine) as session:
        record = service.PersonRecord.of(service.person_by_key(session, "r2"))
    assert (record.name, record.pgy) == ("Rita Two", {2025: 3})


def test_a_stale_edit_form_is_refused_with_the_current_values(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    form = api.client.get("/program/people/f1", headers=cookie).text
    assert 'name="faculty_role"' in form and 'name="pgy.2025"' not in form  # faculty: no level
    renamed = api.client.patch(
        "/api/v1/people/f1", json={"name": "Dr Renamed"}, headers=api.headers(Role.COORDINATOR)
    )
    assert renamed.status_code == 200
    people, audit = _counts(api)
    data = {"version": _version(form), "name": "Dr Mine", "email": "", "faculty_role": "core"}
    answer = _post(api, cookie, "/program/people/f1", data)
    assert answer.status_code == 409
    assert "changed since you opened this form" in html.unescape(answer.text)
    assert input_value(answer.text, "name") == "Dr Renamed"  # the person as they are now
    assert _counts(api) == (people, audit)
    again = _post(api, cookie, "/program/people/f1", data | {"version": _version(answer.text)})
    assert again.status_code == 303  # from the refreshed form, the change goes through


def test_deactivate_and_reactivate_each_leave_one_audit_row(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    people, audit = _counts(api)
    off = _post(api, cookie, "/program/people/r4/deactivate", {})
    assert off.status_code == 303 and _counts(api) == (people, audit + 1)
    listed = followed(api, cookie, off)
    assert "The person is deactivated" in listed
    assert 'data-person="r4"' in listed.split("<h2>Deactivated</h2>")[1]
    on = _post(api, cookie, "/program/people/r4/reactivate", {})
    assert on.status_code == 303 and _counts(api) == (people, audit + 2)
    with unit_of_work(api.engine) as session:
        assert service.person_by_key(session, "r4").active
    without_token = api.client.post(
        "/program/people/r4/deactivate", headers=cookie, follow_redirects=False
    )
    assert without_token.status_code == 403 and _counts(api) == (people, audit + 2)
